/**
 * A status CSV through status-tracking's import (L13), beside the raw limit measured in the same
 * run on the same server: bare driver bulk upserts by `_id`, one per row, in the chunks the engine
 * takes. The file walks `accounts` accounts through the stages a day apart (every row a change).
 *   1. the file posted with `?async=true`: rows/s from the request to the job's completion;
 *   2. a file of `syncRows` posted synchronously: 200 within the answer budget, or 202 with its job;
 *   3. the raw bulk upserts of as many rows; the ratio of 1 to it.
 *   npm run bench -- status-import [rows=100000] [accounts=20000] [syncRows=5000]
 */
import { MongoClient } from 'mongodb';
import { startService } from '@lifecycle/http';
import { EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import { Storage } from '@lifecycle/storage';
import { INFRA, newTestRun, testServiceConfig, waitFor } from '@lifecycle/testing';
import { StatusTrackingModule } from '../apps/status-tracking/src/status-tracking.module';
import { statusTrackingDefinition } from '../apps/status-tracking/src/status-tracking.definition';
import { rawMongoBulk } from './lib/raw-limits';
import { fmt, mib, table, withMemoryPeak } from './lib/stats';
import { awaitTrackingReplica, publishOnboarding, STAGES } from './lib/status-walks';

const DAY = 86_400_000;

interface ImportAnswer {
  importId: string;
  jobId: string | null;
  status: string;
  summary: Record<string, number>;
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 100_000);
  const accounts = Number(process.argv[3] ?? 20_000);
  const syncRows = Number(process.argv[4] ?? 5_000);
  const run = newTestRun('bench');
  const config = { ...testServiceConfig(run, 'status-tracking'), logLevel: 'error' as const };
  const service = await startService(StatusTrackingModule.register(config), config, statusTrackingDefinition);
  const connection = new KafkaConnection({ brokers: config.kafka.brokers, clientId: 'bench', topicPrefix: run.topicPrefix });
  const publisher = new EventPublisher(connection, 'bench');
  await publishOnboarding(publisher);
  await awaitTrackingReplica(service.url);

  const now = Date.now();
  console.log(`status import: ${rows} rows over ${accounts} accounts, one status-tracking instance`);
  const post = (csv: string, query: string) =>
    fetch(`${service.url}/v1/imports/statuses${query}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });

  const start = Date.now();
  const { result: done, peakRss } = await withMemoryPeak(async () => {
    const res = await post(csvOf(rows, accounts, 'big', now), '?async=true');
    const queued = (await res.json()) as ImportAnswer;
    if (res.status !== 202) throw new Error(`async import answered ${res.status}: ${JSON.stringify(queued)}`);
    return waitFor(
      'the import to finish',
      async () => {
        const answer = (await (await fetch(`${service.url}/v1/imports/statuses/${queued.importId}`)).json()) as ImportAnswer;
        return answer.status === 'completed' || answer.status === 'failed' ? answer : undefined;
      },
      3_600_000,
      500,
    );
  });
  const seconds = (Date.now() - start) / 1000;

  const syncStart = Date.now();
  const syncRes = await post(csvOf(syncRows, Math.min(accounts, syncRows), 'sync', now), '');
  const syncAnswer = (await syncRes.json()) as ImportAnswer;
  const syncSeconds = (Date.now() - syncStart) / 1000;

  // The raw writes go in the chunks this engine takes, as the import's own writes do.
  const client = await MongoClient.connect(INFRA.mongo);
  const { engine } = await Storage.open(client.db(run.databaseFor('status-tracking')));
  const raw = await rawMongoBulk(rows, engine.maxBulkOps);
  console.log(
    table([
      {
        path: `CSV import, async (${done.status}; ${JSON.stringify(done.summary)})`,
        rows,
        seconds: fmt(seconds),
        'rows/s': fmt(rows / seconds),
      },
      {
        path: `CSV import, sync: answered ${syncRes.status} (${syncAnswer.status})`,
        rows: syncRows,
        seconds: fmt(syncSeconds),
        'rows/s': syncRes.status === 200 ? fmt(syncRows / syncSeconds) : '–',
      },
      { path: 'raw: bare driver bulkWrite upserts by _id', rows, seconds: fmt(rows / raw.perSecond), 'rows/s': fmt(raw.perSecond) },
    ]),
  );
  console.log(`ratio import / raw: ${fmt((100 * rows) / seconds / raw.perSecond)} %; peak RSS of the process ${mib(peakRss)}`);

  await client.db(run.databaseFor('status-tracking')).dropDatabase();
  await client.close();
  await publisher.close();
  await service.app.close();
}

/** Per account a walk through the stages a day apart, interleaved across accounts; `at` in the past. */
function csvOf(rows: number, accounts: number, prefix: string, now: number): string {
  const perAccount = Math.ceil(rows / accounts);
  const lines = ['accountId,attributeKey,stage,at'];
  for (let step = 0; step < perAccount; step++) {
    for (let a = 0; a < accounts && lines.length <= rows; a++) {
      const at = new Date(now - (perAccount - step + 1) * DAY - a).toISOString();
      lines.push(`${prefix}-${a},onboarding-status,${STAGES[step % STAGES.length]},${at}`);
    }
  }
  return lines.join('\n') + '\n';
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
