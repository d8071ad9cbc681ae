import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEventRun, TurnBatcher, type ConsumedEvent, type Envelope, type EventOutcome } from '@lifecycle/messaging';
import { SetStatusCommand } from './set-status.command';
import { SetStatusUseCase, type SetStatusManyOutcome } from './set-status.use-case';

/**
 * CRM status updates (L12): the same command as REST and CSV; event time = occurredAt, the
 * idempotency key = the event id. A partition batch is one `executeMany` (bulk I/O). A refusal
 * (L1) fails its event alone with a LifecycleError: the consumer dead-letters it with the reason,
 * naming the allowed stages, and the later events of that account go on.
 */
@Controller()
export class CrmStatusHandler {
  /** The partition batches of one fetch applied together (`TurnBatcher`). */
  private readonly commands: TurnBatcher<SetStatusCommand, SetStatusManyOutcome>;

  constructor(setStatus: SetStatusUseCase) {
    this.commands = new TurnBatcher((commands) => setStatus.executeMany(commands));
  }

  // The idempotency key `crm:<event id>` recognizes a redelivered event (L12).
  @OnEventRun('crm.account.status.set', { redeliverySafe: true })
  async onStatusSets(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    const outcomes: EventOutcome[] = new Array(events.length);
    const commands: SetStatusCommand[] = [];
    const positions: number[] = [];
    events.forEach((event, i) => {
      const envelope = event.envelope as Envelope<'crm.account.status.set'>;
      try {
        commands.push(
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
        positions.push(i);
      } catch (error) {
        outcomes[i] = { kind: 'failed', error };
      }
    });
    const results = await this.commands.submit(commands);
    results.forEach((result, k) => {
      outcomes[positions[k]!] = result.ok
        ? { kind: 'applied' }
        : 'blocked' in result
          ? { kind: 'blocked' }
          : { kind: 'failed', error: result.error };
    });
    return outcomes;
  }
}
