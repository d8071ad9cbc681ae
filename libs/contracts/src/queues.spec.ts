import { jobId, jobOwner, JOB_ID_PATTERN, Queues, queueOfJob } from './queues';

describe('the job id rule: <queue>-<key>', () => {
  it('names the queue first, so the owner and the queue follow from the id alone', () => {
    const id = jobId(Queues.CyclesRecalculation, 'propagate-enterprise-onboarding-v2');
    expect(id).toBe('cycles-recalculation-propagate-enterprise-onboarding-v2');
    expect(queueOfJob(id)).toBe(Queues.CyclesRecalculation);
    expect(jobOwner(id)).toBe('cycles');
    expect(queueOfJob(jobId(Queues.TrackingDailyCounters, '2025-03-08-1a2b'))).toBe(Queues.TrackingDailyCounters);
    expect(queueOfJob(jobId(Queues.TrackingImports, '9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10'))).toBe(Queues.TrackingImports);
  });

  it.each(['tracking-unknown-1', 'cycles-1', 'segments-membership-', 'segments-membership-a:b', 'segments-membership-_x', 'other-1'])(
    'refuses %j',
    (id) => {
      expect(JOB_ID_PATTERN.test(id)).toBe(false);
      expect(queueOfJob(id)).toBeNull();
      expect(jobOwner(id)).toBeNull();
    },
  );
});
