/** What a long job's runner is given by the processor: save progress, and whether to pause now. */
export interface JobHooks<TData> {
  /** Saves the resumable state in the job (a retry or another worker resumes from it) and the progress. */
  checkpoint(data: TData, progress: Record<string, unknown>): Promise<void>;
  /** True while the worker is shutting down: stop after the current page; the job resumes elsewhere. */
  shouldYield(): boolean;
}

/** A runner's answer when it stopped early for `shouldYield`. */
export const YIELDED = Symbol('yielded');

/** Runs `work` over `items` with at most `limit` at once (bounded parallelism of a page). */
export async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
