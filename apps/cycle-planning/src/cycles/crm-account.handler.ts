import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import { AccountSyncService } from './account-sync.service';

/** Account facts from the CRM: event time = occurredAt; the event id is deduplicated upstream. */
@Controller()
export class CrmAccountHandler {
  constructor(private readonly sync: AccountSyncService) {}

  @OnEvent('crm.account.upserted')
  async onUpserted(@Payload() envelope: Envelope<'crm.account.upserted'>): Promise<void> {
    await this.sync.upserted(envelope.data, new Date(envelope.occurredAt));
  }

  @OnEvent('crm.account.canceled')
  async onCanceled(@Payload() envelope: Envelope<'crm.account.canceled'>): Promise<void> {
    await this.sync.canceled(envelope.data.accountId, new Date(envelope.occurredAt));
  }
}
