import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import { PlayRunner } from './play-runner.service';

/** P1: stage SLA crossings (B4, `lifecycle.sla`) as play triggers; `segment.entered` comes through the segment handler. */
@Controller()
export class PlayTriggersHandler {
  constructor(private readonly runner: PlayRunner) {}

  @OnEvent('stage.sla-at-risk')
  async onAtRisk(@Payload() envelope: Envelope<'stage.sla-at-risk'>): Promise<void> {
    await this.onCrossing('stage.sla-at-risk', envelope);
  }

  @OnEvent('stage.sla-breached')
  async onBreached(@Payload() envelope: Envelope<'stage.sla-breached'>): Promise<void> {
    await this.onCrossing('stage.sla-breached', envelope);
  }

  private async onCrossing(
    type: 'stage.sla-at-risk' | 'stage.sla-breached',
    envelope: Envelope<'stage.sla-at-risk' | 'stage.sla-breached'>,
  ): Promise<void> {
    await this.runner.onOccurrence({
      type,
      eventId: envelope.id,
      occurredAt: new Date(envelope.occurredAt),
      accountId: envelope.data.accountId,
      attributeKey: envelope.data.attributeKey,
      stageId: envelope.data.stage.id,
    });
  }
}
