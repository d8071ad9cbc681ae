import { captureContext, runInContext } from '@lifecycle/observability';
import { DEFAULT_MAX_EVENTS_PER_STEP } from './event-consumer';

interface Submitted<I, O> {
  items: readonly I[];
  /** The submitter's trace context: a merged call runs in its first submitter's (the others' events join that trace). */
  trace: ReturnType<typeof captureContext>;
  resolve: (outcomes: O[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Merges the calls made within one turn of the event loop into one call of `runMany`, up to
 * `maxItems` items (a larger group starts another call at once). The default is a consumer's step
 * (`DEFAULT_MAX_EVENTS_PER_STEP`): under a burst the steps of different partitions, each about that
 * size, still run apart and overlap their I/O. A consumer applies the batches
 * of several partitions of one fetch at the same time: at moderate rates each holds a few dozen
 * events, and one bulk read, one bulk write and one publish for all of them cost a fraction of six
 * of each. Nothing waits for a timer: the merged call starts once the current turn's work is done
 * (`setImmediate`). Each caller gets the outcomes of its own items, in its order; a failure of the
 * merged call is every caller's failure (each retries its own batch). `runMany` must keep each
 * caller's items in their order relative to each other (items of one key come from one caller).
 */
export class TurnBatcher<I, O> {
  private group: Submitted<I, O>[] = [];
  private size = 0;
  private scheduled: NodeJS.Immediate | null = null;

  constructor(
    private readonly runMany: (items: readonly I[]) => Promise<O[]>,
    private readonly maxItems = DEFAULT_MAX_EVENTS_PER_STEP,
  ) {}

  submit(items: readonly I[]): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<O[]>((resolve, reject) => {
      if (this.size > 0 && this.size + items.length > this.maxItems) this.runGroup();
      this.group.push({ items, trace: captureContext(), resolve, reject });
      this.size += items.length;
      this.scheduled ??= setImmediate(() => this.runGroup());
    });
  }

  private runGroup(): void {
    if (this.scheduled !== null) clearImmediate(this.scheduled);
    this.scheduled = null;
    const group = this.group;
    this.group = [];
    this.size = 0;
    if (group.length === 0) return;
    const items = group.length === 1 ? group[0]!.items : group.flatMap((g) => g.items);
    runInContext(group[0]!.trace, () => this.runMany(items)).then(
      (outcomes) => {
        let at = 0;
        for (const g of group) {
          g.resolve(outcomes.slice(at, at + g.items.length));
          at += g.items.length;
        }
      },
      (error: unknown) => {
        for (const g of group) g.reject(error);
      },
    );
  }
}

/**
 * A look-up by id whose calls within one turn of the event loop go out as one `getMany`
 * (`TurnBatcher`): under load, the requests a service reads in one turn (views of different
 * accounts) share one query and one round trip instead of one each. An answer is as fresh as a
 * look-up of its own: the merged query starts after every merged call was made.
 */
export function mergedLookup<V>(
  getMany: (ids: readonly string[]) => Promise<ReadonlyMap<string, V>>,
): (id: string) => Promise<V | undefined> {
  const batcher = new TurnBatcher<string, V | undefined>(async (ids) => {
    const found = await getMany(ids);
    return ids.map((id) => found.get(id));
  });
  return async (id) => (await batcher.submit([id]))[0];
}
