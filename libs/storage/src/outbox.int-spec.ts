import { MongoClient, type Collection } from 'mongodb';
import { Topics, type AnyEnvelope } from '@lifecycle/contracts';
import { INFRA, newTestRun, TopicRecorder, waitFor } from '@lifecycle/testing';
import { buildEnvelope, EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import { AggregateLock } from './aggregate-lock';
import { ENGINES, type StorageEngine } from './engine';
import { Outbox, type OutboxDocument, type OutboxTiming } from './outbox';
import { packOutboxEvent } from './outbox-events';
import { Storage } from './storage';

describe('outbox against the real broker and database', () => {
  const run = newTestRun('outbox');
  const connection = new KafkaConnection({ brokers: INFRA.kafka.split(','), clientId: 'outbox-test', topicPrefix: run.topicPrefix });
  const publisher = new EventPublisher(connection, 'outbox-test');
  let client: MongoClient;
  let collection: Collection<OutboxDocument>;
  let recorder: TopicRecorder;
  const outboxOf = (sink: EventPublisher, timing: OutboxTiming = {}) => new Outbox(collection, sink, new AggregateLock(), timing);

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

  // Published events leave the outbox by id where the engine applies `$pull` conditions, by exact
  // value (under the writers' locks) where it does not.
  describe.each([
    ['removed by id (the engine as found)', undefined],
    ['removed by value (an engine without $pull conditions nor atomic updates)', ENGINES.ferretdb],
  ] as [string, StorageEngine | undefined][])('%s', (_name, engine) => {
    const account = `acme-${engine?.name ?? 'found'}`;

    it('publishes pending events in order, removes exactly those, and keeps ones added meanwhile', async () => {
      const storage = await Storage.open(client.db(run.databaseFor('outbox')), engine);
      const own = storage.collection<OutboxDocument>(`aggregates_${engine?.name ?? 'found'}`);
      const events = [1, 2, 3].map((n) => buildEnvelope('test', 'segment.entered', { segmentId: `s${n}`, accountId: account }));
      await own.insertOne({ _id: account, outbox: events });
      const relay = new Outbox(own, publisher, new AggregateLock(), {}, storage);
      await relay.flush(account);
      expect((await own.findOne({ _id: account }))?.outbox).toEqual([]);

      const later = buildEnvelope('test', 'segment.exited', { segmentId: 's1', accountId: account });
      await own.updateOne({ _id: account }, { $push: { outbox: later as AnyEnvelope } } as never);
      // Published together with an event pushed meanwhile: only the published one leaves.
      const meanwhile = buildEnvelope('test', 'segment.entered', { segmentId: 's9', accountId: account });
      const slow = {
        publishEnvelopes: async (envelopes: AnyEnvelope[]) => {
          await own.updateOne({ _id: account }, { $push: { outbox: meanwhile as AnyEnvelope } } as never);
          return publisher.publishEnvelopes(envelopes);
        },
      } as unknown as EventPublisher;
      await new Outbox(own, slow, new AggregateLock(), {}, storage).flushMany([account]);
      expect((await own.findOne({ _id: account }))?.outbox?.map((e) => e.id)).toEqual([meanwhile.id]);
      expect(await relay.sweep()).toBe(1);
      const ours = () => recorder.messages.filter((m) => m.key === account);
      await waitFor('five messages', () => ours().length >= 5);
      expect(ours().map((m) => m.json.id)).toEqual([...events.map((e) => e.id), later.id, meanwhile.id]);
      expect(await relay.sweep()).toBe(0);
    });

    it('publishes packed events like envelopes, in order, and removes them from a read and as a writer knows them', async () => {
      const storage = await Storage.open(client.db(run.databaseFor('outbox')), engine);
      const own = storage.collection<OutboxDocument>(`packed_${engine?.name ?? 'found'}`);
      const id = `packed-${account}`;
      const [plain, traced, last] = [1, 2, 3].map((n) => buildEnvelope('test', 'segment.entered', { segmentId: `p${n}`, accountId: id }));
      // Written while tracing: the envelope carries the writer's traceparent, which never reaches the value.
      const tracedStored = { ...traced!, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } as AnyEnvelope;
      await own.insertOne({ _id: id, outbox: [plain!, packOutboxEvent(tracedStored), packOutboxEvent(last!)] });
      const relay = new Outbox(own, publisher, new AggregateLock(), {}, storage);
      await relay.flush(id);
      expect((await own.findOne({ _id: id }))?.outbox).toEqual([]);

      const written = buildEnvelope('test', 'segment.exited', { segmentId: 'p1', accountId: id });
      await own.updateOne({ _id: id }, { $push: { outbox: packOutboxEvent(written) } } as never);
      relay.flushWrittenSoon([{ id, events: [written] }]);
      await relay.whenFlushed([id]);
      expect((await own.findOne({ _id: id }))?.outbox).toEqual([]);

      const ours = () => recorder.messages.filter((m) => m.key === id);
      await waitFor('four messages', () => ours().length >= 4);
      expect(ours().map((m) => m.json)).toEqual([plain, traced, last, written].map((e) => JSON.parse(JSON.stringify(e)) as unknown));
      expect(await relay.sweep()).toBe(0);
    });
  });

  it('flushWritten publishes what the writer knows, empties the outboxes still as written, and flushes the others as they are', async () => {
    const kept = buildEnvelope('test', 'segment.entered', { segmentId: 'w1', accountId: 'kept' });
    const moved = buildEnvelope('test', 'segment.entered', { segmentId: 'w1', accountId: 'moved' });
    const late = buildEnvelope('test', 'segment.exited', { segmentId: 'w1', accountId: 'moved' });
    await collection.insertMany([
      { _id: 'kept', rev: 2, outbox: [kept] },
      // Another process wrote after the caller (rev 3) and pushed an event of its own.
      { _id: 'moved', rev: 3, outbox: [moved, late] },
    ] as never);
    await outboxOf(publisher).flushWritten([
      { id: 'kept', events: [kept], filter: { rev: 2 } },
      { id: 'moved', events: [moved], filter: { rev: 2 } },
    ]);
    await waitFor('three events out', () => published([kept.id, moved.id, late.id]) >= 3);
    expect(recorder.messages.filter((m) => m.json.id === late.id)).toHaveLength(1);
    expect((await collection.findOne({ _id: 'kept' }))?.outbox).toEqual([]);
    expect((await collection.findOne({ _id: 'moved' }))?.outbox).toEqual([]);
  });

  /** The real publisher, or a refusal while `down` or for the next `refuse` publishes (the broker unreachable, as the relay sees it). */
  function switchable(): { publisher: EventPublisher; down: boolean; refuse: number } {
    const state = { down: false, refuse: 0, publisher: undefined as unknown as EventPublisher };
    state.publisher = {
      publishEnvelopes: (envelopes: AnyEnvelope[]) => {
        if (state.down || state.refuse > 0) {
          state.refuse = Math.max(0, state.refuse - 1);
          return Promise.reject(new Error('KafkaJSConnectionError: broker down'));
        }
        return publisher.publishEnvelopes(envelopes);
      },
    } as unknown as EventPublisher;
    return state;
  }
  const published = (ids: string[]) => recorder.messages.filter((m) => ids.includes(String(m.json.id))).length;

  it('flushWrittenSoon publishes what the writer knows without a read, removes exactly that, and queues behind a flush under way', async () => {
    const first = buildEnvelope('test', 'segment.entered', { segmentId: 'q1', accountId: 'queued' });
    const second = buildEnvelope('test', 'segment.exited', { segmentId: 'q1', accountId: 'queued' });
    const x = buildEnvelope('test', 'segment.entered', { segmentId: 'q2', accountId: 'pushed' });
    const y = buildEnvelope('test', 'segment.exited', { segmentId: 'q2', accountId: 'pushed' });
    await collection.insertMany([
      { _id: 'queued', outbox: [first] },
      // Another writer pushed y after the caller's write of x (its own flush publishes y).
      { _id: 'pushed', outbox: [x, y] },
    ] as never);
    // The first publish is slow: the flush of the next write must neither overtake it nor repeat its events.
    let calls = 0;
    const slowFirst = {
      publishEnvelopes: async (envelopes: AnyEnvelope[]) => {
        if (calls++ === 0) await new Promise((resolve) => setTimeout(resolve, 500));
        return publisher.publishEnvelopes(envelopes);
      },
    } as unknown as EventPublisher;
    const relay = outboxOf(slowFirst);
    relay.flushSoon('queued');
    await waitFor('the slow flush started', () => calls === 1);
    await collection.updateOne({ _id: 'queued' }, { $push: { outbox: second as AnyEnvelope } } as never);
    relay.flushWrittenSoon([
      { id: 'queued', events: [first, second] },
      { id: 'pushed', events: [x] },
    ]);
    await waitFor('the events out', () => published([second.id, x.id]) >= 2, 10_000);
    await waitFor('the flushes done', () => relay.backlog().pending === 0);
    const order = recorder.messages.filter((m) => [first.id, second.id].includes(String(m.json.id))).map((m) => m.json.id);
    expect(order).toEqual([first.id, second.id]);
    expect((await collection.findOne({ _id: 'queued' }))?.outbox).toEqual([]);
    expect((await collection.findOne({ _id: 'pushed' }))?.outbox?.map((e) => e.id)).toEqual([y.id]);
    expect(published([x.id, y.id])).toBe(1);
  });

  it('with a removal delay, published events stay until a writer drops them, a flush, or the delay: each goes out once', async () => {
    const storage = await Storage.open(client.db(run.databaseFor('outbox')));
    const own = storage.collection<OutboxDocument>('deferred');
    const ev = (n: string, id: string) => buildEnvelope('test', 'segment.entered', { segmentId: n, accountId: id });
    const [a1, b1, b2, c1, c2, d1, d2] = [
      ev('a1', 'def-a'),
      ev('b1', 'def-b'),
      ev('b2', 'def-b'),
      ev('c1', 'def-c'),
      ev('c2', 'def-c'),
      ev('d1', 'def-d'),
      ev('d2', 'def-d'),
    ];
    await own.insertMany(['a', 'b', 'c', 'd'].map((x, i) => ({ _id: `def-${x}`, version: 1, outbox: [[a1, b1, c1, d1][i]!] })));
    const relay = new Outbox(own, publisher, new AggregateLock(), { removalDelayMs: 400 }, storage);
    relay.flushWrittenSoon(
      [
        ['def-a', a1],
        ['def-b', b1],
        ['def-c', c1],
        ['def-d', d1],
      ].map(([id, e]) => ({ id: id as string, events: [e as AnyEnvelope], guard: { version: 1 } })),
    );
    await relay.whenFlushed(['def-a', 'def-b', 'def-c', 'def-d']);
    await waitFor('the four published', () => published([a1.id, b1.id, c1.id, d1.id]) === 4);
    // Published, still in their documents.
    expect((await own.findOne({ _id: 'def-a' }))?.outbox?.map((e) => e.id)).toEqual([a1.id]);
    expect(relay.publishedIn('def-b')).toEqual(new Set([b1.id]));

    // b: its writer drops b1 in its own write.
    await own.updateOne({ _id: 'def-b', version: 1 }, { $set: { version: 2, outbox: [b2] } } as never);
    relay.removedInWrite('def-b', [b1.id]);
    expect(relay.publishedIn('def-b')).toBeUndefined();
    // c: another process pushed c2; a flush publishes c2 only and removes both.
    await own.updateOne({ _id: 'def-c' }, { $set: { version: 2 }, $push: { outbox: c2 } } as never);
    await relay.flushMany(['def-b', 'def-c']);
    // d: another process pushed d2: the guard no longer matches, so d1 alone leaves, by id.
    await own.updateOne({ _id: 'def-d' }, { $set: { version: 2 }, $push: { outbox: d2 } } as never);

    await waitFor('the delayed removals', async () => (await own.findOne({ _id: 'def-a' }))?.outbox?.length === 0);
    const outboxes = Object.fromEntries((await own.find({}).toArray()).map((d) => [d._id, d.outbox?.map((e) => e.id)]));
    expect(outboxes).toEqual({ 'def-a': [], 'def-b': [], 'def-c': [], 'def-d': [d2.id] });
    await waitFor('b2 and c2', () => published([b2.id, c2.id]) === 2);
    for (const e of [a1, b1, b2, c1, c2, d1]) expect(published([e.id])).toBe(1);
    expect(published([d2.id])).toBe(0);
    await relay.stop();
  });

  it('deferred removals of many documents leave every outbox empty, chunk after chunk, each event published once', async () => {
    const storage = await Storage.open(client.db(run.databaseFor('outbox')));
    const own = storage.collection<OutboxDocument>('deferred_many');
    const ids = Array.from({ length: 130 }, (_, i) => `many-${i}`);
    const events = ids.map((id) => buildEnvelope('test', 'segment.entered', { segmentId: 's', accountId: id }));
    await own.insertMany(ids.map((_id, i) => ({ _id, version: 1, outbox: [events[i]!] })));
    const relay = new Outbox(own, publisher, new AggregateLock(), { removalDelayMs: 100 }, storage);
    relay.start();
    relay.flushWrittenSoon(ids.map((id, i) => ({ id, events: [events[i]!], guard: { version: 1 } })));
    await waitFor('every outbox emptied', async () => (await own.countDocuments({ 'outbox.0': { $exists: true } })) === 0);
    await waitFor('every event published', () => published(events.map((e) => e.id)) === ids.length);
    for (const id of ids) expect(relay.publishedIn(id)).toBeUndefined();
    await relay.stop();
  });

  it('a flush judges what it read only once the writer holding the document is done: events the writer dropped are not published again', async () => {
    const storage = await Storage.open(client.db(run.databaseFor('outbox')));
    const own = storage.collection<OutboxDocument>('raced');
    const [a1, a2] = ['a1', 'a2'].map((n) => buildEnvelope('test', 'segment.entered', { segmentId: n, accountId: 'race-a' }));
    await own.insertOne({ _id: 'race-a', version: 1, outbox: [a1!] });
    // The flush's read answers at once and its answer is held until `open`: a read taken before the
    // writer's write, reaching the flush after it.
    let open!: () => void;
    const held = new Promise<void>((resolve) => (open = resolve));
    const gated = Object.create(storage) as Storage;
    gated.findByIds = (async (...args: Parameters<Storage['findByIds']>) => {
      const docs = await storage.findByIds(...args);
      await held;
      return docs;
    }) as Storage['findByIds'];
    const lock = new AggregateLock();
    const relay = new Outbox(own, publisher, lock, { removalDelayMs: 60_000 }, gated);
    relay.flushWrittenSoon([{ id: 'race-a', events: [a1!], guard: { version: 1 } }]);
    await relay.whenFlushed(['race-a']);
    expect(relay.publishedIn('race-a')).toEqual(new Set([a1!.id]));

    let flushing!: Promise<void>;
    await lock.runAll(['race-a'], async () => {
      flushing = relay.flushMany(['race-a']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The writer drops the published a1 in its own write and adds a2.
      await own.updateOne({ _id: 'race-a', version: 1 }, { $set: { version: 2, outbox: [a2!] } } as never);
      relay.removedInWrite('race-a', [a1!.id]);
    });
    open();
    await flushing;
    await waitFor('a2 published', () => published([a2!.id]) === 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(published([a1!.id])).toBe(1);
    expect(published([a2!.id])).toBe(1);
    expect((await own.findOne({ _id: 'race-a' }))?.outbox).toEqual([]);
    await relay.stop();
  });

  describe("a write's events while the publish of its document's earlier ones is under way", () => {
    /** A relay whose publishes wait for `release` and whose reads of documents are counted. */
    async function gatedRelay(name: string, sink: EventPublisher = publisher, timing: OutboxTiming = {}) {
      const storage = await Storage.open(client.db(run.databaseFor('outbox')));
      const own = storage.collection<OutboxDocument>(name);
      const counted = Object.create(storage) as Storage;
      const state = { reads: 0, release: () => undefined as void, relay: undefined as unknown as Outbox };
      counted.findByIds = ((...args: Parameters<Storage['findByIds']>) => {
        state.reads += 1;
        return storage.findByIds(...args);
      }) as Storage['findByIds'];
      const held = new Promise<void>((resolve) => (state.release = resolve));
      const gated = {
        publishEnvelopes: async (envelopes: AnyEnvelope[]) => {
          await held;
          return sink.publishEnvelopes(envelopes);
        },
      } as unknown as EventPublisher;
      state.relay = new Outbox(own, gated, new AggregateLock(), timing, counted);
      return { own, state };
    }
    const ev = (n: string, id: string) => buildEnvelope('test', 'segment.entered', { segmentId: n, accountId: id });
    const order = (ids: string[]) => recorder.messages.filter((m) => ids.includes(String(m.json.id))).map((m) => m.json.id);

    it('go out after it, as the writer knows them, without a read', async () => {
      const { own, state } = await gatedRelay('chained');
      const [a1, a2] = [ev('a1', 'ch-a'), ev('a2', 'ch-a')];
      await own.insertOne({ _id: 'ch-a', version: 1, outbox: [a1] });
      state.relay.flushWrittenSoon([{ id: 'ch-a', events: [a1], guard: { version: 1 } }]);
      await own.updateOne({ _id: 'ch-a', version: 1 }, { $set: { version: 2 }, $push: { outbox: a2 } } as never);
      state.relay.flushWrittenSoon([{ id: 'ch-a', events: [a2], held: [a1.id], guard: { version: 2 } }]);
      state.release();
      await state.relay.whenFlushed(['ch-a']);
      await waitFor('both out', () => published([a1.id, a2.id]) === 2);
      expect(order([a1.id, a2.id])).toEqual([a1.id, a2.id]);
      expect(state.reads).toBe(0);
      expect((await own.findOne({ _id: 'ch-a' }))?.outbox).toEqual([]);
      await state.relay.stop();
    });

    it('go out after the earlier ones from a read when that publish failed', async () => {
      const broker = switchable();
      const { own, state } = await gatedRelay('chained_failed', broker.publisher);
      const [b1, b2] = [ev('b1', 'ch-b'), ev('b2', 'ch-b')];
      await own.insertOne({ _id: 'ch-b', version: 1, outbox: [b1] });
      broker.refuse = 1;
      state.relay.flushWrittenSoon([{ id: 'ch-b', events: [b1], guard: { version: 1 } }]);
      await own.updateOne({ _id: 'ch-b', version: 1 }, { $set: { version: 2 }, $push: { outbox: b2 } } as never);
      state.relay.flushWrittenSoon([{ id: 'ch-b', events: [b2], held: [b1.id], guard: { version: 2 } }]);
      state.release();
      await state.relay.whenFlushed(['ch-b']);
      await waitFor('both out', () => published([b1.id, b2.id]) === 2);
      expect(order([b1.id, b2.id])).toEqual([b1.id, b2.id]);
      expect(state.reads).toBe(1);
      expect((await own.findOne({ _id: 'ch-b' }))?.outbox).toEqual([]);
      await state.relay.stop();
    });

    it('are not published again when a flush queued before them read the document after the write', async () => {
      const { own, state } = await gatedRelay('chained_read');
      const [d1, d2] = [ev('d1', 'ch-d'), ev('d2', 'ch-d')];
      await own.insertOne({ _id: 'ch-d', version: 1, outbox: [d1] });
      state.relay.flushWrittenSoon([{ id: 'ch-d', events: [d1], guard: { version: 1 } }]);
      state.relay.flushManySoon(['ch-d']); // reads once the publish of d1 is done
      await own.updateOne({ _id: 'ch-d', version: 1 }, { $set: { version: 2 }, $push: { outbox: d2 } } as never);
      state.relay.flushWrittenSoon([{ id: 'ch-d', events: [d2], held: [d1.id], guard: { version: 2 } }]);
      state.release();
      await state.relay.whenFlushed(['ch-d']);
      await waitFor('both out', () => published([d1.id, d2.id]) >= 2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(order([d1.id, d2.id])).toEqual([d1.id, d2.id]);
      expect((await own.findOne({ _id: 'ch-d' }))?.outbox).toEqual([]);
      await state.relay.stop();
    });

    it('go out without a read when the earlier ones were published since the writer read the document', async () => {
      const { own, state } = await gatedRelay('chained_done', publisher, { removalDelayMs: 200 });
      const [e1, e2] = [ev('e1', 'ch-e'), ev('e2', 'ch-e')];
      await own.insertOne({ _id: 'ch-e', version: 1, outbox: [e1] });
      state.relay.flushWrittenSoon([{ id: 'ch-e', events: [e1], guard: { version: 1 } }]);
      state.release();
      await state.relay.whenFlushed(['ch-e']);
      // The writer read e1 as unpublished just before; it is published now and waits for its removal.
      expect(state.relay.publishedIn('ch-e')).toEqual(new Set([e1.id]));
      await own.updateOne({ _id: 'ch-e', version: 1 }, { $set: { version: 2 }, $push: { outbox: e2 } } as never);
      state.relay.flushWrittenSoon([{ id: 'ch-e', events: [e2], held: [e1.id] }]);
      await state.relay.whenFlushed(['ch-e']);
      await waitFor('both out', () => published([e1.id, e2.id]) >= 2);
      await waitFor('the removals', async () => (await own.findOne({ _id: 'ch-e' }))?.outbox?.length === 0);
      expect(order([e1.id, e2.id])).toEqual([e1.id, e2.id]);
      expect(state.reads).toBe(0);
      await state.relay.stop();
    });

    it('go out from a read when the earlier ones are not under way in this process', async () => {
      const { own, state } = await gatedRelay('chained_foreign');
      const [x1, x2] = [ev('x1', 'ch-x'), ev('x2', 'ch-x')];
      // x1 was left by another process (or a publish that failed here and waits for its retry).
      await own.insertOne({ _id: 'ch-x', version: 2, outbox: [x1, x2] });
      state.relay.flushWrittenSoon([{ id: 'ch-x', events: [x2], held: [x1.id], guard: { version: 2 } }]);
      state.release();
      await state.relay.whenFlushed(['ch-x']);
      await waitFor('both out', () => published([x1.id, x2.id]) === 2);
      expect(order([x1.id, x2.id])).toEqual([x1.id, x2.id]);
      expect(state.reads).toBe(1);
      await state.relay.stop();
    });
  });

  it('whenFlushed settles once the background flushes of those documents are done, published or left to the retries', async () => {
    const ok = buildEnvelope('test', 'segment.entered', { segmentId: 'wf', accountId: 'when-ok' });
    const refused = buildEnvelope('test', 'segment.entered', { segmentId: 'wf', accountId: 'when-refused' });
    await collection.insertMany([
      { _id: 'when-ok', outbox: [ok] },
      { _id: 'when-refused', outbox: [refused] },
    ] as never);
    const broker = switchable();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = {
      publishEnvelopes: async (envelopes: AnyEnvelope[]) => {
        await held;
        return broker.publisher.publishEnvelopes(envelopes);
      },
    } as unknown as EventPublisher;
    const relay = outboxOf(slow);
    relay.flushWrittenSoon([{ id: 'when-ok', events: [ok] }]);
    let settled = false;
    const waiting = relay.whenFlushed(['when-ok', 'not-flushing']).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false); // its publish is held
    release();
    await waiting;
    expect((await collection.findOne({ _id: 'when-ok' }))?.outbox).toEqual([]);
    broker.refuse = 1;
    relay.flushWrittenSoon([{ id: 'when-refused', events: [refused] }]);
    await expect(relay.whenFlushed(['when-refused'])).resolves.toBeUndefined(); // failed: the retries take it from here
    expect((await collection.findOne({ _id: 'when-refused' }))?.outbox).toHaveLength(1);
    await relay.stop();
  });

  it('retries a publish that failed by id once the broker answers again, without any sweep', async () => {
    const events = [1, 2].map((n) => buildEnvelope('test', 'segment.entered', { segmentId: `r${n}`, accountId: 'retry' }));
    await collection.insertOne({ _id: 'retry', outbox: events });
    const broker = switchable();
    // No sweep in the test's time: only the retry by id can publish.
    const relay = outboxOf(broker.publisher, {
      retryEveryMs: 100,
      firstSweepAfterMs: 3_600_000,
      sweepEveryMs: 3_600_000,
    });
    relay.start();
    try {
      broker.down = true;
      await expect(relay.flush('retry')).rejects.toThrow('broker down');
      await new Promise((r) => setTimeout(r, 400)); // a few retries, all refused
      expect((await collection.findOne({ _id: 'retry' }))?.outbox).toHaveLength(2);
      broker.down = false;
      await waitFor('the retried events', () => published(events.map((e) => e.id)) === 2);
      await waitFor('the outbox emptied', async () => (await collection.findOne({ _id: 'retry' }))?.outbox?.length === 0);
    } finally {
      await relay.stop();
    }
    expect(recorder.messages.filter((m) => m.key === 'retry').map((m) => m.json.id)).toEqual(events.map((e) => e.id));
  });

  it('a flush after a failed one of the same aggregate is still tried', async () => {
    const event = buildEnvelope('test', 'segment.exited', { segmentId: 'c1', accountId: 'chain' });
    await collection.insertOne({ _id: 'chain', outbox: [event] });
    const broker = switchable();
    const relay = outboxOf(broker.publisher);
    broker.refuse = 1;
    const first = relay.flush('chain');
    const second = relay.flush('chain');
    await expect(first).rejects.toThrow('broker down');
    await expect(second).resolves.toBeUndefined();
    await waitFor('the event', () => published([event.id]) === 1);
    await relay.stop();
  });

  it('sweeps at start what a crash left behind', async () => {
    const left = [1, 2, 3].map((n) => buildEnvelope('test', 'segment.entered', { segmentId: `l${n}`, accountId: `left-${n}` }));
    await collection.insertMany(left.map((e, n) => ({ _id: `left-${n + 1}`, outbox: [e] })));
    const relay = outboxOf(publisher, { firstSweepAfterMs: 10, sweepBatch: 2 });
    relay.start();
    try {
      await waitFor('the events left behind', () => published(left.map((e) => e.id)) === 3);
      await waitFor('their outboxes emptied', async () => (await relay.pendingIds(10)).length === 0);
    } finally {
      await relay.stop();
    }
  });
});
