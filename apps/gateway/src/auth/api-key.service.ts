import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '@lifecycle/config';

export type Role = 'admin' | 'viewer';

export interface Principal {
  role: Role;
  /** Non-secret identifier of the key, for logs and audit (`x-actor`). */
  keyId: string;
  /** This key's requests per minute (its own limit, else the gateway's). */
  ratePerMinute: number;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** API keys and their roles come from configuration (SPEC 5.3). */
@Injectable()
export class ApiKeyService {
  private readonly keys: { digest: Buffer; principal: Principal }[];

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.keys = config.apiKeys.map(({ key, role, ratePerMinute }) => ({
      digest: digest(key),
      principal: {
        role,
        keyId: `key-${digest(key).toString('hex').slice(0, 8)}`,
        ratePerMinute: ratePerMinute ?? config.rateLimitPerMinute,
      },
    }));
  }

  /** Constant-time comparison against every configured key. */
  authenticate(presented: string): Principal | null {
    const d = digest(presented);
    let found: Principal | null = null;
    for (const k of this.keys) if (timingSafeEqual(k.digest, d)) found = k.principal;
    return found;
  }

  /** `admin`: read and write; `viewer`: read only. */
  static mayCall(role: Role, method: string): boolean {
    return role === 'admin' || ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
  }
}
