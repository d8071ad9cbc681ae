import { INTERNAL_TOKEN_TTL_S, InternalTokenSigner, InternalTokenVerifier } from './internal-token';

const current = { id: 'k2', secret: 'c'.repeat(43) };
const previous = { id: 'k1', secret: 'p'.repeat(43) };
const retired = { id: 'k0', secret: 'r'.repeat(43) };
const now = Date.parse('2026-03-01T12:00:00Z');

describe('the gateway internal credential', () => {
  const ring = new InternalTokenVerifier([current, previous]);

  it('carries the principal and the request id, signed with the first key of the ring', () => {
    const token = new InternalTokenSigner([current, previous]).sign('admin:key-1a2b3c4d', 'req-1', now);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k2' });
    expect(ring.verify(token, now)).toEqual({
      ok: true,
      keyId: 'k2',
      claims: {
        iss: 'lifecycle-gateway',
        sub: 'admin:key-1a2b3c4d',
        rid: 'req-1',
        iat: now / 1000,
        exp: now / 1000 + INTERNAL_TOKEN_TTL_S,
      },
    });
  });

  it('rotation: a token of the previous key is accepted while the ring holds it, refused once it is dropped', () => {
    const old = new InternalTokenSigner([previous]).sign('gateway', null, now);
    expect(ring.verify(old, now).ok).toBe(true);
    expect(new InternalTokenVerifier([current]).verify(old, now)).toEqual({ ok: false, reason: 'unknown_key' });
    expect(ring.verify(new InternalTokenSigner([retired]).sign('gateway', null, now), now)).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('is short-lived: refused past its expiry (with 30 s of clock skew) and when issued in the future', () => {
    const token = new InternalTokenSigner([current]).sign('gateway', null, now);
    expect(ring.verify(token, now + (INTERNAL_TOKEN_TTL_S + 29) * 1000).ok).toBe(true);
    expect(ring.verify(token, now + (INTERNAL_TOKEN_TTL_S + 31) * 1000)).toEqual({ ok: false, reason: 'expired' });
    expect(ring.verify(token, now - 31_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a changed payload, a signature of another secret under a known key id, and junk', () => {
    const token = new InternalTokenSigner([current]).sign('viewer:key-00000000', 'r', now);
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ iss: 'lifecycle-gateway', sub: 'admin:key-00000000', rid: 'r', iat: now / 1000, exp: now / 1000 + 60 }),
    ).toString('base64url');
    expect(ring.verify(`${header}.${forged}.${signature}`, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const impostor = new InternalTokenSigner([{ id: 'k2', secret: 'x'.repeat(43) }]).sign('admin:key-00000000', null, now);
    expect(ring.verify(impostor, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(ring.verify(null, now)).toEqual({ ok: false, reason: 'missing' });
    expect(ring.verify('', now)).toEqual({ ok: false, reason: 'missing' });
    expect(ring.verify('dev-admin-key-change-me-0001', now)).toEqual({ ok: false, reason: 'malformed' });
    expect(ring.verify('a.b.c', now)).toEqual({ ok: false, reason: 'malformed' });
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k2' })).toString('base64url')}.${forged}.`;
    expect(ring.verify(none, now)).toEqual({ ok: false, reason: 'malformed' });
  });
});
