/**
 * How the consumer path treats a failure:
 * - `InvalidMessageError`: the message itself is wrong (JSON, envelope, unknown type/version,
 *   payload) → dead-letter topic at once, with the reason.
 * - a rule rejection (the service's `isPermanent(error)` says so) → dead-letter topic at once.
 * - an infrastructure failure (database or broker unreachable) → retried with backoff until it
 *   succeeds: the message is valid and must not be lost.
 * - anything else (a bug) → retried a bounded number of times, then dead-lettered, so one
 *   poison message never stalls its partition.
 */
export class InvalidMessageError extends Error {
  constructor(
    message: string,
    readonly errors: string[] = [],
  ) {
    super(message);
    this.name = 'InvalidMessageError';
  }
}

const INFRASTRUCTURE_ERROR_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongooseServerSelectionError',
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNonRetriableError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
]);

export function isInfrastructureError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (INFRASTRUCTURE_ERROR_NAMES.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) return true;
  // Mongo "not primary"/"shutdown in progress" and similar retryable server errors.
  const labels = (error as { errorLabels?: unknown }).errorLabels;
  if (Array.isArray(labels) && labels.includes('RetryableWriteError')) return true;
  // The embedded engine (SQLite): a write that waited longer than the busy timeout for the one write lock.
  return /ECONNREFUSED|connection .*closed|Topology is closed|socket hang up|SQLITE_BUSY|database is locked/i.test(error.message);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
