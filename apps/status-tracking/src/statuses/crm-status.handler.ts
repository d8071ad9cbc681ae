import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import { SetStatusCommand } from './set-status.command';
import { SetStatusUseCase } from './set-status.use-case';

/**
 * CRM status updates (L12): the same command as REST and CSV; event time = occurredAt, the
 * idempotency key = the event id. A refusal (L1) throws a LifecycleError: the consumer
 * dead-letters the message with the reason, naming the allowed stages.
 */
@Controller()
export class CrmStatusHandler {
  constructor(private readonly setStatus: SetStatusUseCase) {}

  @OnEvent('crm.account.status.set')
  async onStatusSet(@Payload() envelope: Envelope<'crm.account.status.set'>): Promise<void> {
    await this.setStatus.execute(
      SetStatusCommand.create({
        accountId: envelope.data.accountId,
        attributeKey: envelope.data.attributeKey,
        stage: envelope.data.stage,
        at: new Date(envelope.occurredAt),
        source: 'crm',
        idempotencyKey: `crm:${envelope.id}`,
        actor: envelope.source,
        requestId: envelope.id,
      }),
    );
  }
}
