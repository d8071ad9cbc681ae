import { randomUUID } from 'node:crypto';
import { Controller, Injectable, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Topics } from '@lifecycle/contracts';
import { ServiceKitModule, startService, type RunningService } from '@lifecycle/http';
import { newTestRun, testServiceConfig, TopicRecorder, waitFor } from '@lifecycle/testing';
import { buildEnvelope, EventPublisher } from './event-publisher';
import { HeaderFilters } from './header-filters';
import { KafkaConnection } from './kafka-connection';
import { OnEvent, type Envelope } from './kafka-event.server';

class RuleRejected extends Error {}

@Injectable()
class CounterRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}
  async increment(accountId: string): Promise<void> {
    await this.connection
      .collection<{ _id: string; n: number }>('counters')
      .updateOne({ _id: accountId }, { $inc: { n: 1 } }, { upsert: true });
  }
  async count(accountId: string): Promise<number> {
    return (await this.connection.collection<{ _id: string; n: number }>('counters').findOne({ _id: accountId }))?.n ?? 0;
  }
}

@Controller()
class AccountsHandler {
  static failuresBeforeSuccess = new Map<string, number>();
  constructor(
    private readonly counters: CounterRepository,
    filters: HeaderFilters,
  ) {
    // A record whose `x-skip` header says `yes` is nothing to this handler; `boom` makes judging fail.
    filters.add('crm.account.upserted', (headers) => {
      if (headers.some((h) => h['x-skip'] === 'boom')) return Promise.reject(new Error('replica unavailable'));
      return Promise.resolve(headers.map((h) => h['x-skip'] === 'yes'));
    });
  }

  @OnEvent('crm.account.upserted')
  async onUpserted(@Payload() envelope: Envelope<'crm.account.upserted'>): Promise<void> {
    if (envelope.data.name === 'rejected-by-rule') throw new RuleRejected('name is not allowed');
    const failures = AccountsHandler.failuresBeforeSuccess.get(envelope.data.accountId) ?? 0;
    if (failures > 0) {
      AccountsHandler.failuresBeforeSuccess.set(envelope.data.accountId, failures - 1);
      throw new Error('transient bug');
    }
    await this.counters.increment(envelope.data.accountId);
  }
}

