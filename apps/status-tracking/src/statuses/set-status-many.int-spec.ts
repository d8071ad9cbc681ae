/**
 * The bulk command path against the real server: `executeMany` leaves exactly what the same
 * commands one by one through `execute` leave — history, states, refusals, no-ops, late entries
 * (L11) and the events in each state's outbox — and recovers what the one-by-one path recovers.
 */
import { MS_PER_DAY } from '@lifecycle/rules';
import { seededRandom } from '@lifecycle/testing';
import { Storage } from '@lifecycle/storage';
import { ONBOARDING, StatusTrackingHarness } from '../testing/status-tracking.harness';
import { LIFECYCLE_STATE_COLLECTION, type LifecycleStateDocument } from './lifecycle-state.schema';
import { SetStatusCommand } from './set-status.command';
import { SetStatusUseCase, type SetStatusManyOutcome } from './set-status.use-case';
import { historySlotId, STATUS_HISTORY_COLLECTION, type StatusHistoryDocument } from './status-history.schema';

/** One instant for both runs of a comparison: their commands differ only by the run's name. */
const NOW = Date.now();
const STAGES = ['Kickoff', 'Configuration', 'Implementation', 'Go Live', null, 'Nope'] as const;

/** A seeded stream of commands over a few accounts: in order, backdated, repeated, refused. */
function commandsOf(seed: number, run: string, count: number, now = NOW): SetStatusCommand[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const account = `acct-${run}-${Math.floor(rnd() * 6)}`;
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
async function snapshot(h: StatusTrackingHarness, run: string) {
  const storage = h.get(Storage as unknown as new () => Storage);
  const history = await storage
    .collection<StatusHistoryDocument>(STATUS_HISTORY_COLLECTION)
    .find({ accountId: { $regex: `^acct-${run}-` } })
    .toArray();
  const states = await storage
    .collection<LifecycleStateDocument>(LIFECYCLE_STATE_COLLECTION)
    .find({ accountId: { $regex: `^acct-${run}-` } })
    .toArray();
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
  return {
    history: history
      .map((e) => ({ slot: e._id.replace(`-${run}-`, '-'), to: e.to, at: e.at.toISOString(), key: e.idempotencyKey.replace(run, '') }))
      .sort((a, b) => a.slot.localeCompare(b.slot)),
    states: states
      .map((s) => ({
        id: s._id.replace(`-${run}-`, '-'),
        historyCount: s.historyCount,
        lifecycle: plain(s.lifecycle),
        changes: s.changes.map((c) => ({ seq: c.seq, to: c.to, at: c.at.toISOString() })),
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

const kinds = (outcomes: readonly SetStatusManyOutcome[]) =>
  outcomes.map((o) => (o.ok ? o.result.outcome : 'blocked' in o ? 'blocked' : (o.error as Error).name));

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

  it('acknowledges a repeated batch as duplicates and changes nothing', async () => {
    const commands = commandsOf(11, 'dup', 30);
    await useCase.executeMany(commands);
    const before = await snapshot(h, 'dup');
    const again = await useCase.executeMany(commands);
    expect(kinds(again).filter((k) => k === 'applied')).toEqual([]);
    expect(await snapshot(h, 'dup')).toEqual(before);
  });

  it('folds in an entry a crash left behind before deciding (a no-op against the stale state is not one)', async () => {
    const account = 'acct-crash-0';
    const at = (days: number) => new Date(Date.now() - days * MS_PER_DAY);
    const command = (stage: string, days: number, key: string) =>
      SetStatusCommand.create({
        accountId: account,
        attributeKey: ONBOARDING,
        stage,
        at: at(days),
        source: 'rest',
        idempotencyKey: key,
        actor: null,
        requestId: null,
      });
    await useCase.execute(command('Kickoff', 10, 'crash-1'));
    // A writer died between its history entry (Configuration) and its state write.
    await h
      .get(Storage as unknown as new () => Storage)
      .collection<StatusHistoryDocument>(STATUS_HISTORY_COLLECTION)
      .insertOne({
        _id: historySlotId(account, ONBOARDING, 2),
        changeId: 'left-behind',
        accountId: account,
        attributeKey: ONBOARDING,
        seq: 2,
        to: 'stg-configuration',
        at: at(8),
        source: 'rest',
        actor: null,
        requestId: null,
        idempotencyKey: 'crash-2',
        recordedAt: new Date(),
      });
    // Against the stale state (Kickoff) this would be a no-op; against the history it is a move back.
    const [outcome] = await useCase.executeMany([command('Kickoff', 5, 'crash-3')]);
    expect(outcome).toMatchObject({ ok: true, result: { outcome: 'applied' } });
    const lifecycle = await h.lifecycle(account);
    expect(lifecycle.stage?.name).toBe('Kickoff');
    const history = (
      await h.api<{ entries: { to: { name: string } | null }[] }>('GET', `/v1/accounts/${account}/statuses/${ONBOARDING}/history`)
    ).body;
    expect(history.entries.map((e) => e.to?.name)).toEqual(['Kickoff', 'Configuration', 'Kickoff']);
  });
});
