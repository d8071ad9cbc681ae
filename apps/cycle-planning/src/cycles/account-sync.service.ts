import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import type { AnyEnvelope, CrmAccountUpserted } from '@lifecycle/contracts';
import { AccountRepository, toSubscription, type AccountFacts } from '../accounts/account.repository';
import { recalculateForRenewal, setPrimary } from '../domain';
import { TemplatesService } from '../templates/templates.service';
import { AccountCyclesWriter, unchanged } from './account-cycles.writer';
import { newCycle } from './cycle-assignment';
import { CycleEvents } from './cycle-events';

/**
 * Account facts from the CRM (`crm.accounts`) into this service: the replica, a new account's
 * default cycle (C3), and the renewal-relative due dates when the subscription changes (C12).
 */
@Injectable()
export class AccountSyncService {
  private readonly events: CycleEvents;

  constructor(
    private readonly accounts: AccountRepository,
    private readonly writer: AccountCyclesWriter,
    private readonly templates: TemplatesService,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.events = new CycleEvents(config.serviceName);
  }

  /**
   * Order matters for redelivery: the account's cycles document is created (with its default
   * cycle) before the replica learns the account, and only if absent; so a redelivered or retried
   * event never assigns twice, and REST (which needs the replica) cannot get there first.
   */
  async upserted(facts: CrmAccountUpserted, occurredAt: Date): Promise<void> {
    await this.initialize(facts, occurredAt);
    if (await this.accounts.upsert(facts, occurredAt)) await this.sync(facts.accountId);
  }

  async canceled(accountId: string, occurredAt: Date): Promise<void> {
    if (await this.accounts.cancel(accountId, occurredAt)) await this.sync(accountId);
  }

  /**
   * C3: a new account gets its client type's default template (else the global default) as its
   * primary cycle, started on the account's creation date (else the event time). Decision: an
   * account that is canceled when first seen gets no cycle.
   */
  private async initialize(facts: CrmAccountUpserted, occurredAt: Date): Promise<void> {
    const account: AccountFacts = {
      accountId: facts.accountId,
      name: facts.name,
      clientType: facts.clientType ?? null,
      ownerId: facts.ownerId ?? null,
      canceled: facts.canceled ?? false,
      subscription: facts.subscription ? toSubscription(facts.subscription) : null,
      createdAt: facts.createdAt === undefined ? occurredAt : new Date(facts.createdAt),
    };
    const known = await this.accounts.get(facts.accountId);
    if (known !== undefined) return;
    const template = account.canceled ? null : await this.templates.defaultTemplateFor(account.clientType);
    await this.writer.change(
      facts.accountId,
      ({ record, dueDates, now }) => {
        if (record !== undefined) return unchanged(undefined);
        if (template === null) return { cycles: [], events: [], result: undefined };
        const created = newCycle(template, facts.accountId, account, account.createdAt, now, dueDates);
        const cycles = setPrimary([created], created.cycleId).cycles;
        const events: AnyEnvelope[] = [
          this.events.assigned(cycles[0]!, now),
          this.events.primaryChanged(facts.accountId, created.cycleId, null, now),
        ];
        return { cycles, events, result: undefined };
      },
      { facts: { value: account } },
    );
  }

  /**
   * C12: renewal-relative due dates of incomplete items of the active cycles follow the
   * subscription held now (a no-op when it did not change, so a redelivered event is harmless);
   * the owner and canceled flag the queries use are refreshed in the same write.
   */
  private async sync(accountId: string): Promise<void> {
    await this.writer.change(accountId, ({ cycles, account, dueDates, now }) => {
      const events: AnyEnvelope[] = [];
      const next = cycles.map((cycle) => {
        const { cycle: recalculated, changes } = recalculateForRenewal(cycle, account?.subscription ?? null, dueDates);
        if (changes.length > 0) events.push(this.events.dueDatesRecalculated(recalculated, 'renewal-date-changed', now));
        return recalculated;
      });
      return events.length === 0 ? unchanged(undefined) : { cycles: next, events, result: undefined };
    });
  }
}
