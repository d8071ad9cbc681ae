import { Topics } from '@lifecycle/contracts';
import { waitFor } from '@lifecycle/testing';
import { onboardingAttribute, SegmentEvaluationHarness } from '../testing/segment-evaluation.harness';

/** `segment.saved` on `segment.definitions`: once per create and change, with the version it made, from the segment's outbox. */
describe('saved segments as events (segment.definitions)', () => {
  const h = new SegmentEvaluationHarness('segdefs');
  const saved = () =>
    h.recorded(Topics.SegmentDefinitions).map((e) => ({ ...e, data: e.data as { segmentId: string; name: string; version: number } }));

  beforeAll(async () => {
    await h.start([Topics.SegmentDefinitions]);
    await h.seedAttribute(onboardingAttribute(1));
  });

  afterAll(() => h.stop());

  it('publishes segment.saved for a create and for each change, keyed by the segment, with the version and name it made', async () => {
    const created = await h.api<{ id: string; version: number }>('POST', '/v1/segments', {
      name: 'Stuck',
      criteria: { attribute: 'onboarding-status', isOneOf: ['Kickoff'] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await h.api('PATCH', `/v1/segments/${id}`, { name: 'Stuck in Kickoff' })).status).toBe(200);
    expect((await h.api('PATCH', `/v1/segments/${id}`, { description: 'no new name' })).status).toBe(200);
    // Changes racing each other: each applies to its own version, none is lost or published twice.
    const racing = await Promise.all([1, 2, 3].map((n) => h.api('PATCH', `/v1/segments/${id}`, { description: `race ${n}` })));
    expect(racing.map((r) => r.status)).toEqual([200, 200, 200]);

    const events = await waitFor('six segment.saved events', () => (saved().length >= 6 ? saved() : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(saved()).toHaveLength(6);
    expect(events.map((e) => [e.type, e.key, e.data.segmentId, e.data.version])).toEqual(
      [1, 2, 3, 4, 5, 6].map((v) => ['segment.saved', id, id, v]),
    );
    expect(events.map((e) => e.data.name)).toEqual(['Stuck', 'Stuck in Kickoff', ...Array(4).fill('Stuck in Kickoff')]);
    const segment = await h.api<Record<string, unknown>>('GET', `/v1/segments/${id}`);
    expect(segment.body.version).toBe(6);
    expect(segment.body).not.toHaveProperty('outbox');
  });
});
