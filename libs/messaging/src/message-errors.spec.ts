import { describeError, isInfrastructureError } from './message-errors';

function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(Object.assign(new Error(message), { name }), extra);
}

describe('isInfrastructureError: what the consumer retries until it recovers', () => {
  it.each([
    ['an unreachable Mongo server', named('MongoServerSelectionError', 'Server selection timed out after 5000 ms')],
    ['a dropped Mongo connection', named('MongoNetworkError', 'connection 4 to 127.0.0.1:27017 closed')],
    ['a refused socket', named('Error', 'connect ECONNREFUSED 127.0.0.1:9092', { code: 'ECONNREFUSED' })],
    ['a retryable write error', named('MongoServerError', 'shutdown in progress', { errorLabels: ['RetryableWriteError'] })],
    [
      'FerretDB on SQLite waiting too long for its write lock',
      named('MongoServerError', 'database is locked (5) (SQLITE_BUSY)', { code: 1 }),
    ],
    ['a broker that is gone', named('KafkaJSConnectionError', 'Connection error: read ECONNRESET')],
  ])('%s', (_case, error) => {
    expect(isInfrastructureError(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'stageId')")],
    ['a duplicate key', named('MongoServerError', 'E11000 duplicate key error', { code: 11000 })],
    ['a string', 'database is locked'],
    ['nothing', undefined],
  ])('not %s', (_case, error) => {
    expect(isInfrastructureError(error)).toBe(false);
  });

  it('describes errors by name and message, anything else as text', () => {
    expect(describeError(named('MongoNetworkError', 'closed'))).toBe('MongoNetworkError: closed');
    expect(describeError(42)).toBe('42');
  });
});
