import { MongoClient, type Db } from 'mongodb';
import { Topics } from '@lifecycle/contracts';
import { EventPublisher } from '@lifecycle/messaging';
import type { LifecycleState } from '@lifecycle/rules';
import { Storage } from '@lifecycle/storage';
import { waitFor } from '@lifecycle/testing';
import { AccountFactsRepository } from '../accounts/account-facts.repository';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { ShutdownSignal } from '../jobs/shutdown-signal';
import { LifecycleStateRepository } from '../statuses/lifecycle-state.repository';
import { StatusTrackingHarness } from '../testing/status-tracking.harness';
import {
  DailyCountersService,
  type DailyCountersHooks,
  type DailyCountersJobData,
  type DailyCountersProgress,
} from './daily-counters.service';
import { onboardingDefinition, seededStates } from './daily-counters.fixture';
import { dayRolledEventId } from './day-rolled-id';
import { LifecycleDaysRepository, type DaysRow } from './lifecycle-days.repository';
import { LIFECYCLE_DAYS_COLLECTION, stagingCollectionName, type LifecycleDaysDocument } from './lifecycle-days.schema';
import { materializeDays, utcDay } from './materialized-days';

/** Writes half of its second batch, then fails: a crash in the middle of a bulk insert. */
class CrashingDaysRepository extends LifecycleDaysRepository {
  private batches = 0;

  override async stage(asOf: Date, rows: readonly DaysRow[]): Promise<void> {
    if (++this.batches < 2) return super.stage(asOf, rows);
    await super.stage(asOf, rows.slice(0, rows.length / 2));
    throw new Error('simulated crash mid-batch');
  }
}

