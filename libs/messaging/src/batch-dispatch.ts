import { aggregateKey, type AnyEnvelope, type EventType } from '@lifecycle/contracts';
import type { BatchContext, ConsumedContext, ConsumedEvent, EventOutcome } from './event-consumer';

/** Applies one event; throws to fail it. */
export type SingleHandler = (envelope: AnyEnvelope, context: ConsumedContext) => Promise<void>;
/** Applies a run of events of one type, in order per key; one outcome per event (see `EventOutcome`). */
export type RunHandler = (events: readonly ConsumedEvent[], context: BatchContext) => Promise<EventOutcome[]>;

export interface HandlerLookup {
  /** The handler of a whole run of this type, if the service has one. */
  run(type: EventType): RunHandler | undefined;
  /** The handler of one event of this type, if the service has one (else the event is ignored). */
  single(type: EventType): SingleHandler | undefined;
}

/** Events of different keys applied at once by one-event handlers. */
export const KEYS_IN_FLIGHT = 16;

/**
 * Applies a partition's events in order per key: consecutive events of one type form a run; a
 * run goes to the type's run handler in one call, or to its one-event handler key by key (keys in
 * parallel, the events of a key one after the other). Once an event of a key fails, the later
 * events of that key are `blocked` — in this run and the runs after it — so a retry keeps the order.
 */
export async function dispatchInRuns(
  events: readonly ConsumedEvent[],
  context: BatchContext,
  handlers: HandlerLookup,
  keysInFlight = KEYS_IN_FLIGHT,
): Promise<EventOutcome[]> {
  const outcomes: EventOutcome[] = new Array(events.length);
  const failedKeys = new Set<string>();
  for (let start = 0; start < events.length;) {
    const type = events[start]!.envelope.type;
    let end = start + 1;
    while (end < events.length && events[end]!.envelope.type === type) end++;
    const indexes: number[] = [];
    for (let i = start; i < end; i++) {
      if (failedKeys.has(aggregateKey(events[i]!.envelope))) outcomes[i] = { kind: 'blocked' };
      else indexes.push(i);
    }
    const run = indexes.map((i) => events[i]!);
    const runOutcomes = await applyRun(type, run, context, handlers, keysInFlight);
    indexes.forEach((eventIndex, k) => {
      const outcome = runOutcomes[k] ?? { kind: 'failed', error: new Error(`no outcome for event ${events[eventIndex]!.envelope.id}`) };
      outcomes[eventIndex] = outcome;
      if (outcome.kind !== 'applied') failedKeys.add(aggregateKey(events[eventIndex]!.envelope));
    });
    start = end;
  }
  return outcomes;
}

async function applyRun(
  type: EventType,
  run: readonly ConsumedEvent[],
  context: BatchContext,
  handlers: HandlerLookup,
  keysInFlight: number,
): Promise<EventOutcome[]> {
  if (run.length === 0) return [];
  const runHandler = handlers.run(type);
  if (runHandler) {
    try {
      return await runHandler(run, context);
    } catch (error) {
      // A run handler that throws fails its whole run: nothing of it is known to be stored.
      return run.map(() => ({ kind: 'failed', error }) as const);
    }
  }
  const single = handlers.single(type);
  // Another event type on a subscribed topic, which this service does not handle.
  if (!single) return run.map(() => ({ kind: 'applied' }) as const);
  return applyPerKey(
    run,
    (event) => single(event.envelope, { ...context, offset: event.offset, traceparent: event.traceparent ?? null }),
    keysInFlight,
  );
}

/** One event at a time per key, keys in parallel; a failure blocks the rest of its key. */
export async function applyPerKey(
  run: readonly ConsumedEvent[],
  apply: (event: ConsumedEvent) => Promise<void>,
  keysInFlight: number,
): Promise<EventOutcome[]> {
  const outcomes: EventOutcome[] = new Array(run.length);
  const byKey = new Map<string, number[]>();
  run.forEach((event, i) => {
    const key = aggregateKey(event.envelope);
    const list = byKey.get(key) ?? [];
    list.push(i);
    byKey.set(key, list);
  });
  const queue = [...byKey.values()];
  const worker = async () => {
    for (let indexes = queue.shift(); indexes !== undefined; indexes = queue.shift()) {
      let failed = false;
      for (const i of indexes) {
        if (failed) {
          outcomes[i] = { kind: 'blocked' };
          continue;
        }
        try {
          await apply(run[i]!);
          outcomes[i] = { kind: 'applied' };
        } catch (error) {
          outcomes[i] = { kind: 'failed', error };
          failed = true;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(keysInFlight, queue.length) }, worker));
  return outcomes;
}
