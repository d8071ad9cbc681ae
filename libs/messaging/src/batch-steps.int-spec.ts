import { randomUUID } from 'node:crypto';
import { Controller, Injectable, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { IsString } from 'class-validator';
import { getConnectionToken, InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Topics } from '@lifecycle/contracts';
import { ServiceKitModule, startService, type RunningService } from '@lifecycle/http';
import { isDuplicateKeyError } from '@lifecycle/storage';
import { newTestRun, testServiceConfig, waitFor } from '@lifecycle/testing';
import type { ConsumedEvent, EventOutcome } from './event-consumer';
import { buildEnvelope, EventPublisher } from './event-publisher';
import { KafkaConnection } from './kafka-connection';
import { OnEvent, OnEventRun, type Envelope } from './kafka-event.server';

const STEP = 7;
/** Long enough for the test's five spaced sends to land while the consumer waits. */
const LINGER_MS = 700;

/** Effects keyed by event id: a redelivered event finds its own effect and changes nothing. */
@Injectable()
class Effects {
  constructor(@InjectConnection() private readonly connection: Connection) {}
  private get collection() {
    return this.connection.collection<{ _id: string; accountId: string }>('effects');
  }
  /** True when this event's effect was new. */
  async record(eventId: string, accountId: string): Promise<boolean> {
    try {
      await this.collection.insertOne({ _id: eventId, accountId });
      return true;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }
  count(accountId: string): Promise<number> {
    return this.collection.countDocuments({ accountId });
  }
}

@Controller()
class UpsertRuns {
  static runSizes: number[] = [];
  static redeliveries = 0;
  constructor(private readonly effects: Effects) {}

  @OnEventRun('crm.account.upserted', { redeliverySafe: true })
  async onRun(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    UpsertRuns.runSizes.push(events.length);
    const outcomes: EventOutcome[] = [];
    for (const event of events) {
      const accountId = (event.envelope.data as { accountId: string }).accountId;
      if (!(await this.effects.record(event.envelope.id, accountId))) UpsertRuns.redeliveries++;
      outcomes.push({ kind: 'applied' });
    }
    return outcomes;
  }
}

@Controller()
class EnteredOneByOne {
  constructor(private readonly effects: Effects) {}

  @OnEvent('segment.entered', { redeliverySafe: true })
  async onEntered(@Payload() envelope: Envelope<'segment.entered'>): Promise<void> {
    await this.effects.record(envelope.id, envelope.data.accountId);
  }
}

/** The one field `ExitedByAccount` reads of a `segment.exited`. */
class AccountOnly {
  @IsString() accountId!: string;
}

@Controller()
class ExitedByAccount {
  static fieldsSeen: string[][] = [];
  constructor(private readonly effects: Effects) {}

  @OnEvent('segment.exited', { redeliverySafe: true, reads: AccountOnly })
  async onExited(@Payload() envelope: Envelope<'segment.exited'>): Promise<void> {
    ExitedByAccount.fieldsSeen.push(Object.keys(envelope.data));
    await this.effects.record(envelope.id, envelope.data.accountId);
  }
}

describe('batch steps and redeliveries a run handler recognizes (real broker and database)', () => {
  const run = newTestRun('steps');
  const config = testServiceConfig(run, 'steps-test');
  let service: RunningService;
  let publisher: EventPublisher;
  let effects: Effects;

  @Module({
    imports: [ServiceKitModule.forRoot(config)],
    controllers: [UpsertRuns, EnteredOneByOne, ExitedByAccount],
    providers: [Effects],
  })
  class TestModule {}

  beforeAll(async () => {
    service = await startService(TestModule, config, {
      title: 'test',
      description: 'test',
      publishes: [],
      consumer: { isPermanent: () => false, fromBeginning: true, maxEventsPerStep: STEP, lingerMs: LINGER_MS },
    });
    publisher = service.app.get(EventPublisher);
    effects = service.app.get(Effects);
  });

  afterAll(async () => {
    await service.app.close();
  });

  it('applies a long batch in steps, commits its end, and keeps no applied-id record for the handler nor for an unhandled type', async () => {
    const account = `acct-${randomUUID()}`;
    const events = Array.from({ length: 40 }, (_, i) =>
      buildEnvelope('crm', 'crm.account.upserted', { accountId: account, name: `n${i}` }),
    );
    // One producer call, one key: one partition, fetched together; the service has no handler of
    // the cancellation on the same topic, so it is ignored and leaves nothing to remember.
    await publisher.publishEnvelopes([
      ...events.slice(0, 20),
      buildEnvelope('crm', 'crm.account.canceled', { accountId: account }),
      ...events.slice(20),
    ]);
    await waitFor('every event applied', async () => (await effects.count(account)) === 40);

    expect(Math.max(...UpsertRuns.runSizes)).toBeLessThanOrEqual(STEP);
    expect(UpsertRuns.runSizes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(40);

    // The group's committed offset reaches the partition's end.
    const names = service.app.get(KafkaConnection).names;
    const admin = service.app.get(KafkaConnection).kafka.admin();
    await admin.connect();
    try {
      await waitFor('the batch end committed', async () => {
        const topic = names.physical(Topics.CrmAccounts);
        const [committed] = await admin.fetchOffsets({ groupId: config.kafka.groupId, topics: [topic] });
        const high = await admin.fetchTopicOffsets(topic);
        // A partition never written has no committed offset (-1) and high watermark 0.
        const committedOf = (partition: number) =>
          Math.max(0, Number(committed!.partitions.find((p) => p.partition === partition)?.offset ?? -1));
        return high.every((h) => committedOf(h.partition) === Number(h.high));
      });
    } finally {
      await admin.disconnect();
    }
    const db = service.app.get<Connection>(getConnectionToken()).db!;
    expect(await db.collection('processed_events').countDocuments({})).toBe(0);

    // A redelivered id reaches the handler, which recognizes it by its own record.
    const before = UpsertRuns.redeliveries;
    await publisher.publishEnvelopes([events[3]!]);
    await waitFor('the redelivery recognized', () => UpsertRuns.redeliveries === before + 1);
    expect(await effects.count(account)).toBe(40);
  });

  it('keeps no applied-id record for a single-event handler marked redelivery-safe either', async () => {
    const account = `acct-${randomUUID()}`;
    await publisher.publishEnvelopes([buildEnvelope('segments', 'segment.entered', { segmentId: 's1', accountId: account })]);
    await waitFor('the event applied', async () => (await effects.count(account)) === 1);
    const db = service.app.get<Connection>(getConnectionToken()).db!;
    expect(await db.collection('processed_events').countDocuments({})).toBe(0);
  });

  it('checks and hands over only the fields a handler declares it reads', async () => {
    const account = `acct-${randomUUID()}`;
    // A segment id of the wrong kind: the whole data is invalid, the field read is not.
    const exited = buildEnvelope('segments', 'segment.exited', { segmentId: 42, accountId: account } as never);
    await publisher.publishEnvelopes([exited]);
    await waitFor('the event applied', async () => (await effects.count(account)) === 1);
    expect(ExitedByAccount.fieldsSeen).toContainEqual(['accountId']);
    expect(ExitedByAccount.fieldsSeen.every((fields) => fields.join() === 'accountId')).toBe(true);
  });

  it('waits after a small batch, so events sent meanwhile come in one batch', async () => {
    const account = `acct-${randomUUID()}`;
    const upsert = (i: number) => buildEnvelope('crm', 'crm.account.upserted', { accountId: account, name: `n${i}` });
    await publisher.publishEnvelopes([upsert(0)]);
    await waitFor('the first event applied', async () => (await effects.count(account)) === 1, 5_000, 10);
    const runsBefore = UpsertRuns.runSizes.length;
    // Five sends 30 ms apart: without the wait each would reach the consumer in a fetch of its own.
    for (let i = 1; i <= 5; i++) {
      await publisher.publishEnvelopes([upsert(i)]);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await waitFor('every event applied', async () => (await effects.count(account)) === 6);
    expect(UpsertRuns.runSizes.slice(runsBefore)).toEqual([5]);
  });
});
