import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ATTRIBUTE_KEY_PATTERN, type AnyEnvelope } from '@lifecycle/contracts';
import { OnEventRun, TurnBatcher, type ConsumedEvent, type EventOutcome } from '@lifecycle/messaging';
import {
  applyAccountCanceled,
  applyAccountFacts,
  applyLifecycleCompleted,
  applyStatusChanged,
  applyStatusRecomputed,
} from '../domain/projection-updates';
import { SegmentError, SegmentErrorCode } from '../domain/segment-errors';
import { ProjectionWriter, type ProjectionUpdate } from './projection.writer';

/**
 * S6: the projection is fed by events only — account facts from `crm.accounts`, lifecycle state
 * from `lifecycle.status` (the clock each event carries). A partition batch's run of one type is
 * one `applyMany`: the accounts read and written in bulk, each event applied in order per account.
 */
@Controller()
export class ProjectionHandler {
  /**
   * The `status.changed` runs of the partitions of one fetch, applied together (`TurnBatcher`): an
   * account's events are in one partition, so each account's stay in order.
   */
  private readonly statusChanges: TurnBatcher<ProjectionUpdate, EventOutcome>;

  constructor(private readonly writer: ProjectionWriter) {
    this.statusChanges = new TurnBatcher((updates) => writer.applyMany(updates));
  }

  @OnEventRun('crm.account.upserted')
  onAccountsUpserted(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    return this.applyRun(events);
  }

  @OnEventRun('crm.account.canceled')
  onAccountsCanceled(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    return this.applyRun(events);
  }

  /**
   * Redelivery-safe: the projection recognizes a change by its `changeId` (its transition is
   * replaced, not added) and keeps the clock of the newest change (`clockAt`), so a redelivered
   * `status.changed` leaves the state as it is and emits nothing — the consumer keeps no
   * applied-id record of these events (one read and one write fewer per batch on the live path).
   * `lifecycle.completed` likewise: a completion is kept once per change id, in an order that does
   * not depend on arrival (time, then id). `status.recomputed` replaces the clock whatever it holds
   * and keeps the consumer's record.
   */
  @OnEventRun('status.changed', { redeliverySafe: true })
  onStatusChanges(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    return this.applyRun(events, (updates) => this.statusChanges.submit(updates));
  }

  @OnEventRun('lifecycle.completed', { redeliverySafe: true })
  onLifecyclesCompleted(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    return this.applyRun(events);
  }

  @OnEventRun('status.recomputed')
  onStatusesRecomputed(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    return this.applyRun(events);
  }

  /** An event that cannot become an update fails alone (a rule: dead-lettered); the rest go in bulk. */
  private async applyRun(
    events: readonly ConsumedEvent[],
    apply: (updates: readonly ProjectionUpdate[]) => Promise<EventOutcome[]> = (updates) => this.writer.applyMany(updates),
  ): Promise<EventOutcome[]> {
    const outcomes: EventOutcome[] = new Array(events.length);
    const updates: ProjectionUpdate[] = [];
    const positions: number[] = [];
    events.forEach((event, i) => {
      try {
        updates.push(projectionUpdateOf(event.envelope as Extract<AnyEnvelope, { type: ProjectedEventType }>));
        positions.push(i);
      } catch (error) {
        outcomes[i] = { kind: 'failed', error };
      }
    });
    const applied = await apply(updates);
    applied.forEach((outcome, k) => (outcomes[positions[k]!] = outcome));
    return outcomes;
  }
}

/** The events the projection is made of (the run handlers above). */
export type ProjectedEventType =
  'crm.account.upserted' | 'crm.account.canceled' | 'status.changed' | 'lifecycle.completed' | 'status.recomputed';

/** What an event changes in its account's projection (pure); throws for an event that cannot be projected. */
export function projectionUpdateOf(envelope: Extract<AnyEnvelope, { type: ProjectedEventType }>): ProjectionUpdate {
  switch (envelope.type) {
    case 'crm.account.upserted': {
      const { accountId, name, clientType, ownerId, canceled, subscription, calendarKey } = envelope.data;
      const occurredAt = new Date(envelope.occurredAt);
      return {
        accountId,
        changed: 'facts',
        update: (account) => applyAccountFacts(account, { name, clientType, ownerId, canceled, subscription, calendarKey }, occurredAt),
      };
    }
    case 'crm.account.canceled': {
      const occurredAt = new Date(envelope.occurredAt);
      return { accountId: envelope.data.accountId, changed: 'facts', update: (account) => applyAccountCanceled(account, occurredAt) };
    }
    case 'status.changed': {
      const { accountId, attributeKey, changeId, from, to, at, clock } = envelope.data;
      projectableKey(attributeKey, envelope.type);
      const input = { attributeKey, changeId, fromStageId: from?.id ?? null, toStageId: to?.id ?? null, at: new Date(at), clock };
      return { accountId, changed: { attributeKey }, update: (account) => applyStatusChanged(account, input) };
    }
    case 'lifecycle.completed': {
      const { accountId, attributeKey, changeId, completedAt } = envelope.data;
      projectableKey(attributeKey, envelope.type);
      const input = { attributeKey, changeId, completedAt: new Date(completedAt) };
      return { accountId, changed: { attributeKey }, update: (account) => applyLifecycleCompleted(account, input) };
    }
    case 'status.recomputed': {
      const { accountId, attributeKey, clock } = envelope.data;
      projectableKey(attributeKey, envelope.type);
      return { accountId, changed: { attributeKey }, update: (account) => applyStatusRecomputed(account, { attributeKey, clock }) };
    }
  }
}

/** The key becomes a document path (`lifecycle.<key>`): only catalog slugs are accepted (→ DLQ otherwise). */
function projectableKey(attributeKey: string, type: string): void {
  if (!ATTRIBUTE_KEY_PATTERN.test(attributeKey) || attributeKey.length > 64) {
    throw new SegmentError(
      SegmentErrorCode.UnprojectableEvent,
      `${type}: attribute key "${attributeKey.slice(0, 80)}" is not a catalog slug`,
    );
  }
}
