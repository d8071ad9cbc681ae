import { MongoClient } from 'mongodb';
import { AccountRepository } from '../accounts/account.repository';
import { AccountCyclesRepository } from '../cycles/account-cycles.repository';
import type { AccountCyclesDocument } from '../cycles/account-cycles.schema';
import { storedCycles } from '../cycles/cycle-codec';
import { completeTask, instantiateCycle, type AccountCycle, type CycleItemState, type CycleTemplate } from '../domain';
import { CycleTemplateRepository } from '../templates/cycle-template.repository';
import { CyclePlanningHarness, waitFor } from '../testing/cycle-planning.harness';
import type { JobResponse } from '@lifecycle/http';

/**
 * C10 at volume: one template edit propagated to every active cycle of the template, some with
 * completed stages or activities, across a worker restart in the middle of the job.
 *
 * The accounts are seeded with bulk writes straight through the repositories. Their number is
 * set by CYCLES_PROPAGATION_ACCOUNTS (default 2000, 40–55 s here on the project's FerretDB
 * build: the job costs the same per account whatever their number, see
 * bench/cycle-propagation.bench.ts for larger runs).
 */
const ACCOUNTS = Number(process.env.CYCLES_PROPAGATION_ACCOUNTS ?? 2000);
const DAY_MS = 86_400_000;
const RENEWAL = new Date('2026-09-30T00:00:00Z');

const start = (days: number) => ({ days, relativeTo: 'cycleStart' as const });

/** 3 stages × 2 activities × 2 tasks, ids `s1`, `s1a1`, `s1a1t1` … */
function journey(): CycleTemplate {
  return {
    id: 'journey',
    name: 'Journey',
    version: 1,
    nextTemplateId: null,
    stages: [1, 2, 3].map((s) => ({
      id: `s${s}`,
      name: ['Start', 'Adopt', 'Grow'][s - 1]!,
      order: s,
      daysDue: start(s * 30),
      activities: [1, 2].map((a) => ({
        id: `s${s}a${a}`,
        name: `Activity ${s}.${a}`,
        order: a,
        daysDue: start(s * 30 - 10 + a),
        tasks: [1, 2].map((t) => ({
          id: `s${s}a${a}t${t}`,
          name: `Task ${s}.${a}.${t}`,
          order: t,
          daysDue: start(s * 30 - 20 + a * 2 + t),
        })),
      })),
    })),
  };
}

/** The edit, as an admin sends it (PUT body). */
function editedJourneyBody() {
  const t = journey();
  const body = {
    name: 'Journey',
    stages: t.stages.map((s) => ({
      id: s.id,
      name: s.id === 's2' ? 'Adoption' : s.name, // renamed
      daysDue: s.daysDue,
      activities: s.activities.map((a) => ({
        id: a.id,
        name: a.name,
        daysDue: a.daysDue,
        tasks: a.tasks
          .filter((k) => k.id !== 's3a2t2') // removed
          .map((k) => ({
            id: k.id,
            name: k.id === 's1a1t1' ? 'Task 1.1.1 (renamed)' : k.name, // renamed, but frozen where completed
            daysDue: k.id === 's2a1t1' ? start(99) : k.daysDue, // a new rule: existing dates stay
          }))
          .concat(a.id === 's1a1' ? [{ id: 's1a1-new', name: 'New under 1.1', daysDue: start(3) }] : [])
          .concat(a.id === 's2a1' ? [{ id: 's2a1-new', name: 'New under 2.1', daysDue: start(45) }] : []),
      })),
    })),
  };
  body.stages.push({
    id: 's4',
    name: 'Expand',
    daysDue: { days: -10, relativeTo: 'renewal' } as never,
    activities: [
      {
        id: 's4a1',
        name: 'Upsell',
        daysDue: start(120),
        tasks: [{ id: 's4a1t1', name: 'Pitch', daysDue: { days: -40, relativeTo: 'renewal' } as never }],
      },
    ],
  });
  return body;
}

