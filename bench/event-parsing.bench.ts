/**
 * What a consumer spends to accept one record, by event and by what the handler reads: the
 * envelope and data checks of `parseEnvelope`, beside the raw limit of the same bytes (UTF-8
 * decoding and `JSON.parse` alone). Status-tracking's module is loaded first, so class-validator
 * holds as many classes as in the service (its lookup of a class's rules grows with them unless
 * memoized, see docs/architecture.md, "What checking costs").
 *   npm run bench -- event-parsing [iterations=100000]
 */
import { getMetadataStorage } from 'class-validator';
import { EVENTS, StatusPairRef, type EventType } from '@lifecycle/contracts';
import { buildEnvelope, parseEnvelope } from '@lifecycle/messaging';
import '../apps/status-tracking/src/status-tracking.module';
import { fmt, table } from './lib/stats';

const now = new Date().toISOString();
/** One decoder for every call, as the consumer keeps one (`utf8Text`). */
const utf8 = new TextDecoder('utf-8', { fatal: true });

const records: { name: string; type: EventType; raw: Buffer; reads?: new () => object; envelopeOnly?: true }[] = [
  {
    name: 'crm.account.status.set (whole data)',
    type: 'crm.account.status.set',
    raw: record('crm.account.status.set', { accountId: 'acct-1', attributeKey: 'onboarding-status', stage: 'Kickoff' }),
  },
  { name: 'status.changed (whole data)', type: 'status.changed', raw: statusChanged() },
  { name: 'status.changed (account and attribute: StatusPairRef)', type: 'status.changed', raw: statusChanged(), reads: StatusPairRef },
  { name: 'status.changed (no handler: envelope only)', type: 'status.changed', raw: statusChanged(), envelopeOnly: true },
];

function main(): void {
  const iterations = Number(process.argv[2] ?? 100_000);
  const rows = records.map((r) => {
    const topic = EVENTS[r.type].topic;
    const dataClassOf = r.envelopeOnly ? () => null : r.reads ? () => r.reads! : undefined;
    const ours = microsPerCall(iterations, () => parseEnvelope(topic, r.raw, dataClassOf));
    const raw = microsPerCall(iterations, () => JSON.parse(utf8.decode(r.raw)));
    return {
      record: r.name,
      bytes: r.raw.length,
      'µs (parseEnvelope)': fmt(ours, 1),
      'µs (raw: decode + JSON.parse)': fmt(raw, 1),
      ratio: fmt(ours / raw, 1),
    };
  });
  const classes = (getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown> }).validationMetadatas.size;
  console.log(`event parsing, ${iterations} calls each after ${iterations / 5} warm-up calls, ${classes} validated classes loaded`);
  console.log(table(rows));
}

function microsPerCall(iterations: number, work: () => unknown): number {
  for (let i = 0; i < iterations / 5; i++) work();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) work();
  return Number(process.hrtime.bigint() - started) / iterations / 1000;
}

function record(type: EventType, data: object): Buffer {
  return Buffer.from(JSON.stringify(buildEnvelope('bench', type, data as never)));
}

function statusChanged(): Buffer {
  return record('status.changed', {
    accountId: 'acct-1',
    attributeKey: 'onboarding-status',
    changeId: '5f0c2b8e-7d1a-4c3e-9b2f-1a2b3c4d5e6f',
    from: { id: 'stg-1', name: 'Kickoff' },
    to: { id: 'stg-2', name: 'Implementation' },
    cycle: 1,
    daysInStageLeft: 3,
    msInStageLeft: 259_200_000,
    cause: 'set',
    at: now,
    clock: {
      stageId: 'stg-2',
      cycle: 1,
      completedCycles: 0,
      completed: false,
      cycleStartedAt: now,
      stageEnteredAt: now,
      stageMsBefore: 0,
      frozenStageMs: null,
      frozenAttributeMs: null,
      lastCompletedAt: null,
    },
  });
}

main();
process.exit(0);
