import { ApiError } from './api-error';

/**
 * When the console asks again by itself. A refusal (4xx) is an answer: asking again changes
 * nothing. A service that is down may come back, so a read is tried twice more. Segment
 * evaluation answers 503 `INDEX_NOT_READY` with `Retry-After` while its evaluation index loads
 * (at start, before it answers any count): that answer is "later", not an error, so a read waits
 * for it the way the server says, for as long as an index load takes at most.
 */

/** An `ApiError` that says the segment index is loading. */
export interface IndexLoadingError extends ApiError {
  readonly code: 'INDEX_NOT_READY';
}

/** 503 `INDEX_NOT_READY`: segment evaluation is loading its index and answers once it is in. */
export function isIndexLoading(error: unknown): error is IndexLoadingError {
  return error instanceof ApiError && error.status === 503 && error.code === 'INDEX_NOT_READY';
}

/** The server's `RETRY_AFTER_SECONDS`, used when the header is missing. */
const INDEX_RETRY_SECONDS = 5;
/** Ten minutes of asking at 5 s (an index load of a million accounts takes about a minute). */
const INDEX_WAITS = 120;
const OTHER_5XX_RETRIES = 2;

/** React Query's `retry` for reads (`failures` counts the failed attempts so far, from 0). */
export function retryRead(failures: number, error: unknown): boolean {
  if (isIndexLoading(error)) return failures < INDEX_WAITS;
  return !(error instanceof ApiError && error.status < 500) && failures < OTHER_5XX_RETRIES;
}

/** Only the index's "later": a live preview shows any other refusal at once. */
export function retryWhileIndexLoads(failures: number, error: unknown): boolean {
  return isIndexLoading(error) && failures < INDEX_WAITS;
}

/** React Query's `retryDelay`: what `Retry-After` says for the index, else doubling from 1 s. */
export function retryDelay(failures: number, error: unknown): number {
  if (isIndexLoading(error)) return (error.retryAfterSeconds ?? INDEX_RETRY_SECONDS) * 1000;
  return Math.min(1000 * 2 ** failures, 30_000);
}
