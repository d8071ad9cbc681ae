import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricSum, newTestRun, readMetrics, testGatewayConfig, TEST_ADMIN_KEY, TEST_VIEWER_KEY, waitFor } from '@lifecycle/testing';
import { startGateway, type RunningGateway } from './gateway.bootstrap';

/** A recording HTTP upstream standing in for one service (the services have their own e2e tests). */
function recordingUpstream(): Promise<{ server: Server; url: string; seen: IncomingMessage[]; bodies: string[] }> {
  const seen: IncomingMessage[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(req);
      bodies.push(body);
      if (req.url?.endsWith('/health')) return res.writeHead(200).end('{}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url, method: req.method }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen, bodies }),
    ),
  );
}

/** A built console in miniature: index.html and one hashed asset. */
function consoleFiles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>console</title><script type="module" src="/console/assets/app-1a2b.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'app-1a2b.js'), 'export {};');
  return dir;
}

describe('gateway: auth, roles, routing, errors, rate limit, health', () => {
  const run = newTestRun('gateway');
  let gateway: RunningGateway;
  let upstream: Awaited<ReturnType<typeof recordingUpstream>>;
  const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
  const viewer = { authorization: `Bearer ${TEST_VIEWER_KEY}` };
  const integrationKey = 'test-integration-key-000001';
  const integration = { authorization: `Bearer ${integrationKey}` };

  beforeAll(async () => {
    upstream = await recordingUpstream();
    gateway = await startGateway(
      testGatewayConfig(
        run,
        { catalog: upstream.url, tracking: upstream.url, cycles: 'http://127.0.0.1:9', segments: upstream.url },
        {
          rateLimitPerMinute: 40,
          consoleDir: consoleFiles(),
          apiKeys: [
            { key: TEST_ADMIN_KEY, role: 'admin' },
            { key: TEST_VIEWER_KEY, role: 'viewer' },
            { key: integrationKey, role: 'viewer', ratePerMinute: 5 },
          ],
        },
      ),
    );
  });

  afterAll(async () => {
    await gateway.app.close();
    upstream.server.close();
  });

  const call = (path: string, init: RequestInit = {}) => fetch(`${gateway.url}${path}`, init);

  it('refuses a call without a key or with a wrong key, in the error shape', async () => {
    const none = await call('/v1/attributes');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Missing API key: send Authorization: Bearer <api key>',
      details: { code: 'UNAUTHENTICATED' },
    });
    const wrong = await call('/v1/attributes', { headers: { authorization: 'Bearer not-a-key-at-all-000000' } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toBe('Invalid API key');
  });

  it('lets a viewer read and refuses a viewer write with 403', async () => {
    expect((await call('/v1/attributes', { headers: viewer })).status).toBe(200);
    const write = await call('/v1/attributes', { method: 'POST', headers: { ...viewer, 'content-type': 'application/json' }, body: '{}' });
    expect(write.status).toBe(403);
    expect(((await write.json()) as { message: string }).message).toMatch(/viewer role may only read/);
  });

  it('forwards the full path, query and body to the owning service, without the key, with request id and actor', async () => {
    const res = await call('/v1/attributes/onboarding-status/stages?x=1', {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json', 'x-request-id': 'req-123' },
      body: JSON.stringify({ name: 'Kickoff' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: '/v1/attributes/onboarding-status/stages?x=1', method: 'POST' });
    const forwarded = upstream.seen.at(-1)!;
    expect(forwarded.headers.authorization).toBeUndefined();
    expect(forwarded.headers['x-request-id']).toBe('req-123');
    expect(forwarded.headers['x-actor']).toMatch(/^admin:key-[0-9a-f]{8}$/);
    expect(upstream.bodies.at(-1)).toBe('{"name":"Kickoff"}');
  });

  it('answers 404 for unknown paths and 503 when the owning service is down, never a stack trace', async () => {
    const unknown = await call('/v1/nothing-here', { headers: admin });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'No route for GET /v1/nothing-here',
      details: { code: 'NOT_FOUND' },
    });
    const down = await call('/v1/cycle-templates', { headers: admin });
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The cycle-planning service is unavailable; retry shortly',
      details: { code: 'UNAVAILABLE' },
    });
  });

  it("answers a key's role and id (GET /v1/session), never the key", async () => {
    const asAdmin = await call('/v1/session', { headers: admin });
    expect(asAdmin.status).toBe(200);
    expect(await asAdmin.json()).toEqual({ role: 'admin', keyId: expect.stringMatching(/^key-[0-9a-f]{8}$/) });
    expect(await (await call('/v1/session', { headers: viewer })).json()).toMatchObject({ role: 'viewer' });
    expect((await call('/v1/session')).status).toBe(401);
    expect(upstream.seen.some((r) => r.url?.startsWith('/v1/session'))).toBe(false);
  });

  it('serves the console without a key: its files, index.html for its routes, 404 for a missing asset, with CSP', async () => {
    const index = await call('/console/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('/console/assets/app-1a2b.js');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');

    const route = await call('/console/accounts/acme');
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toMatch(/^text\/html/);
    const asset = await call('/console/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await call('/console/assets/gone-0000.js');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'No console file /console/assets/gone-0000.js',
      details: { code: 'NOT_FOUND' },
    });
    // Only reads are served; anything else goes through the API's auth.
    expect((await call('/console/', { method: 'POST' })).status).toBe(401);
  });

  it('serves the OpenAPI UI and document without a key', async () => {
    expect((await call('/docs')).status).toBe(200);
    const doc = (await (await call('/docs-json')).json()) as { paths: Record<string, unknown>; components: { securitySchemes: unknown } };
    expect(doc.paths['/v1/accounts/{accountId}']).toBeDefined();
    expect(doc.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
  });

  it('guards the queue dashboard: admins only', async () => {
    expect((await call('/admin/queues')).status).toBe(401);
    expect((await call('/admin/queues', { headers: viewer })).status).toBe(403);
    expect((await call('/admin/queues', { headers: admin })).status).toBe(200);
    const basic = `Basic ${Buffer.from(`admin:${TEST_ADMIN_KEY}`).toString('base64')}`;
    expect((await call('/admin/queues', { headers: { authorization: basic } })).status).toBe(200);
  });

  it('limits each key per minute with 429 and Retry-After', async () => {
    let limited: Response | null = null;
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await call('/v1/attributes', { headers: viewer });
      if (res.status === 429) limited = res;
    }
    expect(limited).not.toBeNull();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited!.json()) as { message: string }).message).toMatch(
      /^Rate limit of 40 requests per minute for this API key exceeded/,
    );
  });

  it("applies a key's own limit from API_KEYS, counted apart from the other keys", async () => {
    const rejected = async () => metricSum(await readMetrics(gateway.url), 'lifecycle_gateway_rate_limited_total');
    const before = await rejected();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call('/v1/attributes', { headers: integration })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await call('/v1/attributes', { headers: integration });
    expect(limited.headers.get('ratelimit')).toMatch(/limit=5\b/);
    expect(((await limited.json()) as { message: string }).message).toMatch(
      /^Rate limit of 5 requests per minute for this API key exceeded/,
    );
    // The admin key has its own counter and the gateway-wide limit.
    expect((await call('/v1/attributes', { headers: admin })).status).toBe(200);
    expect(await rejected()).toBe(before + 3);
  });

  it('serves /metrics on loopback without a key: rejections by key id (never the key), requests per upstream', async () => {
    const res = await call('/metrics');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(integrationKey);
    const samples = await readMetrics(gateway.url);
    const keyIds = samples.filter((s) => s.name === 'lifecycle_gateway_rate_limited_total').map((s) => s.labels.key_id);
    expect(keyIds.length).toBeGreaterThan(0);
    for (const id of keyIds) expect(id).toMatch(/^key-[0-9a-f]{8}$/);
    const proxied = { name: 'http_server_request_duration_seconds_count', labels: { route: 'upstream:attribute-catalog', status: '200' } };
    expect(metricSum(samples, proxied.name, proxied.labels)).toBeGreaterThan(0);
    expect(
      metricSum(samples, 'http_server_request_duration_seconds_count', { route: 'upstream:cycle-planning', status: '503' }),
    ).toBeGreaterThan(0);
  });
});

