import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import { SlaTimersQueue } from './sla-timers.queue';
import { SlaTrackerService } from './sla-tracker.service';

/**
 * B4: this service's own `lifecycle.status` and `lifecycle.ticks` as the SLA's triggers. A status
 * change or a refold (L11) is a look at the pair; the day roll sweeps every pair (the timers'
 * backstop). Reading its own events keeps the SLA out of the command path entirely.
 */
@Controller()
export class SlaTriggersHandler {
  constructor(
    private readonly tracker: SlaTrackerService,
    private readonly timers: SlaTimersQueue,
  ) {}

  @OnEvent('status.changed')
  async onStatusChanged(@Payload() envelope: Envelope<'status.changed'>): Promise<void> {
    await this.tracker.look(envelope.data.accountId, envelope.data.attributeKey);
  }

  @OnEvent('status.recomputed')
  async onStatusRecomputed(@Payload() envelope: Envelope<'status.recomputed'>): Promise<void> {
    await this.tracker.look(envelope.data.accountId, envelope.data.attributeKey);
  }

  @OnEvent('day.rolled')
  async onDayRolled(@Payload() envelope: Envelope<'day.rolled'>): Promise<void> {
    await this.timers.sweep(`day-${envelope.data.day}`);
  }
}
