import fc from 'fast-check';
import { Topics } from '@lifecycle/contracts';
import { waitFor } from '@lifecycle/testing';
import { matches } from '../domain/criteria-matcher';
import { validateCriteria } from '../domain/criteria-validation';
import { applyVerdicts } from '../domain/membership';
import type { ProjectedAccount } from '../domain/projection-updates';
import { indexedAccountOf } from '../evaluation-index/core/indexed-account';
import { NOW, projectionsArb, withStoredMembershipsArb, writtenCriteriaArb } from '../evaluation-index/testing/equivalence.arbitraries';
import { AccountProjectionRepository } from '../projection/account-projection.repository';
import type { SegmentToEvaluate } from '../projection/projection.writer';
import { SegmentEvaluationHarness } from '../testing/segment-evaluation.harness';
import { MembershipEvaluation } from './membership-evaluation.service';

/**
 * S5 on the real servers: a membership job (the day roll's) decided from the evaluation index
 * writes the memberships and publishes the `segment.entered` / `segment.exited` events — ids
 * included — that `matches()` gives over the documents the server holds, for exactly the accounts
 * the compiled query names as candidates; once each (a second run finds nothing to do). Random
 * criteria (every operator, AND/OR, renamed and removed stages, canceled accounts), random stored
 * memberships and change counters, and a deleted segment whose members all leave.
 */
describe('membership job from the evaluation index ≡ matches() ≡ compiled query on the server', () => {
  const h = new SegmentEvaluationHarness('memplan');
  const SEGMENTS = ['s-0', 's-1', 's-2', 's-deleted'];

  beforeAll(async () => {
    await h.start([Topics.SegmentMembership]);
  });

  afterAll(async () => {
    await h.stop();
  });

  /** The generated accounts and memberships under ids of this run `k` (earlier runs' accounts stay in the projection). */
  function ofRun(k: number, accounts: readonly ProjectedAccount[]): ProjectedAccount[] {
    const segment = (id: string) => `run-${k}-${id}`;
    return accounts.map((a) => ({
      ...a,
      _id: `run-${k}-${a._id}`,
      segments: a.segments.map(segment).sort(),
      membershipSeq: Object.fromEntries(Object.entries(a.membershipSeq).map(([id, seq]) => [segment(id), seq])),
    }));
  }

  it('gives the events of matches() for the candidates of the compiled query, once (random criteria, memberships, a deleted segment)', async () => {
    const repository = h.service.app.get(AccountProjectionRepository);
    const evaluation = h.service.app.get(MembershipEvaluation);
    let run = 0;
    const projected: string[] = [];
    let changed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(writtenCriteriaArb, { minLength: 3, maxLength: 3 }),
        withStoredMembershipsArb(projectionsArb(10, 30), SEGMENTS),
        async (inputs, generated) => {
          const k = run++;
          const accounts = ofRun(k, generated);
          const segments: SegmentToEvaluate[] = SEGMENTS.map((id, i) => {
            const input = inputs[i];
            const result = input === undefined ? null : validateCriteria(input.input, input.catalog);
            return { id: `run-${k}-${id}`, criteria: result?.ok === true ? result.criteria : null };
          });
          // Projected as the writer projects them (first writes, rev 1), the index told as the feed tells it.
          expect(
            (
              await repository.writeMany(
                accounts.map((account) => ({ account, rev: undefined, outbox: [] })),
                NOW,
              )
            ).size,
          ).toBe(accounts.length);
          await h.index.recordWrittenMany(accounts.map((a) => indexedAccountOf(a, 1)));

          // matches() over every document the server holds (earlier runs' accounts too), and the server's own candidates.
          projected.push(...accounts.map((a) => a._id));
          const stored = await repository.getManyWithOutbox(projected);
          const expected = stored.flatMap(({ account }) =>
            applyVerdicts(
              account._id,
              account,
              segments.map((s) => ({ segmentId: s.id, member: s.criteria !== null && matches(s.criteria, account, NOW) })),
            ).changes.map((c) => ({ id: c.eventId, type: `segment.${c.kind}`, segmentId: c.segmentId, accountId: account._id })),
          );
          const fromQuery: string[] = [];
          for await (const chunk of repository.membershipCandidateIds(segments, NOW, 7)) fromQuery.push(...chunk);
          expect(fromQuery.sort()).toEqual([...new Set(expected.map((e) => e.accountId))].sort());

          const plan = h.index.current().membershipPlan(segments, NOW);
          const counts = { examined: 0, entered: 0, exited: 0 };
          await evaluation.apply(plan, segments, counts, async () => undefined);
          expect(counts).toEqual({
            examined: fromQuery.length,
            entered: expected.filter((e) => e.type === 'segment.entered').length,
            exited: expected.filter((e) => e.type === 'segment.exited').length,
          });
          const ofThisRun = () =>
            h
              .recorded(Topics.SegmentMembership)
              .filter((m) => segments.some((s) => s.id === m.data.segmentId))
              .map((m) => ({ id: m.id, type: m.type, segmentId: m.data.segmentId, accountId: m.data.accountId }));
          const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
          await waitFor(`${expected.length} membership events`, () => ofThisRun().length >= expected.length, 30_000);
          expect(ofThisRun().sort(byId)).toEqual([...expected].sort(byId));
          // Exactly once: the memberships are what matches() says, the outboxes empty, and a second run has nothing to do.
          const after = await repository.getManyWithOutbox(accounts.map((a) => a._id));
          for (const { account, rev, outbox } of after) {
            expect(outbox).toEqual([]);
            expect(h.index.current().revOf(account._id)).toBe(rev);
            for (const s of segments) {
              expect({ account: account._id, segment: s.id, member: account.segments.includes(s.id) }).toEqual({
                account: account._id,
                segment: s.id,
                member: s.criteria !== null && matches(s.criteria, account, NOW),
              });
            }
          }
          expect(h.index.current().membershipPlan(segments, NOW).size).toBe(0);
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(ofThisRun()).toHaveLength(expected.length);
          changed += expected.length;
        },
      ),
      // The inputs are fixed by the seed, so a failure here comes from the servers' timing: it is
      // reported at once with its message instead of shrunk, each failing attempt waiting 30 s.
      { numRuns: 12, seed: 2028, endOnFailure: true },
    );
    expect(changed).toBeGreaterThan(100);
  }, 600_000);
});
