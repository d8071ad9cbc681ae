import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ATTRIBUTE_KEY_PATTERN } from '@lifecycle/contracts';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import {
  applyAccountCanceled,
  applyAccountFacts,
  applyLifecycleCompleted,
  applyStatusChanged,
  applyStatusRecomputed,
} from '../domain/projection-updates';
import { SegmentError, SegmentErrorCode } from '../domain/segment-errors';
import { ProjectionWriter } from './projection.writer';

/**
 * S6: the projection is fed by events only — account facts from `crm.accounts`, lifecycle state
 * from `lifecycle.status` (the clock each event carries) — one atomic write per event and account.
 */
@Controller()
export class ProjectionHandler {
  constructor(private readonly writer: ProjectionWriter) {}

  @OnEvent('crm.account.upserted')
  async onAccountUpserted(@Payload() envelope: Envelope<'crm.account.upserted'>): Promise<void> {
    const { accountId, name, clientType, ownerId, canceled, subscription, calendarKey } = envelope.data;
    const occurredAt = new Date(envelope.occurredAt);
    await this.writer.applyEvent(accountId, 'facts', (account) =>
      applyAccountFacts(account, { name, clientType, ownerId, canceled, subscription, calendarKey }, occurredAt),
    );
  }

  @OnEvent('crm.account.canceled')
  async onAccountCanceled(@Payload() envelope: Envelope<'crm.account.canceled'>): Promise<void> {
    const occurredAt = new Date(envelope.occurredAt);
    await this.writer.applyEvent(envelope.data.accountId, 'facts', (account) => applyAccountCanceled(account, occurredAt));
  }

  @OnEvent('status.changed')
  async onStatusChanged(@Payload() envelope: Envelope<'status.changed'>): Promise<void> {
    const { accountId, attributeKey, changeId, from, to, at, clock } = envelope.data;
    projectableKey(attributeKey, envelope.type);
    await this.writer.applyEvent(accountId, { attributeKey }, (account) =>
      applyStatusChanged(account, {
        attributeKey,
        changeId,
        fromStageId: from?.id ?? null,
        toStageId: to?.id ?? null,
        at: new Date(at),
        clock,
      }),
    );
  }

  @OnEvent('lifecycle.completed')
  async onLifecycleCompleted(@Payload() envelope: Envelope<'lifecycle.completed'>): Promise<void> {
    const { accountId, attributeKey, changeId, completedAt } = envelope.data;
    projectableKey(attributeKey, envelope.type);
    await this.writer.applyEvent(accountId, { attributeKey }, (account) =>
      applyLifecycleCompleted(account, { attributeKey, changeId, completedAt: new Date(completedAt) }),
    );
  }

  @OnEvent('status.recomputed')
  async onStatusRecomputed(@Payload() envelope: Envelope<'status.recomputed'>): Promise<void> {
    const { accountId, attributeKey, clock } = envelope.data;
    projectableKey(attributeKey, envelope.type);
    await this.writer.applyEvent(accountId, { attributeKey }, (account) => applyStatusRecomputed(account, { attributeKey, clock }));
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
