import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { applyPerKey, dispatchInRuns, type HandlerLookup } from './batch-dispatch';
import type { ConsumedEvent, EventOutcome } from './event-consumer';

const context = { topic: 'crm.accounts' as const, partition: 0, heartbeat: async () => undefined };
const event = (
  accountId: string,
  type: 'crm.account.upserted' | 'crm.account.canceled' = 'crm.account.upserted',
  offset = 0,
): ConsumedEvent => ({
  offset: String(offset),
  envelope: {
    id: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'crm',
    data: type === 'crm.account.upserted' ? { accountId, name: accountId } : { accountId },
  } as AnyEnvelope,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('applying a partition batch in runs, in order per key', () => {
  it('applies the events of one key one after the other, and different keys at once', async () => {
    const log: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const events = ['a', 'b', 'a', 'c', 'b', 'a'].map((k, i) => event(k, 'crm.account.upserted', i));
    const outcomes = await applyPerKey(
      events,
      async (e) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(5);
        log.push(`${(e.envelope.data as { accountId: string }).accountId}@${e.offset}`);
        inFlight--;
      },
      16,
    );
    expect(outcomes.every((o) => o.kind === 'applied')).toBe(true);
    expect(log.filter((l) => l.startsWith('a'))).toEqual(['a@0', 'a@2', 'a@5']);
    expect(log.filter((l) => l.startsWith('b'))).toEqual(['b@1', 'b@4']);
    expect(maxInFlight).toBe(3);
  });

  it('blocks the later events of a key whose event failed, and only those', async () => {
    const events = ['a', 'b', 'a', 'b', 'a'].map((k, i) => event(k, 'crm.account.upserted', i));
    const outcomes = await applyPerKey(
      events,
      async (e) => {
        if (e.offset === '2') throw new Error('poison');
      },
      2,
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'failed', 'applied', 'blocked']);
  });

  it('sends consecutive events of one type to its run handler in one call, and keeps a failed key blocked in later runs', async () => {
    const calls: string[][] = [];
    const handlers: HandlerLookup = {
      run: (type) =>
        type === 'crm.account.upserted'
          ? async (run) => {
              calls.push(run.map((e) => e.offset));
              return run.map((e): EventOutcome => (e.offset === '1' ? { kind: 'failed', error: new Error('x') } : { kind: 'applied' }));
            }
          : undefined,
      single: () => async () => undefined,
    };
    const events = [
      event('a', 'crm.account.upserted', 0),
      event('b', 'crm.account.upserted', 1),
      event('a', 'crm.account.canceled', 2),
      event('b', 'crm.account.canceled', 3),
      event('b', 'crm.account.upserted', 4),
      event('c', 'crm.account.upserted', 5),
    ];
    const outcomes = await dispatchInRuns(events, context, handlers);
    expect(calls).toEqual([['0', '1'], ['5']]);
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'failed', 'applied', 'blocked', 'blocked', 'applied']);
  });

  it('fails the whole run when a run handler throws, and ignores types without a handler', async () => {
    const handlers: HandlerLookup = {
      run: (type) =>
        type === 'crm.account.upserted'
          ? async () => {
              throw new Error('database down');
            }
          : undefined,
      single: () => undefined,
    };
    const outcomes = await dispatchInRuns([event('a'), event('b', 'crm.account.canceled'), event('c')], context, handlers);
    expect(outcomes.map((o) => o.kind)).toEqual(['failed', 'applied', 'failed']);
  });

  it('property: per key, events are attempted in offset order and nothing after a failure is applied', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), fails: fc.boolean(), cancel: fc.boolean() }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        async (plan, keysInFlight) => {
          const events = plan.map((p, i) => event(p.key, p.cancel ? 'crm.account.canceled' : 'crm.account.upserted', i));
          const attempted = new Map<string, number[]>();
          const apply = async (e: ConsumedEvent) => {
            const key = (e.envelope.data as { accountId: string }).accountId;
            attempted.set(key, [...(attempted.get(key) ?? []), Number(e.offset)]);
            await sleep(0);
            if (plan[Number(e.offset)]!.fails) throw new Error('fails');
          };
          const outcomes = await dispatchInRuns(
            events,
            context,
            { run: () => undefined, single: () => async (env, ctx) => apply({ envelope: env, offset: ctx.offset }) },
            keysInFlight,
          );
          for (const offsets of attempted.values()) expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
          for (const key of ['a', 'b', 'c', 'd']) {
            const mine = plan.map((p, i) => ({ ...p, i })).filter((p) => p.key === key);
            const firstFail = mine.findIndex((p) => p.fails);
            mine.forEach((p, n) => {
              const expected = firstFail === -1 || n < firstFail ? 'applied' : n === firstFail ? 'failed' : 'blocked';
              expect(outcomes[p.i]!.kind).toBe(expected);
            });
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
