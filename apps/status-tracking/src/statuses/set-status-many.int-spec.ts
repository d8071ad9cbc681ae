/**
 * The bulk command path against the real server: `executeMany` leaves exactly what the same
 * commands one by one through `execute` leave — history, states, refusals, no-ops, late entries
 * (L11) — and recognizes repeats (L12) by their pair's history and no-op keys.
 */
import { MS_PER_DAY } from '@lifecycle/rules';
import { seededRandom } from '@lifecycle/testing';
import { ONBOARDING, StatusTrackingHarness } from '../testing/status-tracking.harness';
import { Outbox, Storage } from '@lifecycle/storage';
import { waitFor } from '@lifecycle/testing';
import { LifecycleStateRepository } from './lifecycle-state.repository';
import { LIFECYCLE_STATE_COLLECTION, type LifecycleStateDocument } from './lifecycle-state.schema';
import { SetStatusCommand } from './set-status.command';
import { SetStatusUseCase, type SetStatusManyOutcome } from './set-status.use-case';

/** One instant for both runs of a comparison: their commands differ only by the run's name. */
const NOW = Date.now();
const STAGES = ['Kickoff', 'Configuration', 'Implementation', 'Go Live', null, 'Nope'] as const;

/** A seeded stream of commands over a few accounts: in order, backdated, repeated, refused. */
function commandsOf(seed: number, run: string, count: number, now = NOW, accounts = 6): SetStatusCommand[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const account = `acct-${run}-${Math.floor(rnd() * accounts)}`;
    const stage = STAGES[Math.floor(rnd() * STAGES.length)]!;
    // Mostly increasing event times, one in four backdated among the earlier ones (L11).
    const at = rnd() < 0.25 ? now - 40 * MS_PER_DAY + Math.floor(rnd() * 20) * MS_PER_DAY : now - 20 * MS_PER_DAY + i * 3_600_000;
    return SetStatusCommand.create({
      accountId: account,
      attributeKey: ONBOARDING,
      stage,
      at: new Date(at),
      source: 'crm',
      idempotencyKey: `crm:${run}-${i}`,
      actor: 'test',
      requestId: `${run}-${i}`,
    });
  });
}

