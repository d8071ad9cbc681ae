/**
 * How long a consumer waits after a small fetch before kafkajs fetches again. kafkajs fetches only
 * once every batch of its last fetch has returned, so the next fetch then carries what arrived
 * meanwhile. At moderate rates a fetch otherwise returns each produce request's few records as
 * soon as they land, and every fetch costs the service its reads, writes and commit and the
 * broker a fetch and a commit: at 300 updates/s through the gateway, cycle planning and the broker
 * took 3–6 points of a core less each (docs/benchmarks.md). Idle costs nothing (no batch, no wait:
 * the fetch waits at the broker). A fetch is judged by all its batches' records together, as the
 * service applies them together (`TurnBatcher`): a busy consumer's fetches hold enough records to
 * share those costs, and a wait there is dead time in a loop that is already full, paid by every
 * record (status tracking paced at ~3 000 CRM events/s, partition batches of ~20 records: p99 of a
 * median 160 ms without a wait, 400 ms waiting after every batch under 100 records;
 * docs/benchmarks.md). What a consumer applies can be up to this much later at low rates.
 */
export const DEFAULT_LINGER_MS = 20;
/** A fetch of this many records or more never waits: at 300 updates/s fetches hold a few. */
export const LINGER_BELOW = 20;

/**
 * The wait of one consumer (`DEFAULT_LINGER_MS`), once per fetch: the first batch of a small fetch
 * to finish sets the time every batch of that fetch waits for, so batches applied at the same time,
 * or after one another, add the wait once. The consumer calls `fetched` on kafkajs's `FETCH` event,
 * which comes before the fetch's batches are handed out, and `started` as each batch begins: kafkajs
 * hands a fetch's batches to its `partitionsConsumedConcurrently` workers at once, so by the time
 * the first one ends the fetch's size is known (with more batches than workers, those begun so far).
 */
export class FetchLinger {
  private until = 0;
  private records = 0;

  constructor(private readonly ms: number = DEFAULT_LINGER_MS) {}

  /** A new fetch returned: its batches set a time of their own. */
  fetched(): void {
    this.until = 0;
    this.records = 0;
  }

  /** A batch of the fetch begins with `records` records. */
  started(records: number): void {
    this.records += records;
  }

  /** At the end of a batch: waits, while the consumer is `live`, when its fetch is small. */
  async after(live: () => boolean): Promise<void> {
    if (this.ms <= 0 || this.records >= LINGER_BELOW) return;
    const now = Date.now();
    if (this.until === 0) this.until = now + this.ms;
    const wait = this.until - now;
    if (wait > 0 && live()) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
