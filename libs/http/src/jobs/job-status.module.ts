import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { QueueName } from '@lifecycle/contracts';
import { JOB_QUEUES, JobStatusController } from './job-status.controller';
import { QueueMetrics } from './queue-metrics';

/**
 * The jobs endpoint of a service over its own queues (BullMQ's root connection comes from the
 * service), and their metrics (`QueueMetrics`).
 */
@Module({})
export class JobStatusModule {
  static forQueues(names: readonly QueueName[]): DynamicModule {
    return {
      module: JobStatusModule,
      imports: [DiscoveryModule, BullModule.registerQueue(...names.map((name) => ({ name })))],
      controllers: [JobStatusController],
      providers: [
        {
          provide: JOB_QUEUES,
          inject: names.map((name) => getQueueToken(name)),
          useFactory: (...queues: Queue[]) => new Map(queues.map((queue) => [queue.name, queue])),
        },
        QueueMetrics,
      ],
    };
  }
}
