import { ApiError } from './api-error';
import { isIndexLoading, retryDelay, retryRead, retryWhileIndexLoads } from './retry-policy';

const indexLoading = (retryAfter: number | null) =>
  new ApiError(
    503,
    {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The segment index is loading (1200 accounts so far); retry in 5 s',
      details: { code: 'INDEX_NOT_READY' },
    },
    retryAfter,
  );
const refusal = new ApiError(422, { statusCode: 422, error: 'Unprocessable Entity', message: 'no', details: { code: 'INVALID_CRITERIA' } });
const down = new ApiError(503, { statusCode: 503, error: 'Service Unavailable', message: 'The segment-evaluation service is unavailable' });

describe('the console asks again when the server says later', () => {
  it('knows the loading index by its code, not by its status alone', () => {
    expect(isIndexLoading(indexLoading(5))).toBe(true);
    expect(isIndexLoading(down)).toBe(false);
    expect(isIndexLoading(new Error('INDEX_NOT_READY'))).toBe(false);
  });

  it('waits for a loading index as long as a load takes, at the pace Retry-After gives', () => {
    expect(retryRead(0, indexLoading(5))).toBe(true);
    expect(retryRead(119, indexLoading(5))).toBe(true);
    expect(retryRead(120, indexLoading(5))).toBe(false);
    expect(retryDelay(7, indexLoading(2))).toBe(2000);
    expect(retryDelay(0, indexLoading(null))).toBe(5000);
  });

  it('does not ask again after a refusal; a service that is down gets two more tries, doubling', () => {
    expect(retryRead(0, refusal)).toBe(false);
    expect([0, 1, 2].map((n) => retryRead(n, down))).toEqual([true, true, false]);
    expect([0, 1, 2].map((n) => retryDelay(n, down))).toEqual([1000, 2000, 4000]);
    expect(retryDelay(10, down)).toBe(30_000);
  });

  it('a live preview shows its refusals at once and waits only for the index', () => {
    expect(retryWhileIndexLoads(0, refusal)).toBe(false);
    expect(retryWhileIndexLoads(0, down)).toBe(false);
    expect(retryWhileIndexLoads(0, indexLoading(5))).toBe(true);
  });
});
