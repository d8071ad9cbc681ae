import { Topics } from '@lifecycle/contracts';
import { metricSum, readMetrics, waitFor, type MetricSample } from '@lifecycle/testing';
import { ONBOARDING, StatusTrackingHarness } from './testing/status-tracking.harness';

/** `/metrics` of a real service: the counters an operator reads move with the work done. */
describe('status-tracking /metrics (real broker, database, Redis)', () => {
  const h = new StatusTrackingHarness('metrics');
  const group = () => h.config.kafka.groupId;
  const scrape = () => readMetrics(h.service.url);
  const events = (samples: MetricSample[], type: string, outcome: string) =>
    metricSum(samples, 'lifecycle_events_consumed_total', { group: group(), type, outcome });

  beforeAll(async () => {
    await h.start([h.deadLetter(Topics.CrmAccountStatuses)]);
    await h.seedAttribute();
  });

  afterAll(async () => {
    await h.stop();
  });

  it('counts HTTP requests by route template and status, never by raw path', async () => {
    const route = '/v1/accounts/:accountId/statuses/:attributeKey';
    const before = metricSum(await scrape(), 'http_server_request_duration_seconds_count', { method: 'PUT', route, status: '200' });
    expect((await h.setStatus(h.uniqueAccount('http'), 'Kickoff')).status).toBe(200);
    expect((await h.setStatus(h.uniqueAccount('http'), 'Kickoff')).status).toBe(200);
    expect((await h.api('GET', '/v1/no-such-route')).status).toBe(404);

    const after = await scrape();
    expect(metricSum(after, 'http_server_request_duration_seconds_count', { method: 'PUT', route, status: '200' })).toBe(before + 2);
    expect(metricSum(after, 'http_server_request_duration_seconds_count', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(after.some((s) => s.labels.route?.includes('http-'))).toBe(false);
  });

  it('counts consumed events by type and outcome, dead letters included, and shows lag, handler time, outbox and queues', async () => {
    const before = await scrape();
    const processedBefore = events(before, 'crm.account.status.set', 'processed');
    const deadBefore = events(before, 'crm.account.status.set', 'dead_lettered');
    const accounts = Array.from({ length: 5 }, () => h.uniqueAccount('crm'));
    for (const accountId of accounts)
      await h.publisher.publish('crm.account.status.set', { accountId, attributeKey: ONBOARDING, stage: 'Kickoff' });
    // A stage the attribute does not have (L1): refused, dead-lettered.
    await h.publisher.publish('crm.account.status.set', {
      accountId: h.uniqueAccount('bad'),
      attributeKey: ONBOARDING,
      stage: 'No Such Stage',
    });

    let after: MetricSample[] = [];
    await waitFor('the events counted', async () => {
      after = await scrape();
      return (
        events(after, 'crm.account.status.set', 'processed') >= processedBefore + 5 &&
        events(after, 'crm.account.status.set', 'dead_lettered') >= deadBefore + 1
      );
    });
    expect(events(after, 'crm.account.status.set', 'processed')).toBe(processedBefore + 5);
    expect(events(after, 'crm.account.status.set', 'dead_lettered')).toBe(deadBefore + 1);
    expect(
      metricSum(after, 'lifecycle_event_handler_duration_seconds_count', { group: group(), type: 'crm.account.status.set' }),
    ).toBeGreaterThan(0);
    expect(
      metricSum(after, 'lifecycle_event_batch_duration_seconds_count', { group: group(), topic: Topics.CrmAccountStatuses }),
    ).toBeGreaterThan(0);
    expect(metricSum(after, 'lifecycle_events_published_total', { topic: Topics.LifecycleStatus })).toBeGreaterThanOrEqual(5);

    // Lag and committed offsets per topic-partition of the group, read from the broker (at most every 2 s).
    const partitions = (samples: MetricSample[], name: string) =>
      samples.filter((s) => s.name === name && s.labels.group === group() && s.labels.topic === Topics.CrmAccountStatuses);
    let last: MetricSample[] = [];
    await waitFor('the committed offsets of crm.account-statuses past the 6 events, lag 0', async () => {
      last = await scrape();
      const committed = partitions(last, 'lifecycle_kafka_consumer_committed_offset').reduce((n, s) => n + Math.max(s.value, 0), 0);
      return committed >= 6 && partitions(last, 'lifecycle_kafka_consumer_lag').every((s) => s.value === 0);
    });
    expect(
      partitions(last, 'lifecycle_kafka_consumer_lag')
        .map((s) => s.labels.partition)
        .sort(),
    ).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(metricSum(last, 'lifecycle_kafka_consumer_ready', { group: group() })).toBe(1);
    expect(last.some((s) => s.name === 'lifecycle_outbox_pending_aggregates' && s.labels.collection === 'lifecycle_states')).toBe(true);
    expect(last.some((s) => s.name === 'lifecycle_outbox_oldest_pending_age_seconds')).toBe(true);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(
        last.some((s) => s.name === 'lifecycle_bullmq_jobs' && s.labels.queue === 'tracking-imports' && s.labels.state === state),
      ).toBe(true);
    }
    expect(last.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
  });

  it('times BullMQ jobs and shows the last completion of the daily counters queue', async () => {
    const { status, body } = await h.api<{ jobId: string }>('POST', '/v1/internal/daily-counters/run', {});
    expect(status).toBe(202);
    await waitFor('the daily counters run finished and scraped', async () => {
      const now = await scrape();
      return metricSum(now, 'lifecycle_bullmq_last_completed_timestamp_seconds', { queue: 'tracking-daily-counters' }) > 0;
    });
    const now = await scrape();
    expect(metricSum(now, 'lifecycle_bullmq_job_duration_seconds_count', { queue: 'tracking-daily-counters', outcome: 'completed' })).toBe(
      1,
    );
    expect(metricSum(now, 'lifecycle_bullmq_last_completed_timestamp_seconds', { queue: 'tracking-daily-counters' })).toBeGreaterThan(
      Date.now() / 1000 - 120,
    );
    expect(body.jobId).toMatch(/^tracking-daily-counters-/);
  });
});
