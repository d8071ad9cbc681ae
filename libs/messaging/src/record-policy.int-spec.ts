/**
 * The consumer's record policy against the real broker: a batch that cannot be decoded is
 * dead-lettered as one offset range and the partition goes on; readiness follows the consumer's
 * lag.
 */
import { randomUUID } from 'node:crypto';
import { Controller, Injectable, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InjectConnection } from '@nestjs/mongoose';
import { CompressionCodecs, CompressionTypes, Kafka, logLevel } from 'kafkajs';
import type { Connection } from 'mongoose';
import { Topics, type DeadLetterRecord } from '@lifecycle/contracts';
import { ServiceKitModule, startService, type RunningService } from '@lifecycle/http';
import { INFRA, newTestRun, testServiceConfig, TopicRecorder, waitFor } from '@lifecycle/testing';
import { registerKafkaCodecs } from './compression';
import { OnEvent, type Envelope } from './kafka-event.server';
import { TopicNames } from './topic-names';

@Injectable()
class Counters {
  constructor(@InjectConnection() private readonly connection: Connection) {}
  private get collection() {
    return this.connection.collection<{ _id: string; n: number }>('counters');
  }
  async increment(accountId: string): Promise<void> {
    await this.collection.updateOne({ _id: accountId }, { $inc: { n: 1 } }, { upsert: true });
  }
  async count(accountId: string): Promise<number> {
    return (await this.collection.findOne({ _id: accountId }))?.n ?? 0;
  }
}

/** Holds events of accounts named `slow-…` until released, so that the group lags. */
class Gate {
  static open = true;
  static waiters: (() => void)[] = [];
  static release() {
    Gate.open = true;
    Gate.waiters.splice(0).forEach((w) => w());
  }
  static pass(): Promise<void> {
    return Gate.open ? Promise.resolve() : new Promise((resolve) => Gate.waiters.push(resolve));
  }
}

@Controller()
class AccountsHandler {
  constructor(private readonly counters: Counters) {}

  @OnEvent('crm.account.upserted')
  async onUpserted(@Payload() envelope: Envelope<'crm.account.upserted'>): Promise<void> {
    if (envelope.data.accountId.startsWith('slow-')) await Gate.pass();
    await this.counters.increment(envelope.data.accountId);
  }
}

const envelope = (accountId: string) =>
  JSON.stringify({
    id: randomUUID(),
    type: 'crm.account.upserted',
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'crm',
    data: { accountId, name: accountId },
  });

describe('consumer record policy against the real broker', () => {
  const run = newTestRun('recordpolicy');
  const config = {
    ...testServiceConfig(run, 'record-policy'),
    kafka: { ...testServiceConfig(run, 'record-policy').kafka, readyMaxLag: 3 },
  };
  const names = new TopicNames(config.kafka.topicPrefix);
  const kafka = new Kafka({ clientId: 'record-policy-test', brokers: INFRA.kafka.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  let service: RunningService;
  let recorder: TopicRecorder;
  let counters: Counters;
  let zstdBatch: { first: string; last: string };

  @Module({ imports: [ServiceKitModule.forRoot(config)], controllers: [AccountsHandler], providers: [Counters] })
  class TestModule {}

  const health = async () => {
    const res = await fetch(`${service.url}/health`);
    return {
      status: res.status,
      body: (await res.json()) as {
        details: { consumers: { status: string; message?: string; consumers: { state: string; totalLag: number }[] } };
      },
    };
  };

  beforeAll(async () => {
    // The topics exist before the service starts: records wait there for a new consumer group.
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: names.physical(Topics.CrmAccounts), numPartitions: 6 },
        { topic: names.deadLetter(Topics.CrmAccounts), numPartitions: 1 },
      ],
    });
    await admin.disconnect();
    await producer.connect();
    const topic = names.physical(Topics.CrmAccounts);
    await producer.send({ topic, messages: [{ key: 'u-a', value: envelope('u-a'), partition: 0 }] });
    const [written] = await producer.send({
      topic,
      compression: CompressionTypes.ZSTD,
      messages: ['u-b1', 'u-b2', 'u-b3'].map((id) => ({ key: id, value: envelope(id), partition: 0 })),
    });
    const first = BigInt(written!.baseOffset!);
    zstdBatch = { first: first.toString(), last: (first + 2n).toString() };
    await producer.send({ topic, messages: [{ key: 'u-c', value: envelope('u-c'), partition: 0 }] });

    // This process reads zstd as a consumer would that meets a corrupt frame.
    const zstd = CompressionCodecs[CompressionTypes.ZSTD]() as { compress: unknown };
    CompressionCodecs[CompressionTypes.ZSTD] = () => ({
      compress: zstd.compress,
      decompress: async () => {
        throw new Error('corrupt zstd frame (simulated)');
      },
    });
    recorder = await new TopicRecorder([names.deadLetter(Topics.CrmAccounts)]).start();
    service = await startService(TestModule, config, {
      title: 't',
      description: 't',
      publishes: [],
      consumer: { isPermanent: () => false, fromBeginning: true },
    });
    counters = service.app.get(Counters);
  });

  afterAll(async () => {
    registerKafkaCodecs();
    Gate.release();
    await producer.disconnect();
    await recorder.stop();
    await service.app.close();
  });

  it('dead-letters a batch it cannot decode as one offset range, with its raw bytes, and applies the records around it', async () => {
    await waitFor(
      'the records before and after the batch',
      async () => (await counters.count('u-a')) === 1 && (await counters.count('u-c')) === 1,
    );
    await waitFor('the dead letter of the batch', () => recorder.on(names.deadLetter(Topics.CrmAccounts)).length === 1);
    const letter = recorder.on(names.deadLetter(Topics.CrmAccounts))[0]!.json as unknown as DeadLetterRecord;
    expect(letter).toMatchObject({
      reason: expect.stringMatching(
        /^undecodable record batch \(compression codec 4\): Error: corrupt zstd frame \(simulated\); offsets \d+-\d+ skipped$/,
      ),
      originalTopic: 'crm.accounts',
      partition: 0,
      offset: zstdBatch.first,
      lastOffset: zstdBatch.last,
      key: null,
      valueTruncated: false,
      consumerGroup: config.kafka.groupId,
    });
    expect(Buffer.from(letter.valueBase64!, 'base64').length).toBeGreaterThan(0);
    for (const id of ['u-b1', 'u-b2', 'u-b3']) expect(await counters.count(id)).toBe(0);
  });

  it('is not ready while it lags beyond its bound, with the reason, and ready again once caught up', async () => {
    await waitFor('ready before the load', async () => (await health()).status === 200);
    Gate.open = false;
    const topic = names.physical(Topics.CrmAccounts);
    await producer.send({ topic, messages: Array.from({ length: 10 }, () => ({ key: 'slow-1', value: envelope('slow-1') })) });
    await waitFor('readiness to fail on lag', async () => (await health()).status === 503);
    const down = await health();
    expect(down.body.details.consumers.message).toMatch(/crm\.accounts\[\d\] lags \d+ records \(bound 3\)/);
    expect(down.body.details.consumers.consumers[0]!.state).toBe('consuming');
    Gate.release();
    await waitFor('every slow event applied', async () => (await counters.count('slow-1')) === 10);
    await waitFor('ready again', async () => (await health()).status === 200);
    expect((await health()).body.details.consumers.consumers[0]!.totalLag).toBe(0);
  });
});
