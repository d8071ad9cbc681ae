/**
 * The membership replica on the real server: changes recorded in bulk keep the latest state of
 * each (segment, account) by event time, whatever the order within and across batches.
 */
import { MongoClient } from 'mongodb';
import { Storage } from '@lifecycle/storage';
import { INFRA, newTestRun } from '@lifecycle/testing';
import { SegmentMembershipRepository } from './segment-membership.repository';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

describe('segment membership replica on the real server', () => {
  const run = newTestRun('segment-members');
  let client: MongoClient;
  let members: SegmentMembershipRepository;

  beforeAll(async () => {
    client = await MongoClient.connect(INFRA.mongo);
    members = new SegmentMembershipRepository(await Storage.open(client.db(run.databaseFor('cycle-planning'))));
    await members.onModuleInit();
  });

  afterAll(async () => {
    await client.db(run.databaseFor('cycle-planning')).dropDatabase();
    await client.close();
  });

  it('keeps the latest change per member by event time, within a batch and across batches', async () => {
    await members.recordMany([
      { segmentId: 's1', accountId: 'a', member: true, at: at(1) },
      { segmentId: 's1', accountId: 'b', member: true, at: at(1) },
      { segmentId: 's1', accountId: 'c', member: true, at: at(5) },
      { segmentId: 's2', accountId: 'a', member: true, at: at(2) },
    ]);
    // A later batch: b leaves, an older "left" of c arrives late, a redelivery of a's entry.
    await members.recordMany([
      { segmentId: 's1', accountId: 'b', member: false, at: at(3) },
      { segmentId: 's1', accountId: 'c', member: false, at: at(4) },
      { segmentId: 's1', accountId: 'a', member: true, at: at(1) },
      { segmentId: 's1', accountId: 'd', member: true, at: at(6) },
    ]);
    expect(await members.membersAfter('s1', null, 10)).toEqual(['a', 'c', 'd']);
    expect(await members.membersAfter('s2', null, 10)).toEqual(['a']);
    expect(await members.countMembers('s1')).toBe(3);
  });
});