function items(cycle: AccountCycle): Map<string, CycleItemState> {
  const map = new Map<string, CycleItemState>();
  for (const s of cycle.stages) {
    map.set(s.id, s);
    for (const a of s.activities) {
      map.set(a.id, a);
      for (const t of a.tasks) map.set(t.id, t);
    }
  }
  return map;
}

const addDays = (date: Date, days: number) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));

describe('template edit propagation at volume (C10), across a worker restart', () => {
  const h = new CyclePlanningHarness('propagation');
  let client: MongoClient;

  beforeAll(async () => {
    await h.start();
    client = await MongoClient.connect(h.config.mongo.url);
  });

  afterAll(async () => {
    await client.close();
    await h.stop();
  });

  const readAll = async (): Promise<Map<string, { version: number; cycle: AccountCycle }>> => {
    const docs = await client.db().collection<AccountCyclesDocument>('account_cycles').find({}).toArray();
    return new Map(docs.map((d) => [d._id, { version: d.version, cycle: storedCycles(d.cycles)[0]! }]));
  };

  it(`applies one edit to ${ACCOUNTS} cycles exactly once, leaving completed work and existing dates alone`, async () => {
    // Seed: the template (v1) and ACCOUNTS accounts running it; a third completed activity s1a1,
    // a third completed the whole first stage.
    const template = journey();
    const now = new Date();
    expect(await h.get(CycleTemplateRepository).insert(template, now)).toBe(true);
    const accountIds = Array.from({ length: ACCOUNTS }, (_, i) => `acct-${String(i).padStart(5, '0')}`);
    await h.get(AccountRepository).insertMany(
      accountIds.map((accountId, i) => ({
        accountId,
        name: accountId,
        clientType: null,
        ownerId: `owner-${i % 7}`,
        canceled: false,
        subscription: { active: true, renewalDate: RENEWAL },
        createdAt: new Date(Date.UTC(2025, 0, 1)),
      })),
      now,
    );
    const seeded = accountIds.map((accountId, i) => {
      let cycle = instantiateCycle(template, {
        cycleId: `cycle-${accountId}`,
        accountId,
        startDate: new Date(Date.UTC(2025, 0, 1) + (i % 90) * DAY_MS),
        assignedAt: now,
        subscription: { active: true, renewalDate: RENEWAL },
        primary: true,
      });
      const done = i % 3 === 0 ? [] : i % 3 === 1 ? ['s1a1t1', 's1a1t2'] : ['s1a1t1', 's1a1t2', 's1a2t1', 's1a2t2'];
      for (const taskId of done) cycle = completeTask(cycle, taskId, new Date(cycle.startDate.getTime() + 5 * DAY_MS)).cycle;
      return { accountId, cycles: [cycle], ownerId: `owner-${i % 7}` };
    });
    for (let i = 0; i < seeded.length; i += 500) await h.get(AccountCyclesRepository).insertMany(seeded.slice(i, i + 500), now);
    const before = await readAll();
    expect(before.size).toBe(ACCOUNTS);

    // The edit: preview, then save (v2) and follow the job; stop the service midway, start again.
    const preview = await h.ok<{ cycles: { cyclesReached: number; added: number } }>(
      'POST',
      '/v1/cycle-templates/journey/preview',
      editedJourneyBody(),
      200,
    );
    expect(preview.cycles.cyclesReached).toBe(ACCOUNTS);
    const { propagationJobId } = await h.ok<{ propagationJobId: string }>('PUT', '/v1/cycle-templates/journey', editedJourneyBody(), 200);
    const midway = await waitFor(
      'the job to be midway',
      async () => {
        const { body } = await h.api<JobResponse>('GET', `/v1/jobs/${propagationJobId}`);
        const progress = body.progress as { processed?: number; total?: number } | undefined;
        return progress?.processed !== undefined && progress.processed > 0 && progress.processed < ACCOUNTS ? progress : undefined;
      },
      60_000,
      50,
    );
    expect(midway.total).toBe(ACCOUNTS);
    await h.stopService(); // the worker stops after its current page; the job goes back to the queue
    const { body: paused } = await h.api<JobResponse>('GET', `/v1/jobs/${propagationJobId}`).catch(() => ({ body: null }));
    expect(paused).toBeNull(); // the service is down
    await h.startService();
    const { job, progress } = await h.waitForJob(propagationJobId, 180_000);
    expect(job).toMatchObject({ state: 'completed', attemptsMade: 1, failedReason: null }); // one attempt: the pause is not a failure
    expect(job.result).toEqual({ templateId: 'journey', version: 2, accounts: ACCOUNTS, cyclesUpdated: ACCOUNTS, cyclesChanged: ACCOUNTS });
    expect(job.progress).toMatchObject({ processed: ACCOUNTS, total: ACCOUNTS, percent: 100 });
    // The restarted worker goes on from its checkpoint: no progress seen after the restart is behind
    // the midway one (a job that started over would report fewer accounts done).
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => (p as { processed: number }).processed >= midway.processed!)).toBe(true);

    // Nothing twice: one write per account, one event per cycle.
    const after = await readAll();
    expect([...after.values()].every((a) => a.version === 2)).toBe(true);
    const events = await h.waitForEvents(
      'one template-edited event per cycle',
      ACCOUNTS,
      'cycle.due-dates-recalculated',
      undefined,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1_500)); // anything published twice would show up now
    const edited = h.events('cycle.due-dates-recalculated').filter((e) => e.data.reason === 'template-edited');
    expect(edited).toHaveLength(ACCOUNTS);
    expect(new Set(edited.map((e) => e.data.cycleId)).size).toBe(ACCOUNTS);
    expect(events.every((e) => e.key === e.data.accountId)).toBe(true);

    for (const [accountId, { cycle: old }] of before) {
      const cycle = after.get(accountId)!.cycle;
      const oldItems = items(old);
      const newItems = items(cycle);
      // Completed stages and activities are byte-for-byte what they were.
      for (const stage of old.stages) {
        if (stage.completedAt !== null) expect(JSON.stringify(cycle.stages.find((s) => s.id === stage.id))).toBe(JSON.stringify(stage));
        for (const activity of stage.activities) {
          if (activity.completedAt === null) continue;
          const now = cycle.stages.find((s) => s.id === stage.id)!.activities.find((a) => a.id === activity.id);
          expect(JSON.stringify(now)).toBe(JSON.stringify(activity));
        }
      }
      // Existing due dates never change (s2a1t1's rule did).
      for (const [id, item] of oldItems) {
        if (id === 's3a2t2') continue;
        expect([id, newItems.get(id)?.dueDate?.getTime()]).toEqual([id, item.dueDate?.getTime()]);
      }
      expect(newItems.get('s2a1t1')!.daysDue).toEqual(start(99));
      // New items with dates from this cycle's start and the renewal date; the removed task is gone.
      expect(newItems.get('s2a1-new')!.dueDate).toEqual(addDays(cycle.startDate, 45));
      expect(newItems.get('s4')!.dueDate).toEqual(addDays(RENEWAL, -10));
      expect(newItems.get('s4a1t1')!.dueDate).toEqual(addDays(RENEWAL, -40));
      expect(newItems.has('s3a2t2')).toBe(false);
      expect(cycle.stages[1]!.name).toBe('Adoption');
      const s1a1Completed = oldItems.get('s1a1')!.completedAt !== null;
      expect(newItems.has('s1a1-new')).toBe(!s1a1Completed);
      expect(newItems.get('s1a1t1')!.name).toBe(s1a1Completed ? 'Task 1.1.1' : 'Task 1.1.1 (renamed)');
      expect(cycle).toMatchObject({ templateVersion: 2, status: 'active' });
    }
  }, 240_000);
});
