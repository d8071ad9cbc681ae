import { Injectable } from '@nestjs/common';
import { captureContext, runInContext, type TraceContext } from '@lifecycle/observability';
import type { SetStatusCommand } from './set-status.command';
import { SetStatusUseCase, type SetStatusResult } from './set-status.use-case';

/** Commands taken into one `executeMany` at most. */
const MAX_BATCH = 500;

interface Waiting {
  command: SetStatusCommand;
  /** The request's trace context: a batch runs in its first request's (the others' events join that trace). */
  trace: TraceContext;
  resolve: (result: SetStatusResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for commands that arrive one by one (REST requests): the first runs at once; those
 * that arrive while a batch is being written wait for it and then go together as the next
 * `executeMany`. No request waits for a timer, and under load the database sees batches instead of
 * a round trip per command. A command held back by an earlier failure of its own account in the
 * batch runs again alone.
 */
@Injectable()
export class StatusCommandQueue {
  private waiting: Waiting[] = [];
  private draining = false;

  constructor(private readonly setStatus: SetStatusUseCase) {}

  submit(command: SetStatusCommand): Promise<SetStatusResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ command, trace: captureContext(), resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          const outcomes = await runInContext(batch[0]!.trace, () => this.setStatus.executeMany(batch.map((w) => w.command)));
          await Promise.all(
            outcomes.map(async (outcome, i) => {
              const waiting = batch[i]!;
              if (outcome.ok) waiting.resolve(outcome.result);
              else if ('blocked' in outcome) await this.setStatus.execute(waiting.command).then(waiting.resolve, waiting.reject);
              else waiting.reject(outcome.error);
            }),
          );
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
