import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEventRun, type ConsumedEvent, type Envelope, type EventOutcome } from '@lifecycle/messaging';
import type { StageEntry } from '../accounts/stage-entries.repository';
import { StageEntrySyncService } from './stage-entry-sync.service';

/**
 * B6: status tracking's `status.changed` (`lifecycle.status`): the account entered a stage, so
 * the due dates that count from that entry can be computed. Re-emitted transitions of a refold
 * (cause `recomputed`) carry their own entry times and are kept the same way (the latest wins).
 * A run of events is kept in bulk (`enteredMany`).
 */
@Controller()
export class StageEntriesHandler {
  constructor(private readonly sync: StageEntrySyncService) {}

  // A redelivery changes nothing: the entry is kept only when later than the one held, and settling
  // due dates decides from the stored cycles (nothing left to change, no event).
  @OnEventRun('status.changed', { redeliverySafe: true })
  async onStatusChanges(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    const entries: StageEntry[] = [];
    for (const event of events) {
      const { accountId, attributeKey, to, at } = (event.envelope as Envelope<'status.changed'>).data;
      if (to !== null) entries.push({ accountId, attributeKey, stageId: to.id, at: new Date(at) });
    }
    const failed = await this.sync.enteredMany(entries);
    // An account whose settling failed fails at its first event; its later ones wait with it (the
    // consumer keeps an account's order), and a retry settles the account whole.
    const seen = new Set<string>();
    return events.map((event) => {
      const { accountId } = (event.envelope as Envelope<'status.changed'>).data;
      if (!failed.has(accountId)) return { kind: 'applied' };
      if (seen.has(accountId)) return { kind: 'blocked' };
      seen.add(accountId);
      return { kind: 'failed', error: failed.get(accountId) };
    });
  }
}
