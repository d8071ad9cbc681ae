import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { addScrapeSource, metrics, type Metrics } from '@lifecycle/observability';
import { JOB_QUEUES } from './job-status.controller';

/** The states `/metrics` shows per queue (`lifecycle_bullmq_jobs`). */
const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The metrics of a service's BullMQ queues: depth per state and the newest completion, read from
 * Redis at scrape time (the same for every instance), and the duration of every job this
 * process's workers run (each `WorkerHost` of the app, found at bootstrap).
 */
@Injectable()
export class QueueMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private removeScrapeSource: (() => void) | null = null;

  constructor(
    @Inject(JOB_QUEUES) private readonly queues: Map<string, Queue>,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    const duration = metrics().jobDuration;
    const observe = (outcome: 'completed' | 'failed') => (job: Job | undefined) => {
      if (!job?.processedOn || !job.finishedOn) return;
      duration.observe({ queue: job.queueName, outcome }, (job.finishedOn - job.processedOn) / 1000);
    };
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!(instance instanceof WorkerHost)) continue;
      instance.worker.on('completed', observe('completed'));
      instance.worker.on('failed', observe('failed'));
    }
    this.removeScrapeSource = addScrapeSource(`queues:${[...this.queues.keys()].join(',')}`, (m) => this.fill(m));
  }

  onApplicationShutdown(): void {
    this.removeScrapeSource?.();
    this.removeScrapeSource = null;
  }

  private async fill(m: Metrics): Promise<void> {
    await Promise.all(
      [...this.queues].map(async ([name, queue]) => {
        const [counts, newest] = await Promise.all([queue.getJobCounts(...STATES), queue.getJobs(['completed'], 0, 0, false)]);
        for (const state of STATES) m.queueJobs.set({ queue: name, state }, counts[state] ?? 0);
        const finishedOn = newest[0]?.finishedOn;
        if (finishedOn) m.queueLastCompleted.set({ queue: name }, finishedOn / 1000);
      }),
    );
  }
}
