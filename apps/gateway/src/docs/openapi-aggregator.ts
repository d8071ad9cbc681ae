import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { GATEWAY_CONFIG, type GatewayConfig } from '@lifecycle/config';
import { mergeOpenApi, type NamedDocument } from '@lifecycle/http';
import { GATEWAY_PRINCIPAL, InternalCredential } from '../auth/internal-credential';

/**
 * The public OpenAPI document: the gateway's own routes plus every service's `/docs-json`, merged
 * by `mergeOpenApi` (the same merge that writes docs/openapi.json). Re-read at most every 30 s so
 * a service deployed later shows up without restarting the gateway.
 */
@Injectable()
export class OpenApiAggregator {
  private readonly logger = new Logger(OpenApiAggregator.name);
  private cached: { at: number; doc: OpenAPIObject } | null = null;
  private own: OpenAPIObject | null = null;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly credential: InternalCredential,
  ) {}

  setOwn(doc: OpenAPIObject): void {
    this.own = doc;
  }

  async document(): Promise<OpenAPIObject> {
    if (this.cached && Date.now() - this.cached.at < 30_000) return this.cached.doc;
    const base: OpenAPIObject = this.own ?? { openapi: '3.0.0', info: { title: 'Lifecycle platform', version: '1' }, paths: {} };
    const services: NamedDocument[] = [];
    let complete = true;
    for (const [name, url] of Object.entries(this.config.upstreams)) {
      try {
        const res = await fetch(`${url}/docs-json`, {
          headers: this.credential.headers(GATEWAY_PRINCIPAL, null),
          signal: AbortSignal.timeout(3_000),
        });
        const doc = (await res.json()) as OpenAPIObject;
        if (!res.ok || typeof doc.paths !== 'object' || doc.paths === null) throw new Error(`answered ${res.status} without a document`);
        services.push({ name, doc });
      } catch (e) {
        complete = false;
        this.logger.warn(`OpenAPI of ${name} unavailable: ${(e as Error).message}`);
      }
    }
    const { doc, conflicts } = mergeOpenApi(base, services);
    for (const conflict of conflicts) this.logger.warn(`OpenAPI merge: ${conflict}`);
    if (complete) this.cached = { at: Date.now(), doc };
    return doc;
  }
}