/** A Redis of the test's own (the real server binary), so stopping it disturbs nobody else. */
function privateRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

describe('gateway health', () => {
  const run = newTestRun('gwhealth');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let redis: ChildProcess;
  let gateway: RunningGateway;

  beforeAll(async () => {
    redis = privateRedis(port);
    gateway = await startGateway(
      testGatewayConfig(
        run,
        { catalog: 'http://127.0.0.1:9', tracking: 'http://127.0.0.1:9', cycles: 'http://127.0.0.1:9', segments: 'http://127.0.0.1:9' },
        {
          redis: { url: `redis://127.0.0.1:${port}`, prefix: `t-${run.id}` },
        },
      ),
    );
  });

  afterAll(async () => {
    await gateway.app.close();
    redis.kill('SIGKILL');
  });

  const health = async () =>
    (await (await fetch(`${gateway.url}/health`)).json()) as { status: string; details: Record<string, { status: string }> };

  it('reports each dependency; Redis down while it is stopped, recovered without a restart', async () => {
    const first = await waitFor('redis up', async () => {
      const h = await health();
      return h.details.redis?.status === 'up' ? h : undefined;
    });
    expect(first.details.kafka!.status).toBe('up');
    expect(first.details.mongo!.status).toBe('up');
    expect(first.details['status-tracking']!.status).toBe('down');

    redis.kill('SIGTERM');
    const down = await waitFor('redis reported down', async () => {
      const h = await health();
      return h.details.redis?.status === 'down' ? h : undefined;
    });
    expect(down.status).toBe('error');

    redis = privateRedis(port);
    await waitFor('redis reported up again', async () => (await health()).details.redis?.status === 'up', 20_000);
  });
});
