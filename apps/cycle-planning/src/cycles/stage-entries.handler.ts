import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import { StageEntrySyncService } from './stage-entry-sync.service';

/**
 * B6: status tracking's `status.changed` (`lifecycle.status`): the account entered a stage, so
 * the due dates that count from that entry can be computed. Re-emitted transitions of a refold
 * (cause `recomputed`) carry their own entry times and are kept the same way (the latest wins).
 */
@Controller()
export class StageEntriesHandler {
  constructor(private readonly sync: StageEntrySyncService) {}

  // A redelivery changes nothing: the entry is kept only when later than the one held, and settling
  // due dates decides from the stored cycles (nothing left to change, no event).
  @OnEvent('status.changed', { redeliverySafe: true })
  async onStatusChanged(@Payload() envelope: Envelope<'status.changed'>): Promise<void> {
    const { accountId, attributeKey, to, at } = envelope.data;
    if (to === null) return;
    await this.sync.entered(accountId, attributeKey, to.id, new Date(at));
  }
}
