/**
 * The publisher against the real broker: a send larger than the broker takes in one record batch
 * goes out in several producer calls, every record once and in order.
 */
import { Topics, type AnyEnvelope } from '@lifecycle/contracts';
import { INFRA, newTestRun, TopicRecorder, waitFor } from '@lifecycle/testing';
import { buildEnvelope, EventPublisher, MAX_SEND_BYTES } from './event-publisher';
import { KafkaConnection } from './kafka-connection';

describe('publishing many events at once', () => {
  const run = newTestRun('publisher');
  const connection = new KafkaConnection({ brokers: INFRA.kafka.split(','), clientId: 'publisher-test', topicPrefix: run.topicPrefix });
  let recorder: TopicRecorder;

  beforeAll(async () => {
    await connection.ensureTopics([Topics.SegmentMembership]);
    recorder = await new TopicRecorder([connection.names.physical(Topics.SegmentMembership)]).start();
  });

  afterAll(async () => {
    await recorder.stop();
  });

  it.each(['none', 'lz4'] as const)(
    'sends a burst past the broker’s batch limit (compression %s) in several calls, each record once and in order',
    async (compression) => {
      const publisher = new EventPublisher(connection, 'publisher-test', compression);
      const account = `burst-${compression}`;
      // Random text compresses poorly, so the lz4 case passes the limit too.
      const filler = (n: number) => Array.from({ length: n }, () => Math.random().toString(36).slice(2)).join('');
      const events: AnyEnvelope[] = Array.from({ length: 1200 }, () =>
        buildEnvelope('test', 'segment.entered', { segmentId: filler(200), accountId: account }),
      );
      // One event of nearly the largest value a consumer accepts, in the middle.
      events.splice(600, 0, buildEnvelope('test', 'segment.exited', { segmentId: filler(80_000), accountId: account }));
      const bytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0);
      expect(bytes).toBeGreaterThan(2 * MAX_SEND_BYTES);
      try {
        await publisher.publishEnvelopes(events);
      } finally {
        await publisher.close();
      }
      const ids = () => recorder.messages.filter((m) => m.key === account).map((m) => String(m.json.id));
      await waitFor('every record', () => ids().length >= events.length, 20_000);
      expect(ids()).toEqual(events.map((e) => e.id));
    },
  );
});
