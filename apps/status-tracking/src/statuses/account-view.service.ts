import { Injectable, Logger } from '@nestjs/common';
import { CalendarReplica, type ResolvedCalendar } from '@lifecycle/messaging';
import { replay, sortHistory, type HistoryEntry, type LifecycleState, type Transition } from '@lifecycle/rules';
import { AccountFactsRepository, type AccountFacts } from '../accounts/account-facts.repository';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { businessView } from '../domain/business-view';
import { resolveStageRef, type LifecycleDefinition } from '../domain/lifecycle-definition';
import { attributeUnknown, stageUnknown } from '../domain/lifecycle-errors';
import { view } from '../domain/lifecycle-view';
import { accountNotFound, stageFilterWithoutAttribute } from '../domain/tracking-errors';
import type { ListAccountsQuery } from './dto/status.request';
import type {
  AccountPageResponse,
  AccountResponse,
  LifecycleResponse,
  StatusHistoryEntryResponse,
  StatusHistoryResponse,
} from './dto/status.response';
import { stageRef } from './lifecycle-events';
import { LifecycleStateRepository, type LifecycleStateRecord } from './lifecycle-state.repository';

/** Stage filter value meaning "no value" (the UI's "None"), unless a stage is called that. */
const NO_VALUE = 'none';

/**
 * Reads. Every "Days in" figure is computed here from the stored timestamps at `now` (L9, L14:
 * never from the materialized counts), with null days for canceled accounts (L10).
 */
@Injectable()
export class AccountViewService {
  private readonly logger = new Logger(AccountViewService.name);

  constructor(
    private readonly replica: AttributeReplicaRepository,
    private readonly accounts: AccountFactsRepository,
    private readonly states: LifecycleStateRepository,
    private readonly calendars: CalendarReplica,
  ) {}

  /** 404 only when the account has neither CRM facts nor any lifecycle state. */
  async account(accountId: string): Promise<AccountResponse> {
    const definitions = await this.replica.all();
    const [facts, states] = await Promise.all([this.accounts.get(accountId), this.states.forAccount(accountId, [...definitions.keys()])]);
    if (!facts && states.length === 0) throw accountNotFound(accountId);
    return this.accountView(accountId, facts, states, definitions, await this.calendars.resolve(facts?.calendarKey), new Date());
  }

  async list(query: ListAccountsQuery): Promise<AccountPageResponse> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const skip = (page - 1) * pageSize;
    const now = new Date();

    let accountIds: string[];
    let total: number;
    if (query.attribute !== undefined) {
      const def = await this.replica.get(query.attribute);
      if (!def) throw attributeUnknown(query.attribute, await this.replica.activeKeys());
      const stageId = query.stage === undefined ? undefined : this.stageFilter(def, query.stage);
      ({ accountIds, total } = await this.states.pageAccountsByAttribute(def.key, stageId, skip, pageSize));
    } else {
      if (query.stage !== undefined) throw stageFilterWithoutAttribute();
      // Without an attribute the list is the CRM's accounts.
      const facts = await this.accounts.page(skip, pageSize);
      accountIds = facts.items.map((f) => f.accountId);
      total = facts.total;
    }

