import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@lifecycle/testing';
import type { PreviewResponse } from '../segments/dto/segment.response';
import { indexedAccountOf, type IndexedAccount } from './core/indexed-account';
import { feedTopicName } from './index-feed';
import { daysAgo, ONBOARDING, SegmentEvaluationHarness } from '../testing/segment-evaluation.harness';

/**
 * Two instances behind one consumer group each split the accounts' events, and each
 * instance's index follows every write through the index feed, so both answer for all accounts;
 * an instance restarted from its snapshot catches up with what the other wrote meanwhile, and
 * answers 503 with Retry-After until then.
 */
describe('evaluation index over two instances and a restart', () => {
  const a = new SegmentEvaluationHarness('segidx2');
  let b: SegmentEvaluationHarness;
  let dir: string;
  const accounts: string[] = [];

  const stuck = { attribute: ONBOARDING, isOneOf: ['Kickoff'], daysInStage: { gt: 10 } };

  const preview = async (
    h: SegmentEvaluationHarness,
    criteria: unknown,
  ): Promise<{ status: number; body: PreviewResponse; retryAfter: string | null }> => {
    const response = await fetch(`${h.service.url}/v1/segments/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ criteria, pageSize: 200 }),
    });
    return { status: response.status, body: (await response.json()) as PreviewResponse, retryAfter: response.headers.get('retry-after') };
  };

  const ids = (view: PreviewResponse): string[] => view.members.map((m) => m.accountId);

  /** `n` new accounts in Kickoff for 11…(10 + n) days (all "stuck"), spread over the partitions. */
  const seed = async (h: SegmentEvaluationHarness, n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const id = h.uniqueAccount('acct');
      accounts.push(id);
      await h.publisher.publish('crm.account.upserted', { accountId: id, name: id, clientType: 'smb' });
      await h.publishAll(h.script(id).move('Kickoff', daysAgo(11 + i)));
    }
  };

  const bothShowAll = async (what: string): Promise<void> => {
    const expected = [...accounts].sort();
    for (const h of [a, b]) {
      await waitFor(`${what}: every account in the index of ${h.index.status().instance}`, async () => {
        const { status, body } = await preview(h, stuck);
        return status === 200 && body.count === expected.length && JSON.stringify(ids(body)) === JSON.stringify(expected);
      });
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'segidx-'));
    await a.start([], { instance: 'a', snapshotDir: dir });
    b = new SegmentEvaluationHarness('segidx2', undefined, a.run);
    await b.start([], { instance: 'b', snapshotDir: dir });
    await a.seedAttribute();
  }, 120_000);

  afterAll(async () => {
    await b.stop();
    await a.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('both instances answer for every account, whichever instance projected it', async () => {
    await seed(a, 24);
    await bothShowAll('two instances');
    // The consumer group split the accounts' events: both instances wrote projections.
    expect(a.service.events!.consumerStats!.processed).toBeGreaterThan(0);
    expect(b.service.events!.consumerStats!.processed).toBeGreaterThan(0);
    expect(a.index.current().size).toBe(b.index.current().size);
  }, 180_000);

  it('a restarted instance loads its snapshot and catches up with what the other instance wrote meanwhile', async () => {
    await a.index.snapshot();
    await a.service.app.close();
    // Written by b alone while a is down: a learns them from the feed after its snapshot.
    await seed(b, 6);
    await waitFor('b projected the new accounts', async () => (await preview(b, stuck)).body.count === accounts.length);
    // A long feed to catch up with (accounts without any lifecycle value, matching nothing below),
    // so the restarted instance is still catching up when its HTTP server starts listening.
    const topic = feedTopicName(a.config);
    for (let chunk = 0; chunk < 10; chunk++) {
      const records = Array.from({ length: 5_000 }, (_, i) => {
        const accountId = `zz-filler-${chunk * 5_000 + i}`;
        const record: IndexedAccount = {
          ...indexedAccountOf(
            {
              _id: accountId,
              name: accountId,
              clientType: null,
              ownerId: null,
              canceled: false,
              subscriptionActive: false,
              renewalDate: null,
              lifecycle: {},
            },
            1,
          ),
        };
        return { key: accountId, value: JSON.stringify(record) };
      });
      await b.publisher.sendRaw(topic, records);
    }

    await a.start([], { instance: 'a', snapshotDir: dir }, false);
    // Until ready every answer is a 503 with Retry-After, never a partial count (how many 503s
    // come first depends on how fast the catch-up is; the benchmark at 1M sees them).
    await waitFor('a ready again', async () => {
      const { status, body, retryAfter } = await preview(a, stuck);
      const readiness = await fetch(`${a.service.url}/health/ready`);
      if (status === 200) expect(body.count).toBe(accounts.length);
      else expect({ status, retryAfter }).toEqual({ status: 503, retryAfter: '5' });
      return status === 200 && readiness.status === 200;
    });
    expect((await fetch(`${a.service.url}/health/ready`)).status).toBe(200);
    expect(a.index.status().readyAfterMs).toBeLessThan(60_000);
    await bothShowAll('after the restart');
  }, 180_000);
});
