import { Queue, Worker } from 'bullmq';
import { INFRA, newTestRun } from '@lifecycle/testing';
import { readJobSnapshot, type JobSnapshot } from './job-snapshot';

describe('readJobSnapshot against the real Redis', () => {
  const run = newTestRun('jobview');
  const url = new URL(INFRA.redis);
  const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
  const prefix = `t-${run.id}`;
  let queue: Queue;
  let worker: Worker;

  beforeAll(() => {
    queue = new Queue('snapshots', { connection, prefix });
    worker = new Worker(
      'snapshots',
      async (job) => {
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 4)));
        return { doubled: (job.data as { n: number }).n * 2 };
      },
      { connection, prefix, concurrency: 4 },
    );
  });

  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('is undefined for a job that does not exist', async () => {
    await expect(readJobSnapshot(queue, 'no-such-job')).resolves.toBeUndefined();
  });

  it('never shows a job completed without its result and its attempt, however often it is read while finishing', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `job-${i}`);
    await queue.addBulk(ids.map((jobId, n) => ({ name: 'double', data: { n }, opts: { jobId } })));
    const seen: JobSnapshot[] = [];
    const pending = new Set(ids);
    while (pending.size > 0) {
      const snapshots = await Promise.all([...pending].map(async (id) => [id, await readJobSnapshot(queue, id)] as const));
      for (const [id, snapshot] of snapshots) {
        if (snapshot === undefined) throw new Error(`${id} vanished`);
        seen.push(snapshot);
        if (snapshot.state === 'completed') pending.delete(id);
      }
    }
    const completed = seen.filter((s) => s.state === 'completed');
    expect(completed).toHaveLength(ids.length);
    for (const s of completed) {
      expect(s).toMatchObject({ name: 'double', attemptsMade: 1, failedReason: null });
      expect(s.result).toEqual({ doubled: expect.any(Number) as number });
      expect(s.finishedAt).not.toBeNull();
    }
    // The loop really read jobs before they finished, not only afterwards.
    expect(seen.some((s) => s.state !== 'completed')).toBe(true);
  });
});
