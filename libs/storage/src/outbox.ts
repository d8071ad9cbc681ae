import { Logger, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Document, Filter } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { addScrapeSource } from '@lifecycle/observability';
import { AggregateLock } from './aggregate-lock';
import { outboxEnvelope, packOutboxEvent, type StoredOutboxEvent } from './outbox-events';
import { Storage } from './storage';

/**
 * An aggregate document that carries the events of its last writes until they are published,
 * each as an envelope or packed (`outbox-events.ts`); the writers of a collection choose the form.
 */
export interface OutboxDocument extends Document {
  _id: string;
  outbox?: StoredOutboxEvent[];
}

/** Where the outbox hands its events (the service's Kafka publisher, bound by the messaging module). */
export interface EnvelopeSink {
  publishEnvelopes(envelopes: readonly AnyEnvelope[]): Promise<void>;
}

/** The injection token of the `EnvelopeSink` every `Outbox` publishes to. */
export const OUTBOX_SINK = Symbol('OUTBOX_SINK');

/** How a service's outbox is set up: the one thing that differs between services. */
export interface OutboxSettings {
  /** The aggregates' collection; its documents carry the `outbox` array. */
  collection: string;
  /** The safety sweep for outboxes another process left (a crash): a collection scan without usable indexes. */
  sweepEveryMs: number;
  /**
   * See `OutboxTiming.removalDelayMs`; 0 (the default) unless every writer of the collection leaves
   * out of what it hands `flushWrittenSoon` the events `publishedIn` names (else it publishes them again).
   */
  removalDelayMs?: number;
}

/**
 * Events published and not yet removed from one document: their ids, and the filter that still
 * matches the document when its outbox holds nothing else (the document as written, e.g. its
 * version), if the writer gave one.
 */
interface PublishedEvents {
  ids: Set<string>;
  guard?: Filter<Document>;
}

/** Timing that tests shorten; services keep the defaults. */
export interface OutboxTiming {
  /** Publishes that failed in this process are retried by `_id` (cheap) this often. */
  retryEveryMs?: number;
  sweepEveryMs?: number;
  /** The first sweep after `start()` (this process's own crash before). */
  firstSweepAfterMs?: number;
  /** Aggregates a sweep round publishes; a full round is followed by another. */
  sweepBatch?: number;
  /**
   * How long events published by `flushWrittenSoon` may stay in their document before they are
   * removed: 0 removes them right after the publish. A writer of the document within that time
   * drops them in its own write (`publishedIn` / `removedInWrite`), which saves the server a
   * rewrite of the document; a crash in that time publishes them again (consumers dedupe by id).
   */
  removalDelayMs?: number;
}

const DEFAULTS = { retryEveryMs: 2_000, sweepEveryMs: 10 * 60_000, firstSweepAfterMs: 1_000, sweepBatch: 200, removalDelayMs: 0 };
/** A failed sweep is tried again after this, doubled per failure in a row, up to the maximum. */
const SWEEP_RETRY_MS = 5_000;
const SWEEP_RETRY_MAX_MS = 5 * 60_000;
/** Rounds of one sweep (bounded: under load new writes keep coming, and they flush themselves). */
const MAX_SWEEP_ROUNDS = 50;
/**
 * Documents whose deferred removals share one lock and one bulk write: a writer of any of them
 * waits for that write, so a chunk stays small (under load a delay's worth of removals is
 * hundreds of documents, whose single bulk held writers for 200 ms).
 */
const REMOVAL_CHUNK = 50;

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** A written document's events to publish after the flush under way (`previous`), and the reads of it counted then. */
interface ChainedWrite<T> {
  id: string;
  events: readonly AnyEnvelope[];
  guard?: Filter<T>;
  previous: Promise<void>;
  reads: number;
}

