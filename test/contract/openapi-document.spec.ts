/**
 * The document itself, without servers: generated from the code and checked in (a route, DTO or
 * response changed without `npm run contract` fails here), valid for an OpenAPI linter, and
 * complete in what a client needs: typed answers, the one error shape, links that lead somewhere.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CONTRACT_FILES, readContract, ROOT } from '../../scripts/contract/generate';

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<
    string,
    { $ref?: string; content?: unknown; links?: Record<string, { operationId: string; parameters: Record<string, string> }> }
  >;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

describe('the OpenAPI document (docs/openapi.json)', () => {
  const checkedIn = readContract();
  const doc = JSON.parse(checkedIn.openapi) as { paths: Record<string, Record<string, Operation>> };
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );

  it('and its TypeScript types are what `npm run contract` generates from the code now', async () => {
    // In a process of its own: openapi-typescript loads ES modules jest's CommonJS runtime cannot.
    const { stdout } = await promisify(execFile)(
      join(ROOT, 'node_modules', '.bin', 'ts-node'),
      ['-r', 'tsconfig-paths/register', '--transpile-only', join(ROOT, 'scripts', 'contract', 'generate.ts'), '--check'],
      { cwd: ROOT },
    );
    expect(stdout).toMatch(/the checked-in contract is what the code generates/);
  }, 120_000);

  it('passes `redocly lint` with no error and no warning', async () => {
    const { stdout } = await promisify(execFile)(
      join(ROOT, 'node_modules', '.bin', 'redocly'),
      ['lint', CONTRACT_FILES.openapi, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'],
      { cwd: ROOT },
    ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { message: string }[] };
    expect(report.problems.map((p) => p.message)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 120_000);

  it('gives every operation an id, a summary, a typed success answer and the shared refusals', () => {
    expect(operations.length).toBeGreaterThan(40);
    for (const { path, method, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, typeof operation.operationId, typeof operation.summary]).toEqual([where, 'string', 'string']);
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      expect([where, success.length > 0]).toEqual([where, true]);
      for (const [status, answer] of success)
        expect([where, status, status === '204' || answer.content !== undefined]).toEqual([where, status, true]);
      for (const refusal of ['401', '429', '503']) expect([where, operation.responses[refusal]?.$ref]).toEqual([where, expect.any(String)]);
      if (method !== 'get') expect([where, operation.responses['403']?.$ref]).toEqual([where, expect.any(String)]);
      if (path.includes('{')) expect([where, operation.responses['404']?.$ref]).toEqual([where, expect.any(String)]);
    }
  });

  it('has links that name existing operations and their parameters, from every create', () => {
    const byId = new Map(operations.map((o) => [o.operation.operationId, o]));
    const linked = new Set<string>();
    for (const { operation } of operations) {
      for (const answer of Object.values(operation.responses)) {
        for (const [name, link] of Object.entries(answer.links ?? {})) {
          const target = byId.get(link.operationId);
          expect([name, target === undefined ? 'missing' : 'found']).toEqual([name, 'found']);
          const params = (target!.operation.parameters ?? []).map((p) => p.name);
          for (const param of Object.keys(link.parameters)) expect([name, params]).toEqual([name, expect.arrayContaining([param])]);
          linked.add(link.operationId);
        }
      }
    }
    const creates = operations.filter((o) => Object.keys(o.operation.responses).some((s) => s === '201' || s === '202'));
    for (const { path, operation } of creates) {
      const answers = Object.entries(operation.responses).filter(([s]) => s === '201' || s === '202');
      expect([path, answers.every(([, a]) => Object.keys(a.links ?? {}).length > 0)]).toEqual([path, true]);
    }
    // Every operation that reads or changes one thing by its id can be reached from created data.
    for (const { path, operation } of operations) {
      if (path.includes('{') && !path.startsWith('/v1/accounts/{accountId}')) {
        expect([path, operation.operationId, linked.has(operation.operationId!)]).toEqual([path, operation.operationId, true]);
      }
    }
  });
});

describe('the AsyncAPI document (docs/asyncapi.json)', () => {
  it('passes the AsyncAPI parser’s validation with no error', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Parser } = require('@asyncapi/parser') as typeof import('@asyncapi/parser');
    const parser = new Parser();
    const diagnostics = await parser.validate(readFileSync(join(ROOT, 'docs', 'asyncapi.json'), 'utf8'));
    // Severity 0 = error (Spectral's DiagnosticSeverity).
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
  }, 60_000);
});
