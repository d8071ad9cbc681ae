import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { GATEWAY_CONFIG, type GatewayConfig } from '@lifecycle/config';

type Paths = OpenAPIObject['paths'];

/**
 * The public OpenAPI document: the gateway's own routes plus every service's `/docs-json`,
 * merged (paths and component schemas), with bearer auth on every operation. Re-read at most
 * every 30 s so a service deployed later shows up without restarting the gateway.
 */
@Injectable()
export class OpenApiAggregator {
  private readonly logger = new Logger(OpenApiAggregator.name);
  private cached: { at: number; doc: OpenAPIObject } | null = null;
  private own: OpenAPIObject | null = null;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  setOwn(doc: OpenAPIObject): void {
    this.own = doc;
  }

  async document(): Promise<OpenAPIObject> {
    if (this.cached && Date.now() - this.cached.at < 30_000) return this.cached.doc;
    const base: OpenAPIObject = this.own ?? { openapi: '3.0.0', info: { title: 'Lifecycle platform', version: '1' }, paths: {} };
    const paths: Paths = { ...base.paths };
    const schemas: Record<string, unknown> = { ...(base.components?.schemas ?? {}) };
    let complete = true;
    for (const [name, url] of Object.entries(this.config.upstreams)) {
      try {
        const res = await fetch(`${url}/docs-json`, { signal: AbortSignal.timeout(3_000) });
        const doc = (await res.json()) as OpenAPIObject;
        for (const [path, item] of Object.entries(doc.paths ?? {}))
          if (path.startsWith('/v1/') && !path.startsWith('/v1/internal')) paths[path] = item;
        Object.assign(schemas, doc.components?.schemas ?? {});
      } catch (e) {
        complete = false;
        this.logger.warn(`OpenAPI of ${name} unavailable: ${(e as Error).message}`);
      }
    }
    const doc: OpenAPIObject = {
      ...base,
      paths,
      components: { ...base.components, schemas: schemas as never, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    };
    if (complete) this.cached = { at: Date.now(), doc };
    return doc;
  }
}
