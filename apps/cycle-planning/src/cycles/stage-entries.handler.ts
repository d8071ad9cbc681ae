import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEventRun, TurnBatcher, type ConsumedEvent, type Envelope, type EventOutcome } from '@lifecycle/messaging';
import type { StageEntry } from '../accounts/stage-entries.repository';
import { StageEntrySyncService } from './stage-entry-sync.service';

/**
 * B6: status tracking's `status.changed` (`lifecycle.status`): the account entered a stage, so
 * the due dates that count from that entry can be computed. Re-emitted transitions of a refold
 * (cause `recomputed`) carry their own entry times and are kept the same way (the latest wins).
 * A run of events is kept in bulk (`enteredMany`), together with the runs of the other partitions
 * of the same fetch (`TurnBatcher`: an account's events are in one partition, so they stay in order).
 */
@Controller()
export class StageEntriesHandler {
  /** Per entry, the failure of its account's settling, or null when done. */
  private readonly entered: TurnBatcher<StageEntry, { error: unknown } | null>;

  constructor(sync: StageEntrySyncService) {
    this.entered = new TurnBatcher(async (entries) => {
      const failed = await sync.enteredMany(entries);
      return entries.map((e) => (failed.has(e.accountId) ? { error: failed.get(e.accountId) } : null));
    });
  }

  // A redelivery changes nothing: the entry is kept only when later than the one held, and settling
  // due dates decides from the stored cycles (nothing left to change, no event).
  @OnEventRun('status.changed', { redeliverySafe: true })
  async onStatusChanges(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    const entries: StageEntry[] = [];
    for (const event of events) {
      const { accountId, attributeKey, to, at } = (event.envelope as Envelope<'status.changed'>).data;
      if (to !== null) entries.push({ accountId, attributeKey, stageId: to.id, at: new Date(at) });
    }
    const settled = await this.entered.submit(entries);
    const failed = new Map(entries.flatMap((e, i) => (settled[i] === null ? [] : [[e.accountId, settled[i]!.error] as const])));
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
