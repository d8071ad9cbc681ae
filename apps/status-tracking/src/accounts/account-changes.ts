import { Injectable } from '@nestjs/common';

/**
 * Account facts that changed (CRM `crm.accounts`), for what derives from them in this process:
 * B3/B4 depend on `canceled` and `calendarKey`. Listeners run before the event is acknowledged;
 * their errors make it retried.
 */
@Injectable()
export class AccountChanges {
  private readonly listeners: ((accountId: string) => Promise<void>)[] = [];

  subscribe(listener: (accountId: string) => Promise<void>): void {
    this.listeners.push(listener);
  }

  async changed(accountId: string): Promise<void> {
    for (const listener of this.listeners) await listener(accountId);
  }
}
