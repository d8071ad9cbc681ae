/**
 * The bulk projection path against the real server: `applyMany` over a partition batch leaves
 * exactly what the same events one by one through `applyEvent` leave — facts, lifecycle,
 * memberships of live segments and their membership events — whatever the batch boundaries.
 */
import { Topics, type AnyEnvelope } from '@lifecycle/contracts';
import { buildEnvelope } from '@lifecycle/messaging';
import { MS_PER_DAY } from '@lifecycle/rules';
import { seededRandom, waitFor } from '@lifecycle/testing';
import type { SegmentResponse } from '../segments/dto/segment.response';
import { onboardingAttribute, ONBOARDING, SegmentEvaluationHarness } from '../testing/segment-evaluation.harness';
import { projectionUpdateOf, type ProjectedEventType } from './projection.handler';
import { ProjectionWriter } from './projection.writer';

const NOW = Date.now();
const STAGES = ['Kickoff', 'Configuration', 'Implementation', 'Go Live', null] as const;
const ACCOUNTS = 6;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

type Projected = Extract<AnyEnvelope, { type: ProjectedEventType }>;

/** A seeded stream of facts, cancellations and lifecycle events over a few accounts of one run. */
function eventsOf(h: SegmentEvaluationHarness, seed: number, run: string, count: number): Projected[] {
  const rnd = seededRandom(seed);
  const scripts = Array.from({ length: ACCOUNTS }, (_, i) => h.script(`acct-${run}-${i}`));
  const events: Projected[] = [];
  for (let i = 0; i < count; i++) {
    const a = Math.floor(rnd() * ACCOUNTS);
    const accountId = `acct-${run}-${a}`;
    const at = new Date(NOW - 60 * MS_PER_DAY + i * 6 * 3_600_000);
    const pick = rnd();
    if (pick < 0.15) {
      events.push(
        buildEnvelope(
          'crm',
          'crm.account.upserted',
          {
            accountId,
            name: `Account ${a} v${i}`,
            clientType: rnd() < 0.5 ? 'enterprise' : 'smb',
            ownerId: `csm-${Math.floor(rnd() * 3)}`,
          },
          { occurredAt: at },
        ) as Projected,
      );
    } else if (pick < 0.2) {
      events.push(buildEnvelope('crm', 'crm.account.canceled', { accountId }, { occurredAt: at }) as Projected);
    } else {
      const stage = STAGES[Math.floor(rnd() * STAGES.length)]!;
      for (const e of scripts[a]!.move(stage, at))
        events.push(buildEnvelope('status-tracking', e.type, e.data as never, { occurredAt: e.at }) as Projected);
    }
  }
  return events;
}

describe('projection updates in bulk (applyMany) against the real server', () => {
  const h = new SegmentEvaluationHarness('projection-many');
  const segmentIds: string[] = [];
  const writer = () => h.service.app.get(ProjectionWriter);

  /** Each account of a run as the database holds it, without the run's name. */
  const snapshot = async (run: string) =>
    Promise.all(
      Array.from({ length: ACCOUNTS }, async (_, i) => {
        const account = await h.projection(`acct-${run}-${i}`);
        // Change ids are the script's random UUIDs; saved segments' ids are shared by both runs.
        const text = JSON.stringify(account ?? null)
          .replaceAll(`-${run}-`, '-')
          .replace(UUID, (id) => (segmentIds.includes(id) ? id : 'change-id'));
        return JSON.parse(text) as unknown;
      }),
    );
  /** The membership events published for a run's accounts, per account in order. */
  const membershipTrail = (run: string) =>
    Array.from({ length: ACCOUNTS }, (_, i) =>
      h
        .recorded(Topics.SegmentMembership)
        .filter((m) => m.data.accountId === `acct-${run}-${i}`)
        .map((m) => `${m.type}:${segmentIds.indexOf(m.data.segmentId!)}`),
    );

  beforeAll(async () => {
    await h.start([Topics.SegmentMembership]);
    await h.seedAttribute(onboardingAttribute(1));
    for (const criteria of [
      { attribute: ONBOARDING, isOneOf: ['Configuration', 'Implementation'] },
      {
        all: [
          { attribute: ONBOARDING, isOneOf: ['Kickoff'], daysInStage: { gt: 5 } },
          { field: 'clientType', isOneOf: ['enterprise'] },
        ],
      },
    ]) {
      const created = await h.api<SegmentResponse>('POST', '/v1/segments', { name: `bulk ${segmentIds.length}`, criteria });
      expect(created.status).toBe(201);
      segmentIds.push(created.body.id);
      await h.waitForJob(created.body.membershipJobId!);
    }
  });

  afterAll(async () => {
    await h.stop();
  });

  it.each([1, 2, 3])('seed %i: batches of any size give the states, memberships and events of one by one', async (seed) => {
    const one = `one${seed}`;
    const bulk = `bulk${seed}`;
    for (const envelope of eventsOf(h, seed, one, 80)) {
      const { accountId, changed, update } = projectionUpdateOf(envelope);
      await writer().applyEvent(accountId, changed, update);
    }
    const events = eventsOf(h, seed, bulk, 80);
    const rnd = seededRandom(seed * 7);
    for (let start = 0; start < events.length;) {
      const size = 1 + Math.floor(rnd() * 25);
      const outcomes = await writer().applyMany(events.slice(start, start + size).map(projectionUpdateOf));
      expect(outcomes.every((o) => o.kind === 'applied')).toBe(true);
      start += size;
    }

    const expected = await snapshot(one);
    expect(expected.filter((a) => a !== null).length).toBeGreaterThan(3);
    expect(await snapshot(bulk)).toEqual(expected);
    const trail = membershipTrail(one);
    expect(trail.flat().length).toBeGreaterThan(0);
    await waitFor('the same membership events', () => JSON.stringify(membershipTrail(bulk)) === JSON.stringify(trail));
  });

  it('fails an update alone and blocks only the later events of its account', async () => {
    const ok = 'acct-alone-ok';
    const bad = 'acct-alone-bad';
    const facts = (accountId: string, name: string) =>
      projectionUpdateOf(buildEnvelope('crm', 'crm.account.upserted', { accountId, name }, { occurredAt: new Date() }) as Projected);
    const failing = {
      accountId: bad,
      changed: 'facts' as const,
      update: () => {
        throw new Error('not projectable');
      },
    };
    const outcomes = await writer().applyMany([facts(bad, 'Bad 1'), facts(ok, 'Ok 1'), failing, facts(ok, 'Ok 2'), facts(bad, 'Bad 2')]);
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'failed', 'applied', 'blocked']);
    expect((await h.projection(ok))?.name).toBe('Ok 2');
    expect((await h.projection(bad))?.name).toBe('Bad 1');
  });
});
