import type { OpenAPIObject } from '@nestjs/swagger';

/** A service's document, named for the conflict messages. */
export interface NamedDocument {
  name: string;
  doc: OpenAPIObject;
}

export interface MergedDocument {
  doc: OpenAPIObject;
  /** Paths, operations or schemas two documents define differently (the first one is kept). */
  conflicts: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The public document: the gateway's own operations, then every service's `/v1` operations
 * (`/v1/internal` stays off the public API), with one bearer scheme over everything. An operation
 * the gateway serves itself (the composed account view) wins over the service's; the same path
 * and method from two services (`GET /v1/jobs/{jobId}`) must be identical, as must every schema
 * two documents share by name.
 */
export function mergeOpenApi(own: OpenAPIObject, services: readonly NamedDocument[]): MergedDocument {
  const conflicts: string[] = [];
  const paths: Record<string, Record<string, unknown>> = {};
  const origin = new Map<string, string>();
  for (const [path, item] of Object.entries(own.paths)) {
    paths[path] = { ...item };
    for (const method of Object.keys(item)) origin.set(`${method} ${path}`, 'gateway');
  }
  const schemas: Record<string, unknown> = { ...(own.components?.schemas ?? {}) };
  const schemaOrigin = new Map(Object.keys(schemas).map((name) => [name, 'gateway']));
  const tags = new Map((own.tags ?? []).map((tag) => [tag.name, tag]));
  for (const { name, doc } of services) {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (!path.startsWith('/v1/') || path.startsWith('/v1/internal')) continue;
      const target = (paths[path] ??= {});
      for (const [method, operation] of Object.entries(item)) {
        const key = `${method} ${path}`;
        const first = origin.get(key);
        if (first === 'gateway') continue;
        if (first !== undefined) {
          if (!same(target[method], operation)) conflicts.push(`${method.toUpperCase()} ${path}: ${first} and ${name} differ`);
          continue;
        }
        target[method] = operation;
        origin.set(key, name);
      }
    }
    for (const [schema, definition] of Object.entries(doc.components?.schemas ?? {})) {
      const first = schemaOrigin.get(schema);
      if (first !== undefined) {
        if (!same(schemas[schema], definition)) conflicts.push(`schema ${schema}: ${first} and ${name} differ`);
        continue;
      }
      schemas[schema] = definition;
      schemaOrigin.set(schema, name);
    }
    for (const tag of doc.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
  }
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  const used = reachableSchemas(sortedPaths, schemas);
  const usedTags = new Set(
    Object.values(sortedPaths).flatMap((item) => Object.values(item).flatMap((op) => (op as { tags?: string[] }).tags ?? [])),
  );
  return {
    doc: {
      ...own,
      tags: [...usedTags].sort().map((name) => tags.get(name) ?? { name }),
      paths: sortedPaths as OpenAPIObject['paths'],
      components: {
        ...own.components,
        // Schemas only internal routes use (kept off the public document) are left out too.
        schemas: Object.fromEntries(
          Object.entries(schemas)
            .filter(([name]) => used.has(name))
            .sort(([a], [b]) => a.localeCompare(b)),
        ) as never,
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <api key>`.' } },
      },
      security: [{ bearer: [] }],
      servers: [{ url: '/', description: 'The gateway that serves this document' }],
    },
    conflicts,
  };
}

/** Names of the schemas the paths refer to, directly or through other schemas and responses. */
function reachableSchemas(paths: unknown, schemas: Record<string, unknown>): Set<string> {
  const used = new Set<string>(['ErrorResponse']);
  const pending: unknown[] = [paths, schemas.ErrorResponse];
  while (pending.length > 0) {
    const next = pending.pop();
    // A schema a document refers to but nobody defines (a service not merged in) has nothing to follow.
    if (next === undefined) continue;
    const text = JSON.stringify(next);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (name === undefined || used.has(name)) continue;
      used.add(name);
      pending.push(schemas[name]);
    }
  }
  return used;
}
