/**
 * Trusted calls between the gateway and the services: a service configured to verify every caller
 * (`INTERNAL_AUTH_LOOPBACK=verified`, what a caller off loopback always meets) serves calls the
 * gateway signed and refuses direct ones with 401, logged and counted; keys rotate without
 * downtime (the ring accepts the current and the previous key).
 */
import { Logger } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { InternalKey } from '@lifecycle/config';
import { InternalTokenSigner, startService, type RunningService } from '@lifecycle/http';
import { metricSum, newTestRun, readMetrics, testGatewayConfig, testServiceConfig, TEST_ADMIN_KEY } from '@lifecycle/testing';
import { attributeCatalogDefinition } from '../apps/attribute-catalog/src/attribute-catalog.definition';
import { AttributeCatalogModule } from '../apps/attribute-catalog/src/attribute-catalog.module';
import { startGateway, type RunningGateway } from '../apps/gateway/src/gateway.bootstrap';

const k1: InternalKey = { id: 'k1', secret: 'previous-secret-0123456789abcdefghijklmn' };
const k2: InternalKey = { id: 'k2', secret: 'current-secret-0123456789abcdefghijklmno' };
const k0: InternalKey = { id: 'k0', secret: 'retired-secret-0123456789abcdefghijklmno' };

describe('trusted calls: services serve the gateway only', () => {
  const run = newTestRun('trusted');
  const config = { ...testServiceConfig(run, 'attribute-catalog'), internalAuth: { keys: [k2, k1], loopback: 'verified' as const } };
  let service: RunningService;
  const gateways: RunningGateway[] = [];
  const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

  const gatewaySigningWith = async (keys: InternalKey[]) => {
    const none = 'http://127.0.0.1:9';
    const gateway = await startGateway(
      testGatewayConfig(run, { catalog: service.url, tracking: none, cycles: none, segments: none }, { internalAuthKeys: keys }),
    );
    gateways.push(gateway);
    return gateway;
  };
  const refusals = async () => metricSum(await readMetrics(service.url), 'lifecycle_internal_auth_refused_total');

  beforeAll(async () => {
    service = await startService(AttributeCatalogModule.register(config), config, attributeCatalogDefinition);
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.app.close();
    await service?.app.get<Connection>(getConnectionToken()).dropDatabase();
    await service?.app.close();
  });

  it('serves a call through the gateway (signed with the current key), keeping its request id', async () => {
    const gateway = await gatewaySigningWith([k2, k1]);
    const res = await fetch(`${gateway.url}/v1/attributes`, { headers: { ...admin, 'x-request-id': 'trusted-req-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trusted-req-1');
  });

  it('refuses a direct call without the credential, or with an API key, with 401 in the error shape; logs and counts it', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const before = await refusals();
    const direct = await fetch(`${service.url}/v1/attributes`);
    expect(direct.status).toBe(401);
    expect(await direct.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Services answer only calls through the gateway: send the request to the gateway with an API key',
      details: { code: 'UNAUTHENTICATED' },
    });
    const withApiKey = await fetch(`${service.url}/v1/attributes`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(withApiKey.status).toBe(401);
    expect(await refusals()).toBe(before + 2);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^refused GET \/v1\/attributes from .*: no internal credential$/),
        expect.stringMatching(/^refused POST \/v1\/attributes from .*: internal credential malformed$/),
      ]),
    );
    warn.mockRestore();
  });

  it('leaves the probes open: /health and /health/live answer without a credential', async () => {
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    expect([200, 503]).toContain((await fetch(`${service.url}/health`)).status);
  });

  it('rotation: the previous key and the current key are both accepted; a retired key or a forged token is refused', async () => {
    const before = await fetch(`${(await gatewaySigningWith([k1])).url}/v1/attributes`, { headers: admin });
    expect(before.status).toBe(200);
    const after = await fetch(`${(await gatewaySigningWith([k2, k1])).url}/v1/attributes`, { headers: admin });
    expect(after.status).toBe(200);
    const retired = await fetch(`${(await gatewaySigningWith([k0])).url}/v1/attributes`, { headers: admin });
    expect(retired.status).toBe(401);
    const forged = new InternalTokenSigner([{ id: 'k2', secret: 'guessed-secret-0123456789abcdefghijklmno' }]).sign(
      'admin:key-00000000',
      null,
    );
    expect((await fetch(`${service.url}/v1/attributes`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    const signed = new InternalTokenSigner([k2]).sign('admin:key-00000000', 'direct-but-signed');
    expect((await fetch(`${service.url}/v1/attributes`, { headers: { authorization: `Bearer ${signed}` } })).status).toBe(200);
  });
});
