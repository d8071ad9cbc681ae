import type { OpenAPIObject } from '@nestjs/swagger';
import { mergeOpenApi } from './merge';

const doc = (paths: Record<string, unknown>, schemas: Record<string, unknown> = {}): OpenAPIObject =>
  ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths, components: { schemas } }) as OpenAPIObject;
const ref = (name: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } });

describe('mergeOpenApi', () => {
  it("keeps the gateway's own operations over a service's, drops /v1/internal, and unused schemas", () => {
    const own = doc(
      { '/v1/accounts/{accountId}': { get: { operationId: 'gateway', responses: { 200: ref('Composed') } } } },
      { Composed: {} },
    );
    const tracking = doc(
      {
        '/v1/accounts/{accountId}': { get: { operationId: 'tracking', responses: {} } },
        '/v1/accounts': { get: { operationId: 'list', responses: { 200: ref('Page') } } },
        '/v1/internal/attributes': { get: { operationId: 'internal', responses: { 200: ref('Replica') } } },
      },
      { Page: { properties: { items: { $ref: '#/components/schemas/Item' } } }, Item: {}, Replica: {} },
    );
    const { doc: merged, conflicts } = mergeOpenApi(own, [{ name: 'tracking', doc: tracking }]);
    expect(conflicts).toEqual([]);
    expect(Object.keys(merged.paths)).toEqual(['/v1/accounts', '/v1/accounts/{accountId}']);
    expect(merged.paths['/v1/accounts/{accountId}']!.get!.operationId).toBe('gateway');
    expect(Object.keys(merged.components!.schemas!)).toEqual(['Composed', 'Item', 'Page']);
    expect(merged.security).toEqual([{ bearer: [] }]);
  });

  it('reports an operation or a schema two services define differently', () => {
    const a = doc({ '/v1/jobs/{jobId}': { get: { operationId: 'jobs', responses: { 200: ref('Job') } } } }, { Job: { type: 'object' } });
    const b = doc({ '/v1/jobs/{jobId}': { get: { operationId: 'jobs2', responses: { 200: ref('Job') } } } }, { Job: { type: 'string' } });
    const { conflicts } = mergeOpenApi(doc({}), [
      { name: 'a', doc: a },
      { name: 'b', doc: b },
    ]);
    expect(conflicts).toEqual(['GET /v1/jobs/{jobId}: a and b differ', 'schema Job: a and b differ']);
  });

  it('survives a reference to a schema no document defines', () => {
    const own = doc({ '/v1/x': { get: { operationId: 'x', responses: { 200: ref('Missing') } } } });
    expect(() => mergeOpenApi(own, [])).not.toThrow();
  });
});
