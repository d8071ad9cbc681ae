import { Injectable } from '@nestjs/common';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { LifecycleStateRepository } from '../statuses/lifecycle-state.repository';
import type { SlaSweepJobData } from '../jobs/tracking-jobs';
import { SlaTrackerService } from './sla-tracker.service';

const BATCH = 500;

export interface SlaSweepResult {
  statesSeen: number;
  looked: number;
  published: number;
}

/**
 * B4: one look at every pair whose current stage has an SLA — the daily tick's backstop for the
 * timers, and what re-derives the SLAs after an SLA or a calendar changed. One unsorted pass over
 * the states (the embedded engine's one streamed scan, see LifecycleStateRepository), looks one by one.
 */
@Injectable()
export class SlaSweepRunner {
  constructor(
    private readonly replica: AttributeReplicaRepository,
    private readonly states: LifecycleStateRepository,
    private readonly tracker: SlaTrackerService,
  ) {}

  async run(data: SlaSweepJobData, progress: (p: SlaSweepResult) => Promise<void>): Promise<SlaSweepResult> {
    const definitions = await this.replica.all();
    const result: SlaSweepResult = { statesSeen: 0, looked: 0, published: 0 };
    for await (const batch of this.states.streamInBatches(BATCH)) {
      for (const snapshot of batch) {
        result.statesSeen += 1;
        if (data.attributeKey !== undefined && snapshot.attributeKey !== data.attributeKey) continue;
        const stage = definitions.get(snapshot.attributeKey)?.stages.find((s) => s.id === snapshot.state.stageId);
        if (!stage?.sla || snapshot.state.completed) continue;
        const look = await this.tracker.look(snapshot.accountId, snapshot.attributeKey);
        result.looked += 1;
        result.published += look?.published ?? 0;
      }
      await progress({ ...result });
    }
    return result;
  }
}
