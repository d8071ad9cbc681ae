import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import { CalendarReplica } from '@lifecycle/messaging';
import { stageSlaAt, type StageSlaReading } from '@lifecycle/rules';
import { AggregateLock } from '@lifecycle/storage';
import { AccountFactsRepository } from '../accounts/account-facts.repository';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { crossingKey, decideSla } from '../domain/sla-decision';
import { concurrentUpdate } from '../domain/tracking-errors';
import { LifecycleStateRepository } from '../statuses/lifecycle-state.repository';
import { lifecycleStateId } from '../statuses/lifecycle-state.schema';
import { slaCrossedEvent } from './sla-events';
import { SlaOutbox } from './sla-outbox';
import { SlaTimersQueue } from './sla-timers.queue';
import { PUBLISHED_KEPT } from './sla-watch.schema';
import { SlaWatchRepository } from './sla-watch.repository';

const MAX_ATTEMPTS = 8;

export interface SlaLook {
  reading: StageSlaReading;
  /** Crossings published by this look. */
  published: number;
  nextAt: Date | null;
}

/**
 * B4: looks at one (account, attribute)'s SLA — from the stored state's history, the attribute's
 * stage SLAs, the account's calendar and cancellation — publishes the crossings that are due and
 * not published yet for the current stage entry, and asks for a look again at the next one.
 *
 * Exactly once: the watch document records the published crossings and queues their events in
 * the same single-document write (version condition, under the pair's lock), and the event ids
 * are name-based on (stage entry, threshold). Looks are idempotent, so every trigger may ask for
 * one: a status change on `lifecycle.status`, the timer at a crossing instant, a change of the
 * account's facts, the daily tick, an SLA or calendar edit.
 */
@Injectable()
export class SlaTrackerService {
  private readonly logger = new Logger(SlaTrackerService.name);

  constructor(
    private readonly replica: AttributeReplicaRepository,
    private readonly states: LifecycleStateRepository,
    private readonly accounts: AccountFactsRepository,
    private readonly calendars: CalendarReplica,
    private readonly watches: SlaWatchRepository,
    private readonly timers: SlaTimersQueue,
    private readonly locks: AggregateLock,
    private readonly outbox: SlaOutbox,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async look(accountId: string, attributeKey: string, now: Date = new Date()): Promise<SlaLook | null> {
    const id = lifecycleStateId(accountId, attributeKey);
    const look = await this.locks.run(`sla:${id}`, async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const result = await this.attempt(id, accountId, attributeKey, now);
        if (result !== 'retry') return result;
      }
      throw concurrentUpdate(accountId, attributeKey, MAX_ATTEMPTS);
    });
    if (look?.nextAt) await this.timers.lookAt(accountId, attributeKey, look.nextAt, now);
    return look;
  }

  /** Every attribute the account has a state of (its facts changed: cancellation, calendar). */
  async lookAtAccount(accountId: string, now: Date = new Date()): Promise<void> {
    const definitions = await this.replica.all();
    const withSla = [...definitions.values()].filter((def) => def.stages.some((s) => s.sla)).map((def) => def.key);
    for (const record of await this.states.forAccount(accountId, withSla)) await this.look(accountId, record.attributeKey, now);
  }

  private async attempt(id: string, accountId: string, attributeKey: string, now: Date): Promise<SlaLook | null | 'retry'> {
    const definition = await this.replica.get(attributeKey);
    if (!definition) return null;
    const [record, facts, watch] = await Promise.all([
      this.states.get(accountId, attributeKey),
      this.accounts.get(accountId),
      this.watches.get(id),
    ]);
    if (!record) return null;
    const calendar = await this.calendars.resolve(facts?.calendarKey);
    const reading = stageSlaAt(definition.stages, record.history, now, calendar.calendar, { canceled: facts?.canceled ?? false });
    const published = new Set(watch?.published ?? []);
    const decision = decideSla(reading, published, now);
    const entryChangeId = reading.entry?.changeId ?? null;

    const unchanged =
      watch !== undefined &&
      decision.emit.length === 0 &&
      watch.entryChangeId === entryChangeId &&
      (watch.nextAt?.getTime() ?? null) === (decision.nextAt?.getTime() ?? null);
    if (unchanged) return { reading, published: 0, nextAt: decision.nextAt };
    if (watch === undefined && entryChangeId === null) return { reading, published: 0, nextAt: null };

    const subject = { source: this.config.serviceName, accountId, attributeKey, definition, calendarKey: calendar.key };
    const events = decision.emit.map((crossing) => slaCrossedEvent(subject, reading, crossing));
    const keys = decision.emit.map((crossing) => crossingKey(entryChangeId!, crossing.threshold));
    const written = await this.watches.write(id, accountId, attributeKey, watch, {
      entryChangeId,
      published: [...published, ...keys].slice(-PUBLISHED_KEPT),
      nextAt: decision.nextAt,
      lookedAt: now,
      events,
    });
    if (!written) return 'retry';
    if (events.length > 0) {
      this.outbox.flushSoon(id);
      this.logger.log(`${id}: published ${keys.join(', ')}`);
    }
    return { reading, published: events.length, nextAt: decision.nextAt };
  }
}
