import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '@lifecycle/config';
import { INTERNAL_AUTH_HEADER, InternalTokenSigner } from '@lifecycle/http';
import type { Principal } from './api-key.service';

/** Who the gateway's own calls to a service (documents, the composed view's reads) are made as. */
export const GATEWAY_PRINCIPAL = 'gateway';

/**
 * The credential every call from the gateway to a service carries (`InternalTokenSigner`): the
 * caller's principal and request id, signed with the first key of `INTERNAL_AUTH_KEYS`. Without
 * keys (every service on loopback) calls go without one.
 */
@Injectable()
export class InternalCredential {
  private readonly signer: InternalTokenSigner | null;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    const keys = config.internalAuthKeys ?? null;
    this.signer = keys === null ? null : new InternalTokenSigner(keys);
  }

  /** `role:keyId` of an API key's principal, as services record the actor. */
  static principalOf(principal: Principal | undefined): string {
    return principal ? `${principal.role}:${principal.keyId}` : GATEWAY_PRINCIPAL;
  }

  /** The header to add to a call to a service (none without keys). */
  headers(principal: string, requestId: string | null): Record<string, string> {
    return this.signer === null ? {} : { [INTERNAL_AUTH_HEADER]: `Bearer ${this.signer.sign(principal, requestId)}` };
  }
}
