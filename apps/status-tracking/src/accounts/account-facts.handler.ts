import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import { AccountChanges } from './account-changes';
import { AccountFactsRepository } from './account-facts.repository';

/** Account facts from the CRM; `canceled` drives L10 on every read. */
@Controller()
export class AccountFactsHandler {
  private readonly logger = new Logger(AccountFactsHandler.name);

  constructor(
    private readonly accounts: AccountFactsRepository,
    private readonly changes: AccountChanges,
  ) {}

  @OnEvent('crm.account.upserted')
  async onUpserted(@Payload() envelope: Envelope<'crm.account.upserted'>): Promise<void> {
    const applied = await this.accounts.upsert(envelope.data, new Date(envelope.occurredAt));
    if (!applied) this.logger.debug(`account ${envelope.data.accountId}: event ${envelope.id} is older than the stored facts; ignored`);
    else await this.changes.changed(envelope.data.accountId);
  }

  @OnEvent('crm.account.canceled')
  async onCanceled(@Payload() envelope: Envelope<'crm.account.canceled'>): Promise<void> {
    const applied = await this.accounts.cancel(envelope.data.accountId, new Date(envelope.occurredAt));
    if (!applied)
      this.logger.debug(`account ${envelope.data.accountId}: cancellation ${envelope.id} is older than the stored facts; ignored`);
    else await this.changes.changed(envelope.data.accountId);
  }
}