describe('daily counters over many states: one stream, staged inserts, resume after a crash (L14)', () => {
  const h = new StatusTrackingHarness('daily');
  const STATES = 2_600; // three batches: 1,000, 1,000, 600
  const CANCELED_EVERY = 7;
  const seeded = seededStates(STATES, { prefix: 'daily', base: new Date(), canceledEvery: CANCELED_EVERY });
  const canceled = new Set(seeded.canceledAccounts.map((a) => a._id));
  const def = onboardingDefinition();
  let client: MongoClient;
  let db: Db;

  const live = () => db.collection<LifecycleDaysDocument>(LIFECYCLE_DAYS_COLLECTION);
  const stagingNames = async () =>
    (await db.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((name) => name.startsWith('lifecycle_days_staging_'));
  const recorder = (): { data: DailyCountersJobData; progress: DailyCountersProgress[]; hooks: DailyCountersHooks } => {
    const record = {
      data: {} as DailyCountersJobData,
      progress: [] as DailyCountersProgress[],
      hooks: {
        checkpoint: async (data: DailyCountersJobData) => {
          record.data = data;
        },
        progress: async (progress: DailyCountersProgress) => {
          record.progress.push(progress);
        },
      },
    };
    return record;
  };
  const dayRolled = (day: string) =>
    h.recorder.on(h.topic(Topics.LifecycleTicks)).filter((m) => m.json.type === 'day.rolled' && m.json.id === dayRolledEventId(day));

  /** Every seeded state's figures as of `asOf`, exactly as a run without a crash computes them. */
  async function expectEveryStateMaterializedOnce(asOf: Date): Promise<void> {
    const states = new Map<string, LifecycleState>();
    for await (const batch of h.get(LifecycleStateRepository).streamInBatches(1_000)) {
      for (const record of batch) states.set(record.id, record.state);
    }
    expect(states.size).toBe(STATES);
    const docs = await live().find({}).toArray();
    expect(docs).toHaveLength(STATES);
    expect(new Set(docs.map((d) => d._id)).size).toBe(STATES);
    for (const doc of docs) {
      const state = states.get(doc._id);
      expect(state).toBeDefined();
      expect(doc).toEqual({
        _id: doc._id,
        accountId: doc.accountId,
        attributeKey: def.key,
        ...materializeDays(def, state!, asOf, canceled.has(doc.accountId)),
      });
    }
  }

  beforeAll(async () => {
    await h.start([h.topic(Topics.LifecycleTicks)]);
    await h.seedAttribute();
    client = await MongoClient.connect(h.config.mongo.url);
    db = client.db();
    for (let i = 0; i < STATES; i += 1_000)
      await db.collection('lifecycle_states').insertMany(seeded.states.slice(i, i + 1_000) as never[]);
    await db.collection('accounts').insertMany(seeded.canceledAccounts as never[]);
  });

  afterAll(async () => {
    await client?.close();
    await h.stop();
  });

  it('a run that crashes in the middle of a bulk insert resumes without missing, rewriting or double-counting a state', async () => {
    const crashing = new DailyCountersService(
      h.get(LifecycleStateRepository),
      new CrashingDaysRepository(h.service.app.get(Storage)),
      h.get(AttributeReplicaRepository),
      h.get(AccountFactsRepository),
      h.get(ShutdownSignal),
      h.get(EventPublisher),
    );
    const job = recorder();
    const asOf = new Date();
    await expect(crashing.materialize({}, job.hooks, asOf)).rejects.toThrow('simulated crash mid-batch');

    // The run's instant was saved before anything was written; the first batch and half the second are staged.
    expect(job.data).toEqual({ day: utcDay(asOf), asOf: asOf.toISOString() });
    expect(await db.collection(stagingCollectionName(asOf)).countDocuments()).toBe(1_500);
    expect(await live().countDocuments()).toBe(0);
    expect(dayRolled(utcDay(asOf))).toHaveLength(0);

    // The retry (BullMQ hands the saved data back) runs later: it still computes as of the first attempt.
    const retry = recorder();
    const result = await h.get(DailyCountersService).materialize(job.data, retry.hooks, new Date(asOf.getTime() + 3_600_000));

    const canceledStates = seeded.states.filter((s) => canceled.has(s.accountId)).length;
    expect(result).toEqual({ day: utcDay(asOf), statesSeen: STATES, statesMaterialized: STATES - canceledStates });
    expect(retry.progress.at(-1)).toEqual({
      day: utcDay(asOf),
      asOf: asOf.toISOString(),
      statesSeen: STATES,
      statesMaterialized: STATES - canceledStates,
      statesWritten: STATES - 1_500,
    });
    expect(retry.data).toEqual({
      day: utcDay(asOf),
      asOf: asOf.toISOString(),
      totals: { statesSeen: STATES, statesMaterialized: STATES - canceledStates },
    });
    await expectEveryStateMaterializedOnce(asOf);
    expect(await stagingNames()).toEqual([]);

    const rolled = await waitFor('day.rolled', () => (dayRolled(utcDay(asOf)).length > 0 ? dayRolled(utcDay(asOf)) : undefined));
    expect(rolled).toHaveLength(1);
    expect(rolled[0]!.json).toMatchObject({ data: { day: utcDay(asOf), statesMaterialized: STATES - canceledStates } });

    // A crash after the swap and before the announcement: the next attempt announces, writes nothing.
    const again = recorder();
    expect(await h.get(DailyCountersService).materialize(retry.data, again.hooks)).toEqual(result);
    expect(again.progress).toEqual([]);
    await expectEveryStateMaterializedOnce(asOf);
  });

  it('the next run replaces the figures as a whole and drops the staging of abandoned runs', async () => {
    const previous = (await live().findOne({}))!.asOf;
    const asOf = new Date(previous.getTime() + 86_400_000);
    const abandoned = new Date(asOf.getTime() - 3 * 86_400_000);
    await db.collection(stagingCollectionName(abandoned)).insertOne({ _id: 'left-behind' } as never);

    // Totals saved, but the staging is gone and the live figures are older: the run stages again.
    const job = recorder();
    const result = await h
      .get(DailyCountersService)
      .materialize({ asOf: asOf.toISOString(), totals: { statesSeen: 1, statesMaterialized: 1 } }, job.hooks);

    expect(result).toMatchObject({ day: utcDay(asOf), statesSeen: STATES });
    expect(job.progress.at(-1)).toMatchObject({ statesSeen: STATES, statesWritten: STATES });
    await expectEveryStateMaterializedOnce(asOf);
    expect(await stagingNames()).toEqual([]);
    expect(await h.get(LifecycleDaysRepository).get('daily-1', def.key)).toMatchObject({ day: utcDay(asOf), asOf, canceled: false });

    // An older run resumed after this one finished (handed back over a restart) does not put its figures back.
    const late = await h.get(DailyCountersService).materialize({ asOf: previous.toISOString() }, recorder().hooks);
    expect(late).toMatchObject({ day: utcDay(previous), statesSeen: STATES });
    expect(await live().countDocuments({ asOf })).toBe(STATES);
    expect(await stagingNames()).toEqual([]);
  });
});