    const definitions = await this.replica.all();
    const keys = [...definitions.keys()];
    // The page's states are asked for at once: one merged query (`LifecycleStateRepository.get`).
    const [facts, states, calendarOf] = await Promise.all([
      this.accounts.getMany(accountIds),
      Promise.all(accountIds.map((id) => this.states.forAccount(id, keys))),
      this.calendars.snapshot(),
    ]);
    const items = accountIds.map((id, i) =>
      this.accountView(id, facts.get(id), states[i]!, definitions, calendarOf(facts.get(id)?.calendarKey), now),
    );
    return { items, page, pageSize, total };
  }

  /** L11: the entries in time order, each with the stage it left and the one it set. */
  async statusHistory(accountId: string, attributeKey: string): Promise<StatusHistoryResponse> {
    const def = await this.replica.get(attributeKey);
    if (!def) throw attributeUnknown(attributeKey, await this.replica.activeKeys());
    const entries = (await this.states.get(accountId, attributeKey))?.history ?? [];
    const byId = new Map(entries.map((e) => [e.changeId, e]));
    const transitions = new Map<string, Transition>(replay(def.stages, entries).transitions.map((t) => [t.changeId, t]));

    let current: string | null = null;
    const result: StatusHistoryEntryResponse[] = sortHistory(entries).map((change) => {
      const entry = byId.get(change.changeId)!;
      const t = transitions.get(change.changeId);
      const from = t ? t.from : current;
      const to = t ? t.to : current;
      current = to;
      return {
        changeId: entry.changeId,
        seq: entry.seq,
        from: stageRef(def, from),
        to: stageRef(def, to),
        at: entry.at.toISOString(),
        recordedAt: entry.recordedAt.toISOString(),
        source: entry.source,
        actor: entry.actor,
        requestId: entry.requestId,
        effective: t !== undefined,
        cause: t?.cause ?? null,
        cycle: t?.cycle ?? null,
      };
    });
    return { accountId, attributeKey, entries: result };
  }

  /**
   * The PUT answer: whether the account is canceled (L10; unknown to the CRM = not canceled) and
   * the lifecycle of the pair as the write left it — its fold and history, from which the
   * business-day figures (B2) and the SLA (B3) are computed — with one read of the account's facts.
   */
  async afterWrite(
    accountId: string,
    def: LifecycleDefinition,
    state: LifecycleState,
    history: readonly HistoryEntry[],
    now: Date,
  ): Promise<{ canceled: boolean; lifecycle: LifecycleResponse }> {
    const facts = await this.accounts.get(accountId);
    const calendar = await this.calendars.resolve(facts?.calendarKey);
    const canceled = facts?.canceled ?? false;
    return { canceled, lifecycle: this.lifecycleView(def, state, history, canceled, calendar, now) };
  }

  lifecycleView(
    def: LifecycleDefinition,
    state: LifecycleState,
    history: readonly HistoryEntry[],
    canceled: boolean,
    calendar: ResolvedCalendar,
    now: Date,
  ): LifecycleResponse {
    const v = view(def, state, now, { canceled });
    const business = businessView(def, history, now, calendar.calendar, { canceled });
    return {
      stage: v.stage,
      cycle: v.cycle,
      completedCycles: v.completedCycles,
      completed: v.completed,
      cycleStartedAt: v.cycleStartedAt?.toISOString() ?? null,
      stageEnteredAt: v.stageEnteredAt?.toISOString() ?? null,
      lastCompletedAt: v.lastCompletedAt?.toISOString() ?? null,
      daysInAttribute: v.daysInAttribute,
      msInAttribute: v.msInAttribute,
      businessDaysInAttribute: business.businessDaysInAttribute,
      businessDaysInStage: business.businessDaysInStage,
      stages: v.stages.map((stage) => ({ ...stage, businessDays: business.businessDays.get(stage.id) ?? null })),
      sla: {
        ...business.sla,
        atRiskAt: business.sla.atRiskAt?.toISOString() ?? null,
        dueAt: business.sla.dueAt?.toISOString() ?? null,
      },
    };
  }

  private accountView(
    accountId: string,
    facts: AccountFacts | undefined,
    states: readonly LifecycleStateRecord[],
    definitions: ReadonlyMap<string, LifecycleDefinition>,
    calendar: ResolvedCalendar,
    now: Date,
  ): AccountResponse {
    const canceled = facts?.canceled ?? false;
    const lifecycle: Record<string, LifecycleResponse> = {};
    for (const record of [...states].sort((a, b) => a.attributeKey.localeCompare(b.attributeKey))) {
      const def = definitions.get(record.attributeKey);
      if (!def) {
        this.logger.warn(`state ${record.id} refers to attribute ${record.attributeKey}, which the replica does not hold`);
        continue;
      }
      lifecycle[record.attributeKey] = this.lifecycleView(def, record.state, record.history, canceled, calendar, now);
    }
    return {
      accountId,
      name: facts?.name ?? null,
      clientType: facts?.clientType ?? null,
      ownerId: facts?.ownerId ?? null,
      canceled,
      subscription: facts?.subscription ?? null,
      calendarKey: facts?.calendarKey ?? null,
      createdAt: facts?.createdAt ?? null,
      lifecycle,
    };
  }

  private stageFilter(def: LifecycleDefinition, ref: string): string | null {
    const stage = resolveStageRef(def, ref);
    if (stage) return stage.id;
    if (ref.trim().toLowerCase() === NO_VALUE) return null;
    throw stageUnknown(def, ref);
  }
}
