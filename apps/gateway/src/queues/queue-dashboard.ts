import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { Router } from 'express';
import { ALL_QUEUES } from '@lifecycle/contracts';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Bull Board over every queue of the platform (admins only: the auth middleware guards /admin). */
export function queueDashboard(redisUrl: string, prefix: string): { router: Router; close: () => Promise<void> } {
  const url = new URL(redisUrl);
  const connection = {
    host: url.hostname,
    port: Number(url.port || 6379),
    password: url.password || undefined,
    maxRetriesPerRequest: null,
  };
  const queues = ALL_QUEUES.map((name) => new Queue(name, { connection, prefix }));
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter });
  return {
    router: serverAdapter.getRouter() as Router,
    close: async () => {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
