import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/** Thrown by long work between two checkpoints when the service is stopping; the job resumes later. */
export class WorkInterrupted extends Error {
  override readonly name = 'WorkInterrupted';
}

/**
 * Long jobs (imports, daily counters) check this between checkpoints: on shutdown they stop at the
 * next one and are put back in the queue (the worker's close would otherwise wait for the end).
 */
@Injectable()
export class ShutdownSignal implements BeforeApplicationShutdown {
  private stopping = false;

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  throwIfStopping(): void {
    if (this.stopping) throw new WorkInterrupted('the service is stopping');
  }
}