/**
 * Transactional outbox without transactions: a write puts the aggregate's new state and its
 * events into the same document in one atomic update (`$push: { outbox: ... }`); the outbox then
 * publishes them in order and removes exactly those: by event id (`$pull` with a condition), or
 * by exact value (`$pullAll`) on an engine that ignores `$pull` conditions, under the writers'
 * `AggregateLock` (see `removePublished`). A crash between
 * store and publish loses nothing (a sweep finds the document); a crash between publish and
 * removal publishes again, and consumers dedupe by id.
 *
 * When it publishes (from application bootstrap to shutdown):
 * - right after each write (`flushSoon` / `flush`, chained per aggregate: its events stay in order);
 * - a publish that failed here (broker or database down) is remembered and retried by `_id` every
 *   `retryEveryMs` until it passes — no scan;
 * - a sweep (`outbox.0` exists: a collection scan where indexes are not usable) at start and every
 *   `sweepEveryMs`, for what another process's crash left; a failed sweep is retried with backoff.
 *
 * One per service, set up by `OutboxModule.forCollection(...)` and injected as `Outbox`.
 */
export class Outbox<T extends OutboxDocument = OutboxDocument> implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly options: Required<OutboxTiming>;
  /** The last flush of each document, and of each chain of documents (`flush(id, after)`). */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly chains = new Map<string, Promise<void>>();
  /** Ids whose last publish failed in this process, in the order they failed. */
  private readonly failed = new Set<string>();
  /** When each aggregate with events still to publish was first handed to a flush (`/metrics`: backlog, oldest age). */
  private readonly pendingSince = new Map<string, number>();
  /** Published events waiting for their removal (`removalDelayMs`), by document. */
  private readonly published = new Map<string, PublishedEvents>();
  /**
   * Events a flush under way will publish, by document: handed to `flushWrittenSoon`, or read by a
   * flush from the document. A write whose earlier events are all here publishes its own after
   * that flush, without a read (`flushWrittenSoon`).
   */
  private readonly publishing = new Map<string, Set<string>>();
  /** Flushes that read a document, counted while any flush of it is under way (see `chainKnown`). */
  private readonly reads = new Map<string, number>();
  private removalTimer: NodeJS.Timeout | null = null;
  private removing: Promise<void> | null = null;
  private removeScrapeSource: (() => void) | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  private retrying: Promise<void> | null = null;
  private sweepFailures = 0;
  private started = false;

  constructor(
    private readonly collection: Collection<T>,
    private readonly sink: EnvelopeSink,
    private readonly lock: AggregateLock,
    timing: OutboxTiming = {},
    /** Reads and writes many documents the way the engine serves them best (`flushMany`). */
    private readonly storage?: Storage,
  ) {
    this.logger = new Logger(`Outbox:${collection.collectionName}`);
    // A timing left undefined keeps its default.
    this.options = { ...DEFAULTS, ...Object.fromEntries(Object.entries(timing).filter(([, v]) => v !== undefined)) };
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  /** Waits for the publishes in progress (before the producer and the database close). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /**
   * Publishes what the document holds now, and waits; a failure is also left to the retries.
   * Flushes of one document run one after the other (the second finds what the first left).
   * `chain` also orders it behind the earlier flushes of the same chain: the events of one
   * aggregate kept in several documents (one per revision) leave in the order they were written.
   */
  flush(id: string, chain?: string): Promise<void> {
    this.markPending([id]);
    const previous = [this.inFlight.get(id), chain === undefined ? undefined : this.chains.get(chain)];
    // After the previous flushes whatever their outcome (a failure is retried apart).
    const next = Promise.all(previous.map((p) => p?.catch(() => undefined))).then(() => this.publishPending(id));
    const tracked = next.then(
      () => {
        this.failed.delete(id);
        this.pendingSince.delete(id);
      },
      (e: unknown) => {
        this.failed.add(id);
        throw e;
      },
    );
    const settled = tracked.finally(() => {
      if (this.inFlight.get(id) === settled) this.settledAll(id);
      if (chain !== undefined && this.chains.get(chain) === settled) this.chains.delete(chain);
    });
    this.inFlight.set(id, settled);
    if (chain !== undefined) this.chains.set(chain, settled);
    return settled;
  }

  /**
   * Publishes what the documents hold now in one producer call (a batch of writes), and waits:
   * one read of the documents, one publish, one bulk removal. Each document's events keep their
   * order; flushes of the same documents already under way finish first.
   */
  flushMany(ids: readonly string[]): Promise<void> {
    const distinct = [...new Set(ids)];
    if (distinct.length === 0) return Promise.resolve();
    const previous = distinct.map((id) => this.inFlight.get(id)?.catch(() => undefined));
    return this.track(
      distinct,
      Promise.all(previous).then(() => this.publishPendingOf(distinct)),
    );
  }

  /**
   * Publishes the outboxes of documents a caller has just written under its locks, as it knows
   * them (what they held when read plus what the write pushed): one publish, then each outbox is
   * emptied by one bulk of updates guarded by `filter` (the document as written, e.g. its
   * revision) — no read. When any guard no longer matched (another process wrote meanwhile; the
   * count does not say which), `flushMany` of all of them publishes what they hold now (again for
   * some: consumers dedupe by id) and removes exactly that. A failed publish is retried by `_id`.
   */
  async flushWritten(written: readonly { id: string; events: readonly AnyEnvelope[]; filter: Filter<T> }[]): Promise<void> {
    const pending = written.filter((w) => w.events.length > 0);
    if (pending.length === 0) return;
    const ids = pending.map((w) => w.id);
    try {
      await this.sink.publishEnvelopes(pending.flatMap((w) => w.events));
    } catch (e) {
      ids.forEach((id) => this.failed.add(id));
      throw e;
    }
    const clears = pending.map((w) => ({ updateOne: { filter: { ...w.filter, _id: w.id }, update: { $set: { outbox: [] } } } }));
    let matched = 0;
    const chunks = this.storage ? this.storage.chunks(clears) : [clears];
    for (const chunk of chunks) matched += (await this.collection.bulkWrite(chunk as never, { ordered: false })).matchedCount;
    if (matched < pending.length) await this.flushMany(ids);
  }

  /**
   * Publishes, in the background, the outboxes of documents a caller has just written under its
   * locks (and hands over before it releases them), as it knows them: `events` (what they held
   * when read plus what the write pushed, or only what it pushed) and `held` (ids of unpublished
   * events the document held that are not in `events`). No read before the publish, then exactly
   * those events are removed, so events another writer pushed meanwhile stay for their own flush:
   * by id, or, with a `guard` (a filter that matches the document only as written, when its outbox
   * holds nothing but these events), by emptying the outbox where the guard still matches, which
   * costs the server less. With `removalDelayMs` the removal waits (see there).
   *
   * A document with a flush under way that will publish all of `held` and whatever of `events` it
   * holds publishes the rest once that flush has (`chainKnown`): its events leave once each and in
   * order. Any other document with earlier events, or whose flush under way has not read it yet, is
   * flushed from a fresh read after the flushes under way (`flushMany`). A failure is retried by `_id`.
   */
  flushWrittenSoon(written: readonly { id: string; events: readonly AnyEnvelope[]; guard?: Filter<T>; held?: readonly string[] }[]): void {
    const now: { id: string; events: readonly AnyEnvelope[]; guard?: Filter<T> }[] = [];
    const after: ChainedWrite<T>[] = [];
    const fresh: string[] = [];
    for (const w of written) {
      if (w.events.length === 0) continue;
      const publishing = this.publishing.get(w.id);
      // Published since the writer read the document, or being published: either way, before these.
      const published = this.published.get(w.id)?.ids;
      if (!(w.held ?? []).every((id) => publishing?.has(id) || published?.has(id))) fresh.push(w.id);
      else if (!this.inFlight.has(w.id)) now.push(w);
      else {
        const events = w.events.filter((e) => !publishing?.has(e.id) && !published?.has(e.id));
        // A guard says the outbox holds nothing but `events`: it holds those published or under way too.
        const guard = events.length === w.events.length ? w.guard : undefined;
        if (events.length > 0)
          after.push({ id: w.id, events, guard, previous: this.inFlight.get(w.id)!, reads: this.reads.get(w.id) ?? 0 });
      }
    }
    this.flushManySoon(fresh);
    const warn = (ids: readonly string[]) => (e: unknown) =>
      this.logger.warn(`publish of ${ids.length} aggregate(s) failed, retrying: ${describe(e)}`);
    if (now.length > 0) {
      const ids = now.map((w) => w.id);
      this.track(ids, this.publishKnown(now), now).catch(warn(ids));
    }
    if (after.length > 0) {
      const ids = after.map((w) => w.id);
      this.track(ids, this.chainKnown(after), after).catch(warn(ids));
    }
  }

  /**
   * Publishes written documents' known events once the flushes under way of those documents
   * have, in one producer call. A document falls back to a fresh read (`publishPendingOf`) when
   * the flush before failed (its events are still to go out, before these) or when a flush read
   * the document after it was written (that flush found these events and published them).
   */
  private async chainKnown(after: readonly ChainedWrite<T>[]): Promise<void> {
    const passed = await Promise.all(
      after.map((w) =>
        w.previous.then(
          () => true,
          () => false,
        ),
      ),
    );
    const known = after.filter((w, i) => passed[i] && (this.reads.get(w.id) ?? 0) === w.reads);
    const fresh = after.filter((w) => !known.includes(w)).map((w) => w.id);
    await Promise.all([
      known.length > 0 ? this.publishKnown(known) : undefined,
      fresh.length > 0 ? this.publishPendingOf(fresh) : undefined,
    ]);
  }

  /**
   * Ids of the events of document `id` that are published and still in its outbox. A writer that
   * holds the document's lock may leave them out of the outbox it writes, then calls
   * `removedInWrite` once that write is stored.
   */
  publishedIn(id: string): ReadonlySet<string> | undefined {
    return this.published.get(id)?.ids;
  }

  /** The events `ids` of document `id` left its outbox in a writer's own write (see `publishedIn`). */
  removedInWrite(id: string, ids: Iterable<string>): void {
    const entry = this.published.get(id);
    if (!entry) return;
    for (const eventId of ids) entry.ids.delete(eventId);
    // What is left was published after the writer read the document: no longer alone in it.
    delete entry.guard;
    if (entry.ids.size === 0) this.published.delete(id);
  }

  /**
   * Follows a publish of the documents `ids`: they count as pending until it settles, a later
   * flush of any of them waits for it (`inFlight`), and a failure leaves them to the retries.
   */
  private track(
    ids: readonly string[],
    publish: Promise<void>,
    events: readonly { id: string; events: readonly AnyEnvelope[] }[] = [],
  ): Promise<void> {
    this.markPending(ids);
    for (const w of events)
      this.addPublishing(
        w.id,
        w.events.map((e) => e.id),
      );
    const tracked = publish.then(
      () =>
        ids.forEach((id) => {
          this.failed.delete(id);
          this.pendingSince.delete(id);
        }),
      (e: unknown) => {
        ids.forEach((id) => this.failed.add(id));
        throw e;
      },
    );
    const settled = tracked.finally(() => {
      for (const w of events)
        this.forgetPublishing(
          w.id,
          w.events.map((e) => e.id),
        );
      for (const id of ids) if (this.inFlight.get(id) === settled) this.settledAll(id);
    });
    for (const id of ids) this.inFlight.set(id, settled);
    return settled;
  }

  private addPublishing(id: string, eventIds: readonly string[]): void {
    const set = this.publishing.get(id);
    if (set === undefined) this.publishing.set(id, new Set(eventIds));
    else for (const eventId of eventIds) set.add(eventId);
  }

  private forgetPublishing(id: string, eventIds: readonly string[]): void {
    const set = this.publishing.get(id);
    if (set === undefined) return;
    for (const eventId of eventIds) set.delete(eventId);
    if (set.size === 0) this.publishing.delete(id);
  }

  /** The last flush of a document settled: nothing of it is under way. */
  private settledAll(id: string): void {
    this.inFlight.delete(id);
    this.reads.delete(id);
  }

  private async publishKnown(known: readonly { id: string; events: readonly AnyEnvelope[]; guard?: Filter<T> }[]): Promise<void> {
    await this.sink.publishEnvelopes(known.flatMap((w) => w.events));
    // Deferred removals know events by id only: on an engine that ignores `$pull` conditions they
    // are removed at once, by value — in either stored form the writer may have chosen (packing
    // the same envelope again gives the same bytes).
    if (this.options.removalDelayMs <= 0 || this.storage?.engine.conditionalPull !== true) {
      const byValue = this.storage?.engine.conditionalPull !== true;
      await this.removePublished(
        known.map((w) => ({
          _id: w.id,
          ids: w.events.map((e) => e.id),
          events: byValue ? w.events.flatMap((e) => [e, packOutboxEvent(e)]) : undefined,
          guard: w.guard as Filter<Document> | undefined,
        })),
      );
      return;
    }
    for (const w of known) {
      const entry = this.published.get(w.id);
      if (entry) {
        for (const e of w.events) entry.ids.add(e.id);
        delete entry.guard;
      } else this.published.set(w.id, { ids: new Set(w.events.map((e) => e.id)), guard: w.guard as Filter<Document> | undefined });
    }
    this.scheduleRemoval(this.options.removalDelayMs);
  }

  private scheduleRemoval(delayMs: number): void {
    this.removalTimer ??= setTimeout(() => {
      this.removalTimer = null;
      this.removing ??= this.removeDeferred().finally(() => {
        this.removing = null;
      });
    }, delayMs);
  }

  /**
   * Removes what `publishKnown` left for later, `REMOVAL_CHUNK` documents at a time, each chunk
   * under its documents' locks (a writer that holds one may be dropping those events itself). A
   * failure leaves them for the next try, the next flush of the document or its next write.
   */
  private async removeDeferred(): Promise<void> {
    const ids = [...this.published.keys()];
    if (ids.length === 0) return;
    for (let from = 0; from < ids.length; from += REMOVAL_CHUNK) {
      const chunk = ids.slice(from, from + REMOVAL_CHUNK);
      try {
        await this.lock.runAll(chunk, async () => {
          const due = chunk.flatMap((_id) => {
            const entry = this.published.get(_id);
            return entry ? [{ _id, ids: [...entry.ids], guard: entry.guard }] : [];
          });
          await this.removeLocked(due);
          for (const d of due) this.forgetPublished(d._id, d.ids);
        });
      } catch (e) {
        this.logger.warn(`removal of ${ids.length - from} published outbox(es) failed, tried again later: ${describe(e)}`);
        if (this.started) this.scheduleRemoval(Math.max(this.options.removalDelayMs, this.options.retryEveryMs));
        return;
      }
    }
  }

  private forgetPublished(id: string, ids: readonly string[]): void {
    const entry = this.published.get(id);
    if (!entry) return;
    for (const eventId of ids) entry.ids.delete(eventId);
    if (entry.ids.size === 0) this.published.delete(id);
  }

  /**
   * Settles when the flushes of these documents under way now have settled, published or left to
   * the retries (never rejects): a batch job awaits it to bound how many of its batches' events
   * wait for the broker at once.
   */
  async whenFlushed(ids: readonly string[]): Promise<void> {
    const flushes = new Set<Promise<void>>();
    for (const id of ids) {
      const flush = this.inFlight.get(id);
      if (flush !== undefined) flushes.add(flush);
    }
    await Promise.allSettled(flushes);
  }

  /** `flushMany` in the background; a failure is retried by `_id`. */
  flushManySoon(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.flushMany(ids).catch((e: unknown) => this.logger.warn(`publish of ${ids.length} aggregate(s) failed, retrying: ${describe(e)}`));
  }

  /** Publishes in the background; a failure is retried by `_id`. */
  flushSoon(id: string, chain?: string): void {
    this.flush(id, chain).catch((e: unknown) => this.logger.warn(`publish of ${id} failed, retrying: ${describe(e)}`));
  }

  /** Ids of up to `limit` aggregates with events still to publish (a scan where indexes are not usable). */
  async pendingIds(limit: number): Promise<string[]> {
    const docs = await this.collection
      .find({ 'outbox.0': { $exists: true } } as never, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    return docs.map((doc) => doc._id);
  }

  /**
   * Publishes every pending outbox: rounds of `sweepBatch` while a round is full. Returns how many
   * aggregates it flushed; throws when the database or the broker failed (nothing is lost).
   */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepRounds().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private markPending(ids: readonly string[]): void {
    const now = Date.now();
    for (const id of ids) if (!this.pendingSince.has(id)) this.pendingSince.set(id, now);
  }

  /** Aggregates this process knows to hold unpublished events, and how long the oldest has waited. */
  backlog(): { pending: number; oldestAgeMs: number } {
    let oldest = Infinity;
    for (const since of this.pendingSince.values()) if (since < oldest) oldest = since;
    return { pending: this.pendingSince.size, oldestAgeMs: oldest === Infinity ? 0 : Date.now() - oldest };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const collection = this.collection.collectionName;
    this.removeScrapeSource = addScrapeSource(`outbox:${collection}`, (m) => {
      const { pending, oldestAgeMs } = this.backlog();
      m.outboxPending.set({ collection }, pending);
      m.outboxOldestAge.set({ collection }, oldestAgeMs / 1000);
    });
    this.scheduleSweep(this.options.firstSweepAfterMs);
    this.retryTimer = setInterval(() => {
      this.retrying ??= this.retryFailed().finally(() => {
        this.retrying = null;
      });
    }, this.options.retryEveryMs);
    this.retryTimer.unref();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.removeScrapeSource?.();
    this.removeScrapeSource = null;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    if (this.retryTimer) clearInterval(this.retryTimer);
    if (this.removalTimer) clearTimeout(this.removalTimer);
    this.removalTimer = null;
    this.sweepTimer = null;
    this.retryTimer = null;
    await Promise.allSettled([this.sweeping, this.retrying, ...this.inFlight.values()]);
    // Published events still waiting for their removal leave now (else they go out again at the next start).
    await Promise.allSettled([this.removing, this.removeDeferred()]);
  }

  private async publishPending(id: string): Promise<void> {
    await this.publishAndRemove([id], async () => {
      const doc = await this.collection.findOne({ _id: id } as never, { projection: { outbox: 1 } });
      return doc ? [doc as OutboxDocument] : [];
    });
  }

  private async publishPendingOf(ids: readonly string[]): Promise<void> {
    const projection = { projection: { outbox: 1 } };
    await this.publishAndRemove(ids, async () => {
      const docs = this.storage
        ? await this.storage.findByIds(this.collection as unknown as Collection<OutboxDocument>, ids, projection)
        : await Promise.all(ids.map((id) => this.collection.findOne({ _id: id } as never, projection)));
      return docs.filter((d): d is OutboxDocument => d !== null);
    });
  }

  /**
   * Publishes what the documents hold that is not published yet, then removes all of it by id.
   * The read and the choice of what is unpublished happen under the documents' locks: a writer
   * that drops published events from an outbox (`removedInWrite`), like a deferred removal, makes
   * them leave both the document and `published` while it holds the lock, so a read taken before
   * such a write and judged after it would publish them again.
   */
  private async publishAndRemove(ids: readonly string[], read: () => Promise<OutboxDocument[]>): Promise<void> {
    const { held, unpublished, reading } = await this.lock.runAll(ids, async () => {
      // Counted under the writers' locks, before the read: a write handed to `flushWrittenSoon`
      // before this count is in what this flush reads, one handed over after it is not (`chainKnown`).
      for (const id of ids) if (this.inFlight.has(id)) this.reads.set(id, (this.reads.get(id) ?? 0) + 1);
      const held = (await read()).filter((d) => (d.outbox?.length ?? 0) > 0);
      const reading = held.map((d) => {
        const published = this.published.get(d._id)?.ids;
        return { id: d._id, events: d.outbox!.filter((e) => !published?.has(e.id)) };
      });
      for (const r of reading)
        this.addPublishing(
          r.id,
          r.events.map((e) => e.id),
        );
      return { held, unpublished: reading.flatMap((r) => r.events.map(outboxEnvelope)), reading };
    });
    try {
      if (held.length === 0) return;
      if (unpublished.length > 0) await this.sink.publishEnvelopes(unpublished);
      const removed = held.map((d) => ({ _id: d._id, ids: d.outbox!.map((e) => e.id) }));
      // By value (where `$pull` conditions are ignored): the stored values as read, in their form.
      await this.removePublished(held.map((d, i) => ({ ...removed[i]!, events: d.outbox! })));
      for (const r of removed) this.forgetPublished(r._id, r.ids);
    } finally {
      for (const r of reading)
        this.forgetPublishing(
          r.id,
          r.events.map((e) => e.id),
        );
    }
  }

  /**
   * Removes exactly the published events from each outbox: where a guard still matches, by
   * emptying the outbox (the guard says it holds nothing else); otherwise by event id where the
   * engine applies `$pull` conditions (no deep comparison of whole events), by exact value
   * elsewhere. Under the writers' locks on every engine: a writer reads an outbox and hands what it
   * held to `flushWrittenSoon` while it holds the lock, so a removal that completed in between would
   * have those events published twice; and without atomic updates a removal racing a writer's push
   * would lose it. The bulk's counts do not say which guard missed: when one did, the guarded
   * documents of that chunk are also removed from by id (a no-op where the guard matched).
   */
  private async removePublished(
    published: readonly { _id: string; ids: readonly string[]; events?: readonly StoredOutboxEvent[]; guard?: Filter<Document> }[],
  ): Promise<void> {
    await this.lock.runAll(
      published.map((d) => d._id),
      () => this.removeLocked(published),
    );
  }

  /** `removePublished` for a caller that holds the documents' locks. */
  private async removeLocked(
    published: readonly { _id: string; ids: readonly string[]; events?: readonly StoredOutboxEvent[]; guard?: Filter<Document> }[],
  ): Promise<void> {
    const byId = this.storage?.engine.conditionalPull === true;
    const collection = this.collection as unknown as Collection<OutboxDocument>;
    const pull = (d: (typeof published)[number]) => ({
      updateOne: {
        filter: { _id: d._id },
        update:
          byId || d.events === undefined ? { $pull: { outbox: { id: { $in: [...d.ids] } } } } : { $pullAll: { outbox: [...d.events] } },
      },
    });
    const guarded = published.filter((d) => d.guard !== undefined);
    const others = published.filter((d) => d.guard === undefined);
    for (const chunk of this.storage ? this.storage.chunks(guarded) : [guarded]) {
      if (chunk.length === 0) continue;
      const clears = chunk.map((d) => ({ updateOne: { filter: { ...d.guard, _id: d._id }, update: { $set: { outbox: [] } } } }));
      const { matchedCount } = await collection.bulkWrite(clears as never, { ordered: false });
      if (matchedCount < chunk.length) others.push(...chunk);
    }
    if (others.length === 0) return;
    if (this.storage) await this.storage.bulkWrite(collection, others.map(pull) as never);
    else for (const r of others.map(pull)) await this.collection.updateOne(r.updateOne.filter as never, r.updateOne.update as never);
  }

  private async sweepRounds(): Promise<number> {
    let flushed = 0;
    for (let round = 0; round < MAX_SWEEP_ROUNDS; round++) {
      const ids = await this.pendingIds(this.options.sweepBatch);
      await this.flushMany(ids);
      flushed += ids.length;
      if (ids.length < this.options.sweepBatch) break;
    }
    return flushed;
  }

  private scheduleSweep(delayMs: number): void {
    if (!this.started) return;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      void this.sweep().then(
        () => {
          this.sweepFailures = 0;
          this.scheduleSweep(this.options.sweepEveryMs);
        },
        (e: unknown) => {
          this.sweepFailures += 1;
          const delay = Math.min(SWEEP_RETRY_MS * 2 ** Math.min(this.sweepFailures - 1, 10), SWEEP_RETRY_MAX_MS);
          this.logger.warn(`outbox sweep failed (next in ${Math.round(delay / 1000)} s): ${describe(e)}`);
          this.scheduleSweep(delay);
        },
      );
    }, delayMs);
    this.sweepTimer.unref();
  }

  /** In the order they failed; the first that fails again ends the round (still down). */
  private async retryFailed(): Promise<void> {
    for (const id of [...this.failed]) {
      if (!this.started) return;
      try {
        await this.flush(id);
      } catch {
        return;
      }
    }
  }
}

/**
 * The service's `Outbox` over one collection, started at application bootstrap and stopped
 * before shutdown. `Storage`, `AggregateLock` and the `OUTBOX_SINK` come from the service kit.
 */
@Module({})
export class OutboxModule {
  static forCollection(settings: OutboxSettings): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        {
          provide: Outbox,
          inject: [Storage, OUTBOX_SINK, AggregateLock],
          useFactory: (storage: Storage, sink: EnvelopeSink, lock: AggregateLock) =>
            new Outbox(
              storage.collection<OutboxDocument>(settings.collection),
              sink,
              lock,
              { sweepEveryMs: settings.sweepEveryMs, removalDelayMs: settings.removalDelayMs ?? 0 },
              storage,
            ),
        },
      ],
      exports: [Outbox],
    };
  }
}
