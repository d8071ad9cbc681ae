import { routeOf } from './route-table';

describe('gateway routing (SPEC 5.3)', () => {
  it.each([
    ['GET', '/v1/attributes', 'catalog'],
    ['PUT', '/v1/attributes/onboarding-status/stage-order', 'catalog'],
    ['PATCH', '/v1/calendars/germany', 'catalog'],
    ['PUT', '/v1/accounts/acme/statuses/onboarding-status', 'tracking'],
    ['GET', '/v1/accounts/acme/statuses/onboarding-status/history', 'tracking'],
    ['GET', '/v1/accounts', 'tracking'],
    ['POST', '/v1/imports/statuses', 'tracking'],
    ['GET', '/v1/accounts/acme/cycles', 'cycles'],
    ['DELETE', '/v1/accounts/acme/cycles/c1', 'cycles'],
    ['GET', '/v1/accounts/acme/available-cycle-templates', 'cycles'],
    ['POST', '/v1/cycle-templates', 'cycles'],
    ['PUT', '/v1/settings/default-cycle-template', 'cycles'],
    ['GET', '/v1/tasks', 'cycles'],
    ['POST', '/v1/bulk/primary-cycle', 'cycles'],
    ['POST', '/v1/plays', 'cycles'],
    ['GET', '/v1/plays/5d0c1f0e-3a55-4a5e-8d0e-3c1f3c1b9a10/firings', 'cycles'],
    ['GET', '/v1/accounts/acme/play-firings', 'cycles'],
    ['POST', '/v1/accounts/acme/play-tasks/0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10/complete', 'cycles'],
    ['POST', '/v1/segments/preview', 'segments'],
    ['GET', '/v1/accounts/acme/segments', 'segments'],
    ['GET', '/v1/reports/lifecycle', 'segments'],
    ['GET', '/v1/jobs/tracking-imports-1', 'tracking'],
    ['GET', '/v1/jobs/tracking-daily-counters-2025-03-08-1a2b', 'tracking'],
    ['GET', '/v1/jobs/cycles-recalculation-propagate-t1-v2', 'cycles'],
    ['GET', '/v1/jobs/segments-membership-day-rolled-2025-03-08', 'segments'],
  ])('%s %s → %s', (method, path, upstream) => {
    expect(routeOf(method, path)).toEqual({ kind: 'proxy', upstream });
  });

  it('composes the account view in the gateway', () => {
    expect(routeOf('GET', '/v1/accounts/acme')).toEqual({ kind: 'local' });
    expect(routeOf('PUT', '/v1/accounts/acme')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'HEAD'] });
  });

  it("answers the key's session in the gateway", () => {
    expect(routeOf('GET', '/v1/session')).toEqual({ kind: 'local' });
    expect(routeOf('TRACE', '/v1/session')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'HEAD'] });
    expect(routeOf('GET', '/v1/session/other')).toEqual({ kind: 'none' });
  });

  it('knows nothing else under /v1', () => {
    expect(routeOf('GET', '/v1/unknown')).toEqual({ kind: 'none' });
    expect(routeOf('GET', '/v1/jobs/other-1')).toEqual({ kind: 'none' });
    expect(routeOf('GET', '/v1/jobs/tracking-unknown-queue-1')).toEqual({ kind: 'none' });
    expect(routeOf('GET', '/v1/accounts/acme/whatever')).toEqual({ kind: 'none' });
  });
});
