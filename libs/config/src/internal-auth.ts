import { EnvironmentError } from './environment-error';

/** One HMAC key of the gateway's internal credential; `id` travels in the token (`kid`) so keys rotate. */
export interface InternalKey {
  id: string;
  secret: string;
}

/**
 * How a service checks the gateway's credential: `keys` (the ring of `INTERNAL_AUTH_KEYS`) and
 * whether callers on loopback are `trusted` without one (the default: a service bound to loopback
 * is reachable from its own machine only) or `verified` like any other (`INTERNAL_AUTH_LOOPBACK`;
 * e.g. containers of one Kubernetes pod share their loopback).
 */
export interface InternalAuthConfig {
  keys: InternalKey[];
  loopback: InternalAuthLoopback;
}

export const INTERNAL_AUTH_LOOPBACK = ['trusted', 'verified'] as const;
export type InternalAuthLoopback = (typeof INTERNAL_AUTH_LOOPBACK)[number];

/** `kid:secret` entries, comma separated: 1-32 of [A-Za-z0-9_-], then 32-200 characters of base64/base64url/hex. */
export const INTERNAL_AUTH_KEYS_PATTERN = /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{32,200}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{32,200})*$/;
export const INTERNAL_AUTH_KEYS_MESSAGE =
  'INTERNAL_AUTH_KEYS must be comma-separated kid:secret entries (kid: 1-32 of [A-Za-z0-9_-]; secret: 32-200 characters of [A-Za-z0-9+/=_-]); the first signs, every one is accepted';

/** The key ring of `INTERNAL_AUTH_KEYS` (already matched against its pattern): the first signs. */
export function parseInternalKeys(raw: string | undefined): InternalKey[] | null {
  if (raw === undefined || raw === '') return null;
  const keys = raw.split(',').map((entry) => {
    const at = entry.indexOf(':');
    return { id: entry.slice(0, at), secret: entry.slice(at + 1) };
  });
  const ids = keys.map((k) => k.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0) {
    throw new EnvironmentError(`Invalid environment:\n  INTERNAL_AUTH_KEYS: key id ${twice[0]} appears twice (each key needs its own id)`);
  }
  return keys;
}

/** Whether a host name or address is this machine (HOST, or the host of an upstream URL). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** Stops the start when a listener off loopback has no key to check the gateway's credential with. */
export function requireInternalKeys(keys: InternalKey[] | null, why: string): void {
  if (keys !== null) return;
  throw new EnvironmentError(
    `Invalid environment:\n  INTERNAL_AUTH_KEYS: required when ${why}: services off loopback accept only calls carrying the gateway's signed internal credential (${INTERNAL_AUTH_KEYS_MESSAGE})`,
  );
}