/** What a database holds for a run, without what differs by nature (change ids, write times, versions). */
async function snapshot(h: StatusTrackingHarness, run: string, accounts = 6) {
  const ids = Array.from({ length: accounts }, (_, i) => `acct-${run}-${i}|${ONBOARDING}`);
  const states = [...(await h.get(LifecycleStateRepository).getMany(ids)).values()];
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
  return states
    .map((s) => ({
      id: s.id.replace(`-${run}-`, '-'),
      state: plain(s.state),
      history: s.history.map((e) => ({ seq: e.seq, to: e.to, at: e.at.toISOString(), key: e.idempotencyKey.replace(run, '') })),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

const kinds = (outcomes: readonly SetStatusManyOutcome[]) => outcomes.map((o) => (o.ok ? o.result.outcome : (o.error as Error).name));

describe('status commands in bulk (executeMany) against the real server', () => {
  const h = new StatusTrackingHarness('setmany');
  let useCase: SetStatusUseCase;

  beforeAll(async () => {
    await h.start();
    await h.seedAttribute();
    useCase = h.get(SetStatusUseCase);
  });

  afterAll(() => h.stop());

  it.each([1, 2, 3, 4, 5])('leaves what the same commands one by one leave (seed %i)', async (seed) => {
    const one = `one${seed}`;
    const many = `many${seed}`;
    const single: string[] = [];
    for (const command of commandsOf(seed, one, 40)) {
      try {
        single.push((await useCase.execute(command)).outcome);
      } catch (e) {
        single.push((e as Error).name);
      }
    }
    const bulk = kinds(await useCase.executeMany(commandsOf(seed, many, 40)));
    expect(bulk).toEqual(single);
    expect(await snapshot(h, many)).toEqual(await snapshot(h, one));
  });

  it.each([6, 7])('leaves what one by one leaves when its pairs are applied as groups side by side (seed %i)', async (seed) => {
    // 48 accounts: enough pairs for two groups (`groupsByAccount`), each account's commands in one of them.
    const accounts = 48;
    const one = `gone${seed}`;
    const many = `gmany${seed}`;
    const single: string[] = [];
    for (const command of commandsOf(seed, one, 200, NOW, accounts)) {
      try {
        single.push((await useCase.execute(command)).outcome);
      } catch (e) {
        single.push((e as Error).name);
      }
    }
    const bulk = kinds(await useCase.executeMany(commandsOf(seed, many, 200, NOW, accounts)));
    expect(bulk).toEqual(single);
    expect(await snapshot(h, many, accounts)).toEqual(await snapshot(h, one, accounts));
  });

  it('acknowledges a repeated batch as duplicates and changes nothing', async () => {
    const commands = commandsOf(11, 'dup', 30);
    await useCase.executeMany(commands);
    const before = await snapshot(h, 'dup');
    const again = await useCase.executeMany(commands);
    expect(kinds(again).filter((k) => k === 'applied')).toEqual([]);
    expect(await snapshot(h, 'dup')).toEqual(before);
  });

  const command = (accountId: string, stage: string, days: number, key: string) =>
    SetStatusCommand.create({
      accountId,
      attributeKey: ONBOARDING,
      stage,
      at: new Date(NOW - days * MS_PER_DAY),
      source: 'rest',
      idempotencyKey: key,
      actor: null,
      requestId: null,
    });

  it('recognizes a key on its own pair only: the same key on another account is another command', async () => {
    const [first, repeat, other] = await useCase.executeMany([
      command('acct-scope-1', 'Kickoff', 3, 'same-key'),
      command('acct-scope-1', 'Configuration', 2, 'same-key'),
      command('acct-scope-2', 'Kickoff', 3, 'same-key'),
    ]);
    expect(first).toMatchObject({ ok: true, result: { outcome: 'applied' } });
    expect(repeat).toMatchObject({
      ok: true,
      result: { outcome: 'duplicate', changeId: (first as { result: { changeId: string } }).result.changeId },
    });
    expect(other).toMatchObject({ ok: true, result: { outcome: 'applied' } });
    expect((await h.lifecycle('acct-scope-1')).stage?.name).toBe('Kickoff');
  });

  it('acknowledges a repeated no-op as a duplicate after the value has changed (L8, L12)', async () => {
    const account = 'acct-noop-1';
    await useCase.execute(command(account, 'Kickoff', 5, 'noop-a'));
    expect((await useCase.execute(command(account, 'Kickoff', 4, 'noop-b'))).outcome).toBe('noop');
    await useCase.execute(command(account, 'Configuration', 3, 'noop-c'));
    // Decided again, "Kickoff" would now be a move back; the key says it was seen.
    expect((await useCase.execute(command(account, 'Kickoff', 4, 'noop-b'))).outcome).toBe('duplicate');
    expect((await h.lifecycle(account)).stage?.name).toBe('Configuration');
  });

  it("drops the events it published before from the outbox in the pair's next write, and publishes each once", async () => {
    const account = 'acct-fold-1';
    const pair = `${account}|${ONBOARDING}`;
    const outbox = h.get(Outbox);
    const states = h.get(Storage as unknown as new () => Storage).collection<LifecycleStateDocument>(LIFECYCLE_STATE_COLLECTION);
    await useCase.execute(command(account, 'Kickoff', 3, 'fold-a'));
    await outbox.whenFlushed([pair]);
    const first = (await states.findOne({ _id: pair }))!.outbox.map((e) => e.id);
    expect(first.length).toBeGreaterThan(0);
    // Published, and waiting for its removal: the next write takes it out.
    expect([...(outbox.publishedIn(pair) ?? [])]).toEqual(first);
    await useCase.execute(command(account, 'Configuration', 2, 'fold-b'));
    const second = (await states.findOne({ _id: pair }))!.outbox.map((e) => e.id);
    expect(second.some((id) => first.includes(id))).toBe(false);
    expect(outbox.publishedIn(pair)).toBeUndefined();
    await outbox.whenFlushed([pair]);
    await waitFor('the outbox emptied', async () => (await states.findOne({ _id: pair }))!.outbox.length === 0);
  });
});
