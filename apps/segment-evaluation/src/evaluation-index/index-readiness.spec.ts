import type { Request, Response } from 'express';
import type { EvaluationIndexService, IndexPhase } from './evaluation-index.service';
import { IndexReadinessController, IndexReadinessMiddleware } from './index-readiness';

/** A response that records what the middleware / controller set. */
function recordingResponse() {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const response = {
    status(code: number) {
      sent.status = code;
      return response;
    },
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
      return response;
    },
    json(body: unknown) {
      sent.body = body;
      return response;
    },
  };
  return { sent, response: response as unknown as Response };
}

function indexIn(phase: IndexPhase, accounts: number): EvaluationIndexService {
  return {
    ready: phase === 'ready',
    status: () => ({ phase, accounts, readyAfterMs: phase === 'ready' ? 1234 : null, instance: 'a' }),
  } as unknown as EvaluationIndexService;
}

describe('index readiness', () => {
  it('answers a read 503 with Retry-After while the index loads, and lets it through once ready', () => {
    const loading = recordingResponse();
    let passed = 0;
    new IndexReadinessMiddleware(indexIn('catching-up', 1200)).use({} as Request, loading.response, () => (passed += 1));
    expect(passed).toBe(0);
    expect(loading.sent).toEqual({
      status: 503,
      headers: { 'Retry-After': '5' },
      body: {
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The segment index is loading (1200 accounts so far); retry in 5 s',
        details: { code: 'INDEX_NOT_READY' },
      },
    });
    const ready = recordingResponse();
    new IndexReadinessMiddleware(indexIn('ready', 5)).use({} as Request, ready.response, () => (passed += 1));
    expect(passed).toBe(1);
    expect(ready.sent).toEqual({ headers: {} });
  });

  it('GET /health/ready: 503 with Retry-After until ready, then 200 with the figures', () => {
    const loading = recordingResponse();
    expect(new IndexReadinessController(indexIn('loading', 10)).ready(loading.response)).toMatchObject({ phase: 'loading', accounts: 10 });
    expect(loading.sent).toEqual({ status: 503, headers: { 'Retry-After': '5' } });
    const ready = recordingResponse();
    expect(new IndexReadinessController(indexIn('ready', 10)).ready(ready.response)).toEqual({
      phase: 'ready',
      accounts: 10,
      readyAfterMs: 1234,
      instance: 'a',
    });
    expect(ready.sent).toEqual({ headers: {} });
  });
});
