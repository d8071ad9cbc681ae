import { MongoClient, type Collection } from 'mongodb';
import { Topics, type AnyEnvelope } from '@lifecycle/contracts';
import { INFRA, newTestRun, TopicRecorder, waitFor } from '@lifecycle/testing';
import { buildEnvelope, EventPublisher } from './event-publisher';
import { KafkaConnection } from './kafka-connection';
import { OutboxRelay, type OutboxDocument } from './outbox-relay';

describe('outbox relay against the real broker and database', () => {
  const run = newTestRun('outbox');
  const connection = new KafkaConnection({ brokers: INFRA.kafka.split(','), clientId: 'outbox-test', topicPrefix: run.topicPrefix });
  const publisher = new EventPublisher(connection, 'outbox-test');
  let client: MongoClient;
  let collection: Collection<OutboxDocument>;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    client = await MongoClient.connect(INFRA.mongo);
    collection = client.db(run.databaseFor('outbox')).collection<OutboxDocument>('aggregates');
    await connection.ensureTopics([Topics.SegmentMembership]);
    recorder = await new TopicRecorder([connection.names.physical(Topics.SegmentMembership)]).start();
  });

  afterAll(async () => {
    await recorder.stop();
    await publisher.close();
    await client.db(run.databaseFor('outbox')).dropDatabase();
    await client.close();
  });

  it('publishes pending events in order, removes exactly those, and keeps ones added meanwhile', async () => {
    const events = [1, 2, 3].map((n) => buildEnvelope('test', 'segment.entered', { segmentId: `s${n}`, accountId: 'acme' }));
    await collection.insertOne({ _id: 'acme', outbox: events });
    const relay = new OutboxRelay(collection, publisher);
    await relay.flush('acme');
    expect((await collection.findOne({ _id: 'acme' }))?.outbox).toEqual([]);

    const later = buildEnvelope('test', 'segment.exited', { segmentId: 's1', accountId: 'acme' });
    await collection.updateOne({ _id: "acme" }, { $push: { outbox: later as AnyEnvelope } } as never);
    expect(await relay.sweep()).toBe(1);
    await waitFor('four messages', () => recorder.messages.length >= 4);
    expect(recorder.messages.map((m) => m.json.id)).toEqual([...events.map((e) => e.id), later.id]);
    expect(recorder.messages.every((m) => m.key === 'acme')).toBe(true);
    expect(await relay.sweep()).toBe(0);
  });
});
