/**
 * The contract against the running platform: what the document says is what the gateway and the
 * services do. The whole system runs as real processes on side ports with its own databases,
 * topics and queues; schemathesis (PyPI, pinned in test/requirements.txt, installed into
 * .local/venv by scripts/python-env.sh) runs every phase (examples, coverage, fuzzing, stateful)
 * with every check against the gateway and must report no failure and no schema error.
 * `schemathesis.toml` holds its settings; CONTRACT_EXAMPLES and CONTRACT_SEED change the example
 * count per operation and the seed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import {
  apiClient,
  buildApps,
  createActiveOnboarding,
  freePortRange,
  INFRA,
  newTestRun,
  ProcessSystem,
  ROOT,
  SYSTEM_ADMIN_KEY,
  waitFor,
} from '@lifecycle/testing';

const EXAMPLES = process.env.CONTRACT_EXAMPLES ?? '50';
const SEED = process.env.CONTRACT_SEED ?? '20261203';

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the API contract against the running platform', () => {
  let system: ProcessSystem;
  let gateway: string;
  let schemathesis: string;

  beforeAll(async () => {
    // The test venv (test/requirements.txt, pinned) holds schemathesis; the script prints its python.
    const python = execFileSync('bash', [join(ROOT, 'scripts', 'python-env.sh')], { encoding: 'utf8' }).trim();
    schemathesis = join(dirname(python), 'st');
    buildApps();
    const run = newTestRun('contract');
    system = new ProcessSystem(run, await freePortRange(6));
    await system.startAll();
    gateway = system.url('gateway');
    // Data the API cannot create: accounts come from the CRM's events. With them (and the
    // attribute) the fuzzer reaches the account operations instead of 404s only.
    await createActiveOnboarding(apiClient(gateway, SYSTEM_ADMIN_KEY));
    const publisher = new EventPublisher(
      new KafkaConnection({ brokers: INFRA.kafka.split(','), clientId: 'contract-crm', topicPrefix: run.topicPrefix }),
      'crm',
    );
    for (const accountId of ['acme', 'globex', 'initech']) {
      await publisher.publish('crm.account.upserted', { accountId, name: accountId, clientType: 'enterprise', ownerId: 'csm-1' });
    }
    await publisher.close();
    const api = apiClient(gateway, SYSTEM_ADMIN_KEY);
    await waitFor(
      'the accounts in status tracking and cycle planning',
      async () => {
        const accounts = await api.GET('/v1/accounts');
        const cycles = await api.GET('/v1/accounts/{accountId}/primary-cycle', { params: { path: { accountId: 'initech' } } });
        return accounts.data?.total === 3 && cycles.response.status === 200;
      },
      60_000,
    );
  }, 300_000);

  afterAll(async () => {
    await system?.stopAll();
  });

  it('serves at /docs-json exactly docs/openapi.json (the document the typed client is generated from)', async () => {
    const served = (await (await fetch(`${gateway}/docs-json`)).json()) as unknown;
    expect(served).toEqual(JSON.parse(readFileSync(join(ROOT, 'docs', 'openapi.json'), 'utf8')));
  });

  it(
    'passes schemathesis with every check and every phase: no failure, no schema error',
    async () => {
      const { code, output } = await run(schemathesis, [
        'run',
        `${gateway}/docs-json`,
        '--url',
        gateway,
        '--header',
        `Authorization: Bearer ${SYSTEM_ADMIN_KEY}`,
        '--checks',
        'all',
        '--phases',
        'examples,coverage,fuzzing,stateful',
        '--max-examples',
        EXAMPLES,
        '--seed',
        SEED,
        // One worker: CPython 3.11 before 3.11.8 shares the ast constructor's recursion counter
        // between threads (python/cpython#106905), and hypothesis parses lambdas' source with
        // `ast` in every worker, so two workers fail at random with "AST constructor recursion
        // depth mismatch".
        '--workers',
        '1',
        '--no-color',
      ]);
      const summary = output.slice(output.lastIndexOf('SUMMARY'));
      if (code !== 0) process.stderr.write(output);
      expect({ code, summary }).toEqual({ code: 0, summary: expect.not.stringMatching(/failures?|errors?:/i) as string });
    },
    15 * 60_000,
  );
});
