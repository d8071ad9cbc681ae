/**
 * How long a consumer waits after a small batch before kafkajs fetches again. kafkajs fetches only
 * once every batch of its last fetch has returned, so the next fetch then carries what arrived
 * meanwhile. At moderate rates a fetch otherwise returns each produce request's few records as
 * soon as they land, and every batch costs the service its reads, writes and commit and the
 * broker a fetch and a commit: at 300 updates/s through the gateway, cycle planning and the broker
 * took 3–6 points of a core less each (docs/benchmarks.md). Idle costs nothing (no batch, no wait:
 * the fetch waits at the broker); a busy consumer's batches are large and never wait. What a
 * consumer applies can be up to this much later at low rates.
 */
export const DEFAULT_LINGER_MS = 20;
/** A batch this large is what the wait is for: it never waits. */
const LINGER_BELOW = 100;

/**
 * The wait of one consumer (`DEFAULT_LINGER_MS`), once per fetch: the first small batch of a
 * fetch to finish sets the time every batch of that fetch waits for, so batches applied at the
 * same time, or after one another, add the wait once. The consumer calls `fetched` on kafkajs's
 * `FETCH` event, which comes before the fetch's batches are handed out.
 */
export class FetchLinger {
  private until = 0;

  constructor(private readonly ms: number = DEFAULT_LINGER_MS) {}

  /** A new fetch returned: its batches set a time of their own. */
  fetched(): void {
    this.until = 0;
  }

  /** At the end of a batch of `records` records: waits while the consumer is `live`. */
  async after(records: number, live: () => boolean): Promise<void> {
    if (this.ms <= 0 || records >= LINGER_BELOW) return;
    const now = Date.now();
    if (this.until === 0) this.until = now + this.ms;
    const wait = this.until - now;
    if (wait > 0 && live()) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
