/**
 * `putOffOnOutage` with a real BullMQ worker on the real Redis: a job that meets a database
 * outage waits for it without spending its one attempt; a bug still spends it.
 */
import { Logger } from '@nestjs/common';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { INFRA, newTestRun } from '@lifecycle/testing';
import { putOffOnOutage } from './job-outage';

describe('jobs through an outage against the real Redis', () => {
  const run = newTestRun('outage');
  const url = new URL(INFRA.redis);
  const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
  const prefix = `t-${run.id}`;
  const logger = new Logger('job-outage-test');
  let queue: Queue;
  let events: QueueEvents;
  let worker: Worker;
  const tries = new Map<string, number>();

  beforeAll(async () => {
    queue = new Queue('outage', { connection, prefix });
    events = new QueueEvents('outage', { connection, prefix });
    await events.waitUntilReady();
    worker = new Worker(
      'outage',
      async (job: Job<{ failWith: 'outage' | 'bug'; times: number }>, token) => {
        const n = (tries.get(job.id!) ?? 0) + 1;
        tries.set(job.id!, n);
        try {
          if (n <= job.data.times) {
            const error = new Error(job.data.failWith === 'outage' ? 'connect ECONNREFUSED 127.0.0.1:27017' : 'a bug');
            if (job.data.failWith === 'outage') Object.assign(error, { name: 'MongoNetworkError' });
            throw error;
          }
          return { tries: n };
        } catch (e) {
          return putOffOnOutage(job, token, e, logger);
        }
      },
      { connection, prefix },
    );
  });

  afterAll(async () => {
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('puts a job off through three outages in a row and completes it with its single attempt', async () => {
    const job = await queue.add('run', { failWith: 'outage', times: 3 }, { attempts: 1 });
    expect(await job.waitUntilFinished(events, 30_000)).toEqual({ tries: 4 });
    const done = (await queue.getJob(job.id!))!;
    expect(done.data).toMatchObject({ outages: 3 });
  });

  it('fails a job whose error is not an outage (its attempts are spent)', async () => {
    const job = await queue.add('run', { failWith: 'bug', times: 5 }, { attempts: 2 });
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow('a bug');
    expect(tries.get(job.id!)).toBe(2);
  });
});