describe('event consumer against the real broker', () => {
  const run = newTestRun('consumer');
  const config = testServiceConfig(run, 'consumer-test');
  let service: RunningService;
  let recorder: TopicRecorder;
  let publisher: EventPublisher;
  let counters: CounterRepository;

  @Module({ imports: [ServiceKitModule.forRoot(config)], controllers: [AccountsHandler], providers: [CounterRepository] })
  class TestModule {}

  beforeAll(async () => {
    service = await startService(TestModule, config, {
      title: 'test',
      description: 'test',
      publishes: [],
      consumer: { isPermanent: (e) => e instanceof RuleRejected, fromBeginning: true },
    });
    publisher = service.app.get(EventPublisher);
    counters = service.app.get(CounterRepository);
    const names = service.app.get(KafkaConnection).names;
    recorder = await new TopicRecorder([names.deadLetter(Topics.CrmAccounts)]).start();
  });

  afterAll(async () => {
    await recorder.stop();
    await service.app.close();
  });

  const dlq = () => recorder.on(`${config.kafka.topicPrefix}crm.accounts.dlq`);

  it('dead-letters a malformed message with its reason and still processes the next one', async () => {
    const names = service.app.get(KafkaConnection).names;
    await publisher.sendRaw(names.physical(Topics.CrmAccounts), [
      { key: 'acme', value: '{ not json' },
      {
        key: 'acme',
        value: JSON.stringify({
          id: randomUUID(),
          type: 'crm.account.upserted',
          version: 1,
          occurredAt: new Date().toISOString(),
          source: 'crm',
          data: { accountId: 'acme' },
        }),
      },
      {
        key: 'acme',
        value: JSON.stringify({
          id: randomUUID(),
          type: 'crm.account.exploded',
          version: 1,
          occurredAt: new Date().toISOString(),
          source: 'crm',
          data: {},
        }),
      },
      {
        key: 'acme',
        value: JSON.stringify({
          id: randomUUID(),
          type: 'crm.account.upserted',
          version: 7,
          occurredAt: new Date().toISOString(),
          source: 'crm',
          data: { accountId: 'acme', name: 'Acme' },
        }),
      },
    ]);
    await publisher.publish('crm.account.upserted', { accountId: 'acme', name: 'Acme' });

    await waitFor('the valid message to be applied', async () => (await counters.count('acme')) === 1);
    await waitFor('four dead letters', () => dlq().length >= 4);
    const reasons = dlq().map((m) => m.json.reason as string);
    expect(reasons[0]).toMatch(/^value is not valid JSON/);
    expect(reasons[1]).toBe('invalid data of "crm.account.upserted"');
    expect(dlq()[1]!.json.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^data\.name: /)]));
    expect(reasons[2]).toBe('unknown event type "crm.account.exploded"');
    expect(reasons[3]).toBe('unsupported version 7 of "crm.account.upserted"; supported: 1');
    expect(dlq()[0]!.json).toMatchObject({
      originalTopic: 'crm.accounts',
      key: 'acme',
      value: '{ not json',
      consumerGroup: config.kafka.groupId,
    });
  });

  it('applies a redelivered event id once', async () => {
    const id = randomUUID();
    await publisher.publish('crm.account.upserted', { accountId: 'globex', name: 'Globex' }, { id });
    await publisher.publish('crm.account.upserted', { accountId: 'globex', name: 'Globex' }, { id });
    await publisher.publish('crm.account.upserted', { accountId: 'globex', name: 'Globex' });
    await waitFor('both distinct events', async () => (await counters.count('globex')) === 2);
    await waitFor('the duplicate to be counted', () => (service.events?.consumerStats?.duplicates ?? 0) >= 1);
    expect(await counters.count('globex')).toBe(2);
  });

  it('commits at most every 200 ms while events keep coming, and commits the last of them', async () => {
    const stats = () => service.events!.consumerStats!;
    await waitFor('earlier commits sent', async () => {
      const before = stats().commits;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return stats().commits === before;
    });
    const before = stats().commits;
    const started = Date.now();
    // Thirty sends 20 ms apart: as many small batches, each ending a step.
    for (let i = 0; i < 30; i++) {
      await publisher.publish('crm.account.upserted', { accountId: 'umbrella', name: `U${i}` });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitFor('every event applied', async () => (await counters.count('umbrella')) === 30);
    // The last step's end is committed too: the group's offset reaches the partition's end.
    const names = service.app.get(KafkaConnection).names;
    const admin = service.app.get(KafkaConnection).kafka.admin();
    await admin.connect();
    try {
      const topic = names.physical(Topics.CrmAccounts);
      await waitFor('the last step committed', async () => {
        const [committed] = await admin.fetchOffsets({ groupId: config.kafka.groupId, topics: [topic] });
        const high = await admin.fetchTopicOffsets(topic);
        return high.every(
          (h) => Math.max(0, Number(committed!.partitions.find((p) => p.partition === h.partition)?.offset ?? -1)) === Number(h.high),
        );
      });
    } finally {
      await admin.disconnect();
    }
    // Without the pause every step's end goes out on its own (twenty or more here).
    expect(stats().commits - before).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 200) + 1);
  });

  it('dead-letters a rule rejection at once and retries an unexpected failure', async () => {
    AccountsHandler.failuresBeforeSuccess.set('initech', 2);
    await publisher.publish('crm.account.upserted', { accountId: 'hooli', name: 'rejected-by-rule' });
    await publisher.publish('crm.account.upserted', { accountId: 'initech', name: 'Initech' });
    await waitFor('the retried event to be applied', async () => (await counters.count('initech')) === 1);
    await waitFor('the rejection in the DLQ', () => dlq().find((m) => m.key === 'hooli'));
    expect(dlq().find((m) => m.key === 'hooli')!.json.reason).toBe('rejected: Error: name is not allowed');
    expect(await counters.count('hooli')).toBe(0);
  });

  it('passes over the records a header filter judges nothing to the handler, unparsed, and reads the rest', async () => {
    const names = service.app.get(KafkaConnection).names;
    const before = { passedOver: service.events!.consumerStats!.passedOver, dlq: dlq().length };
    const upserted = (accountId: string) => JSON.stringify(buildEnvelope('crm', 'crm.account.upserted', { accountId, name: accountId }));
    const headers = (skip: string) => ({ 'event-type': 'crm.account.upserted', 'x-skip': skip });
    await publisher.sendRaw(names.physical(Topics.CrmAccounts), [
      // Not even JSON: passed over, so never dead-lettered by this service.
      { key: 'wayne', value: '{ not json', headers: headers('yes') },
      { key: 'wayne', value: upserted('wayne'), headers: headers('yes') },
      { key: 'wayne', value: upserted('wayne'), headers: headers('no') },
    ]);
    // A filter that fails leaves its records to be read as any other.
    await publisher.sendRaw(names.physical(Topics.CrmAccounts), [{ key: 'stark', value: upserted('stark'), headers: headers('boom') }]);
    await waitFor('the record judged to be applied', async () => (await counters.count('wayne')) === 1);
    await waitFor('the record the filter failed on to be applied', async () => (await counters.count('stark')) === 1);
    expect(service.events!.consumerStats!.passedOver - before.passedOver).toBe(2);
    expect(await counters.count('wayne')).toBe(1);
    expect(dlq().length).toBe(before.dlq);
  });
});
