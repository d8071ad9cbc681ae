import { Topics } from '@lifecycle/contracts';
import { waitFor } from '@lifecycle/testing';
import { MS_PER_DAY } from '@lifecycle/rules';
import { Outbox, Storage } from '@lifecycle/storage';
import { AccountProjectionRepository } from '../projection/account-projection.repository';
import { ACCOUNT_PROJECTION_COLLECTION, type AccountProjectionDocument } from '../projection/account-projection.schema';
import { ProjectionWriter } from '../projection/projection.writer';
import { SavedSegments } from '../segments/saved-segments';
import type { SegmentResponse } from '../segments/dto/segment.response';
import { daysAgo, ONBOARDING, onboardingAttribute, SegmentEvaluationHarness } from '../testing/segment-evaluation.harness';

/**
 * S5 end to end on the real servers: accounts enter and leave saved segments from status events,
 * from the daily roll and when a segment is saved or deleted — one event per transition on
 * `segment.membership`, none for a redelivered input.
 */
describe('live segment membership', () => {
  const h = new SegmentEvaluationHarness('membership');
  const stuck = { attribute: ONBOARDING, isOneOf: ['Kickoff'], daysInStage: { gt: 30 } };
  let segmentId: string;

  const events = (accountId: string, segment = segmentId) =>
    h.recorded(Topics.SegmentMembership).filter((m) => m.data.accountId === accountId && m.data.segmentId === segment);
  const kinds = (accountId: string, segment = segmentId) => events(accountId, segment).map((m) => m.type);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

  beforeAll(async () => {
    await h.start([Topics.SegmentMembership]);
    await h.seedAttribute(onboardingAttribute(1));
    const created = await h.api<SegmentResponse>('POST', '/v1/segments', { name: 'Stuck in Kickoff over 30 days', criteria: stuck });
    expect(created.status).toBe(201);
    expect(created.body.timeBased).toBe(true);
    segmentId = created.body.id;
    await h.waitForJob(created.body.membershipJobId!);
  });

  afterAll(async () => {
    await h.stop();
  });

  it('a backdated Kickoff makes an account enter once; redelivery and re-emission add nothing; moving on makes it leave once', async () => {
    const account = h.uniqueAccount('acme');
    await h.seedAccount({ accountId: account, name: 'Acme', clientType: 'enterprise' });
    const script = h.script(account);
    const [kickoff] = script.move('Kickoff', daysAgo(31));
    if (kickoff?.type !== 'status.changed') throw new Error('expected a status change');
    const envelope = await h.publisher.publish('status.changed', kickoff.data, { occurredAt: kickoff.at });

    await waitFor('segment.entered', () => kinds(account).length === 1);
    const [entered] = events(account);
    expect(entered).toMatchObject({ type: 'segment.entered', key: account, data: { segmentId, accountId: account } });
    expect((await h.projection(account))?.segments).toEqual([segmentId]);
    const members = await h.api<{ items: { accountId: string }[] }>('GET', `/v1/segments/${segmentId}/members`);
    expect(members.body.items.map((m) => m.accountId)).toContain(account);

    // The same envelope again (a redelivery: the projection recognizes the change by its id), then
    // the same change under a new event id (a re-emission: the projection already holds it).
    const stats = () => h.service.events!.consumerStats!;
    const before = { ...stats() };
    await h.publisher.publish('status.changed', envelope.data, { id: envelope.id, occurredAt: kickoff.at });
    await h.publisher.publish('status.changed', envelope.data, { occurredAt: kickoff.at });
    await waitFor('both redeliveries handled', () => stats().processed >= before.processed + 2);
    await settle();
    expect(kinds(account)).toEqual(['segment.entered']);

    const moved = script.move('Configuration', new Date());
    await h.publishAll(moved);
    await waitFor('segment.exited', () => kinds(account).length === 2);
    expect(kinds(account)).toEqual(['segment.entered', 'segment.exited']);
    expect(new Set(events(account).map((e) => e.id)).size).toBe(2);
    expect((await h.projection(account))?.segments).toEqual([]);
    await settle();
    expect(kinds(account)).toHaveLength(2);
  });

  it('a redelivered lifecycle.completed changes nothing (the consumer keeps no applied-id record of it)', async () => {
    const account = h.uniqueAccount('hooli');
    await h.seedAccount({ accountId: account, name: 'Hooli' });
    const moves = h.script(account).move('Go Live', daysAgo(2));
    const completion = moves.find((e) => e.type === 'lifecycle.completed');
    if (completion?.type !== 'lifecycle.completed') throw new Error('expected a completion');
    await h.publishAll(moves.filter((e) => e !== completion));
    const envelope = await h.publisher.publish('lifecycle.completed', completion.data, { occurredAt: completion.at });
    const repository = h.service.app.get(AccountProjectionRepository);
    const stored = await waitFor('the completion in the projection', async () => {
      const found = await repository.get(account);
      return found?.account.lifecycle[ONBOARDING]?.completionIds.length === 1 ? found : undefined;
    });

    const stats = () => h.service.events!.consumerStats!;
    const before = { ...stats() };
    await h.publisher.publish('lifecycle.completed', envelope.data, { id: envelope.id, occurredAt: completion.at });
    await waitFor('the redelivery handled', () => stats().processed >= before.processed + 1);
    const after = await repository.get(account);
    expect(after?.rev).toBe(stored.rev);
    expect(after?.account.lifecycle[ONBOARDING]?.completionIds).toEqual([completion.data.changeId]);
  });

  it("an account's segments: the saved segments it is a member of, by name; none for an account the projection does not know", async () => {
    const account = h.uniqueAccount('globex');
    await h.seedAccount({ accountId: account, name: 'Globex' });
    await h.publishAll(h.script(account).move('Kickoff', daysAgo(35)));
    await waitFor('segment.entered', () => kinds(account).length === 1);

    const listed = await h.api<{ accountId: string; segments: { id: string; name: string }[] }>('GET', `/v1/accounts/${account}/segments`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ accountId: account, segments: [{ id: segmentId, name: 'Stuck in Kickoff over 30 days' }] });
    expect((await h.api('GET', `/v1/accounts/${h.uniqueAccount('nobody')}/segments`)).body).toMatchObject({ segments: [] });
    expect((await h.api('GET', `/v1/accounts/${encodeURIComponent('bad id!')}/segments`)).status).toBe(400);
  });

  it('the daily roll re-evaluates time-based segments: an account crossing 30 days enters', async () => {
    const account = h.uniqueAccount('globex');
    await h.seedAccount({ accountId: account, name: 'Globex' });
    // 30 days and 3 seconds short of 31 when published: not "over 30 days" yet.
    const events_ = h.script(account).move('Kickoff', new Date(Date.now() - 31 * MS_PER_DAY + 3_000));
    await h.publishAll(events_);
    const changeId = events_[0]!.type === 'status.changed' ? events_[0]!.data.changeId : '';
    await h.waitForChange(account, changeId);
    expect((await h.projection(account))?.segments).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const day = new Date().toISOString().slice(0, 10);
    await h.publisher.publish('day.rolled', { day, statesMaterialized: 0 });
    const job = await waitFor('the day-rolled job', async () => {
      const answer = await h.api<{ state: string; result: Record<string, number> | null }>(
        'GET',
        `/v1/jobs/segments-membership-day-rolled-${day}`,
      );
      return answer.status === 200 && answer.body.state === 'completed' ? answer.body : undefined;
    });
    expect(job.result).toMatchObject({ segments: 1, entered: 1, exited: 0 });
    await waitFor('segment.entered', () => kinds(account).length === 1);
    expect(kinds(account)).toEqual(['segment.entered']);
    expect((await h.api('GET', '/v1/jobs/segments-membership-unknown')).status).toBe(404);
    // Not a job id of the platform at all (`<queue>-<key>`): off the document.
    expect((await h.api('GET', '/v1/jobs/segments-unknown')).status).toBe(400);
  });

  it('saving a segment lets matching accounts enter; deleting it makes its members leave', async () => {
    const account = h.uniqueAccount('initech');
    await h.seedAccount({ accountId: account, name: 'Initech', ownerId: 'csm-9' });
    const moves = h.script(account).move('Kickoff', daysAgo(45));
    await h.publishAll(moves);
    await h.waitForChange(account, moves[0]!.type === 'status.changed' ? moves[0]!.data.changeId : '');

    const created = await h.api<SegmentResponse>('POST', '/v1/segments', {
      name: 'Kickoff over 40 days, csm-9',
      criteria: {
        all: [
          { ...stuck, daysInStage: { gte: 40 } },
          { field: 'ownerId', isOneOf: ['csm-9'] },
        ],
      },
    });
    const second = created.body.id;
    const saved = await h.waitForJob(created.body.membershipJobId!);
    expect(saved.result).toMatchObject({ segments: 1, entered: 1 });
    await waitFor('segment.entered', () => kinds(account, second).length === 1);

    // An account fact change is an event too: the owner changes, the account leaves.
    await h.publisher.publish('crm.account.upserted', { accountId: account, name: 'Initech', ownerId: 'csm-1' });
    await waitFor('segment.exited', () => kinds(account, second).length === 2);
    await h.publisher.publish('crm.account.upserted', { accountId: account, name: 'Initech', ownerId: 'csm-9' });
    await waitFor('segment.entered again', () => kinds(account, second).length === 3);

    // New criteria: the job's exit pass (members that no longer match), then its enter pass.
    const stricter = await h.api<SegmentResponse>('PATCH', `/v1/segments/${second}`, {
      criteria: {
        all: [
          { ...stuck, daysInStage: { gte: 50 } },
          { field: 'ownerId', isOneOf: ['csm-9'] },
        ],
      },
    });
    expect((await h.waitForJob(stricter.body.membershipJobId!)).result).toMatchObject({ entered: 0, exited: 1 });
    const looser = await h.api<SegmentResponse>('PATCH', `/v1/segments/${second}`, { criteria: { ...stuck, daysInStage: { gte: 45 } } });
    expect((await h.waitForJob(looser.body.membershipJobId!)).result).toMatchObject({ entered: 1, exited: 0 });

    const deleted = await h.api<{ membershipJobId: string }>('DELETE', `/v1/segments/${second}`);
    expect(deleted.status).toBe(200);
    const job = await h.waitForJob(deleted.body.membershipJobId);
    expect(job.result).toMatchObject({ exited: 1 });
    await waitFor('segment.exited', () => kinds(account, second).length === 6);
    expect(kinds(account, second)).toEqual([
      'segment.entered',
      'segment.exited',
      'segment.entered',
      'segment.exited',
      'segment.entered',
      'segment.exited',
    ]);
    expect(new Set(events(account, second).map((e) => e.id)).size).toBe(6);
    // The first segment is untouched: 45 days in Kickoff is "over 30 days" as well.
    expect((await h.projection(account))?.segments).toEqual([segmentId]);
  });

  it('a job chunk that loses its race to another writer is re-decided one by one: each change once, nothing emitted twice', async () => {
    const account = h.uniqueAccount('umbrella');
    await h.seedAccount({ accountId: account, name: 'Umbrella' });
    await h.publishAll(h.script(account).move('Kickoff', daysAgo(40)));
    await waitFor('segment.entered', () => kinds(account).length === 1);
    // Another instance's write: the stored membership says "not a member", one revision on …
    const collection = h.service.app.get(Storage).collection<AccountProjectionDocument>(ACCOUNT_PROJECTION_COLLECTION);
    await collection.updateOne({ _id: account }, { $set: { segments: [] }, $inc: { rev: 1 } });
    const rev = (await collection.findOne({ _id: account }))!.rev;
    // … and it writes again between the chunk's read of the membership records and its bulk update.
    const repository = h.service.app.get(AccountProjectionRepository);
    const read = repository.membershipsOf.bind(repository);
    const raced = jest.spyOn(repository, 'membershipsOf').mockImplementationOnce(async (ids) => {
      const stored = await read(ids);
      await collection.updateOne({ _id: account }, { $inc: { rev: 1 } });
      return stored;
    });
    const segment = await h.service.app.get(SavedSegments).get(segmentId);
    // The decision as that instance's index takes it: at the revision it holds, "enter".
    const { outcomes, outboxes, redone } = await h.service.app
      .get(ProjectionWriter)
      .applyMembershipDecisions({ decisions: [{ accountId: account, rev, verdicts: [{ segmentId, member: true }] }], moved: [] }, [
        { id: segmentId, criteria: segment!.criteria },
      ]);
    raced.mockRestore();
    expect([outboxes, redone]).toEqual([[], [account]]);
    expect(outcomes.flatMap((o) => o.changes.map((c) => [c.kind, c.seq]))).toEqual([['entered', 2]]);
    await h.service.app.get(Outbox).flushMany(redone);
    await waitFor('segment.entered again', () => kinds(account).length === 2);
    await settle();
    expect(kinds(account)).toEqual(['segment.entered', 'segment.entered']);
    const stored = await collection.findOne({ _id: account });
    expect(stored?.segments).toEqual([segmentId]);
    expect(stored?.outbox).toEqual([]);
    expect(h.index.current().revOf(account)).toBe(stored?.rev);
  });

  it('a decision taken on an older revision than the document holds is not written: the account is decided again from its document', async () => {
    const account = h.uniqueAccount('hooli');
    await h.seedAccount({ accountId: account, name: 'Hooli' });
    await h.publishAll(h.script(account).move('Kickoff', daysAgo(40)));
    await waitFor('segment.entered', () => kinds(account).length === 1);
    const collection = h.service.app.get(Storage).collection<AccountProjectionDocument>(ACCOUNT_PROJECTION_COLLECTION);
    const before = (await collection.findOne({ _id: account }))!;
    // Another instance's write this index has not seen yet: the account left the segment (seq 2).
    await collection.updateOne({ _id: account }, { $set: { segments: [], [`membershipSeq.${segmentId}`]: 2 }, $inc: { rev: 1 } });
    const segment = await h.service.app.get(SavedSegments).get(segmentId);
    // A decision taken on the older revision ("leave") must not land on the newer one (a second
    // exit); decided again from the document, the account (40 days in Kickoff) enters again (seq 3).
    const { outcomes, outboxes, redone } = await h.service.app
      .get(ProjectionWriter)
      .applyMembershipDecisions(
        { decisions: [{ accountId: account, rev: before.rev, verdicts: [{ segmentId, member: false }] }], moved: [] },
        [{ id: segmentId, criteria: segment!.criteria }],
      );
    expect([outboxes, redone]).toEqual([[], [account]]);
    expect(outcomes.flatMap((o) => o.changes.map((c) => [c.kind, c.seq]))).toEqual([['entered', 3]]);
    await h.service.app.get(Outbox).flushMany(redone);
    await waitFor('segment.entered again', () => kinds(account).length === 2);
    const stored = await collection.findOne({ _id: account });
    expect([stored?.segments, stored?.membershipSeq[segmentId], stored?.outbox]).toEqual([[segmentId], 3, []]);
    expect(h.index.current().revOf(account)).toBe(stored?.rev);
  });
});
