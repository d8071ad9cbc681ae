import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InternalKey } from '@lifecycle/config';

/**
 * The gateway's internal credential: a JWT (HS256) naming its key (`kid`), the caller's principal
 * (`sub`: `admin:key-1a2b3c4d`, or `gateway` for the gateway's own calls) and the request id
 * (`rid`), valid for `INTERNAL_TOKEN_TTL_S`. Short-lived, so a token seen in a log or a proxy is
 * worth nothing a minute later; HMAC keys from `INTERNAL_AUTH_KEYS`, the first signing and each
 * one accepted, so keys rotate without downtime (docs/operations.md).
 */
export const INTERNAL_TOKEN_TTL_S = 60;
/** Clocks of the gateway and a service may differ this much. */
const CLOCK_SKEW_S = 30;
const ISSUER = 'lifecycle-gateway';

export interface InternalClaims {
  iss: string;
  sub: string;
  rid: string | null;
  iat: number;
  exp: number;
}

/** Why a credential was refused (a label of `lifecycle_internal_auth_refused_total`). */
export type InternalRefusal = 'missing' | 'malformed' | 'unknown_key' | 'bad_signature' | 'expired';

export type InternalVerdict = { ok: true; claims: InternalClaims; keyId: string } | { ok: false; reason: InternalRefusal };

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');
const sign = (secret: string, input: string) => createHmac('sha256', secret).update(input).digest();

/** Signs credentials with the first key of the ring. */
export class InternalTokenSigner {
  private readonly key: InternalKey;

  constructor(keys: readonly InternalKey[]) {
    if (keys.length === 0) throw new Error('InternalTokenSigner needs at least one key');
    this.key = keys[0]!;
  }

  sign(principal: string, requestId: string | null, nowMs = Date.now()): string {
    const iat = Math.floor(nowMs / 1000);
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: this.key.id }));
    const claims: InternalClaims = { iss: ISSUER, sub: principal, rid: requestId, iat, exp: iat + INTERNAL_TOKEN_TTL_S };
    const input = `${header}.${base64url(JSON.stringify(claims))}`;
    return `${input}.${base64url(sign(this.key.secret, input))}`;
  }
}

/** Checks credentials against every key of the ring (the current one and the previous ones). */
export class InternalTokenVerifier {
  private readonly keys: Map<string, string>;

  constructor(keys: readonly InternalKey[]) {
    this.keys = new Map(keys.map((k) => [k.id, k.secret]));
  }

  verify(token: string | null, nowMs = Date.now()): InternalVerdict {
    if (token === null || token === '') return { ok: false, reason: 'missing' };
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'malformed' };
    const [header, payload, signature] = parts as [string, string, string];
    const head = parseJson(header) as { alg?: unknown; kid?: unknown } | null;
    if (head === null || head.alg !== 'HS256' || typeof head.kid !== 'string') return { ok: false, reason: 'malformed' };
    const secret = this.keys.get(head.kid);
    if (secret === undefined) return { ok: false, reason: 'unknown_key' };
    const expected = sign(secret, `${header}.${payload}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
    const claims = parseJson(payload) as Partial<InternalClaims> | null;
    if (
      claims === null ||
      claims.iss !== ISSUER ||
      typeof claims.sub !== 'string' ||
      typeof claims.iat !== 'number' ||
      typeof claims.exp !== 'number' ||
      !(claims.rid === null || typeof claims.rid === 'string')
    ) {
      return { ok: false, reason: 'malformed' };
    }
    const now = nowMs / 1000;
    if (claims.exp + CLOCK_SKEW_S < now || claims.iat - CLOCK_SKEW_S > now) return { ok: false, reason: 'expired' };
    return { ok: true, claims: claims as InternalClaims, keyId: head.kid };
  }
}

function parseJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
