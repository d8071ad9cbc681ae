import { jobOwner } from '@lifecycle/contracts';
import type { GatewayConfig } from '@lifecycle/config';

export type Upstream = keyof GatewayConfig['upstreams'];

/** Where a public path goes: a service, the gateway itself (`local`), nowhere (404), or 405 with `allow`. */
export type Route =
  { kind: 'proxy'; upstream: Upstream } | { kind: 'local' } | { kind: 'none' } | { kind: 'method-not-allowed'; allow: readonly string[] };

const ACCOUNT_VIEW = /^\/v1\/accounts\/[^/]+\/?$/;

/** The routing of SPEC 5.3, pure so it can be tested without a network. */
export function routeOf(method: string, path: string): Route {
  if (!path.startsWith('/v1/')) return { kind: 'local' };
  const [, , resource, id, sub] = path.split('/');
  switch (resource) {
    case 'attributes':
    case 'calendars':
      return { kind: 'proxy', upstream: 'catalog' };
    case 'imports':
      return { kind: 'proxy', upstream: 'tracking' };
    case 'accounts':
      if (ACCOUNT_VIEW.test(path)) {
        // The composed view is the gateway's own, read-only route.
        return method === 'GET' || method === 'HEAD' ? { kind: 'local' } : { kind: 'method-not-allowed', allow: ['GET', 'HEAD'] };
      }
      if (id === undefined || id === '' || sub === 'statuses') return { kind: 'proxy', upstream: 'tracking' };
      if (
        sub === 'cycles' ||
        sub === 'available-cycle-templates' ||
        sub === 'primary-cycle' ||
        sub === 'play-firings' ||
        sub === 'play-tasks'
      ) {
        return { kind: 'proxy', upstream: 'cycles' };
      }
      if (sub === 'segments') return { kind: 'proxy', upstream: 'segments' };
      return { kind: 'none' };
    case 'cycle-templates':
    case 'client-types':
    case 'settings':
    case 'tasks':
    case 'bulk':
    case 'plays':
      return { kind: 'proxy', upstream: 'cycles' };
    case 'segments':
    case 'reports':
      return { kind: 'proxy', upstream: 'segments' };
    case 'session':
      // The key's role (SessionController): the gateway's own, read-only route.
      if (id !== undefined && id !== '') return { kind: 'none' };
      return method === 'GET' || method === 'HEAD' ? { kind: 'local' } : { kind: 'method-not-allowed', allow: ['GET', 'HEAD'] };
    case 'jobs': {
      const owner = id ? jobOwner(decodeURIComponent(id)) : null;
      if (owner === 'tracking') return { kind: 'proxy', upstream: 'tracking' };
      if (owner === 'cycles') return { kind: 'proxy', upstream: 'cycles' };
      if (owner === 'segments') return { kind: 'proxy', upstream: 'segments' };
      return { kind: 'none' };
    }
    default:
      return { kind: 'none' };
  }
}
