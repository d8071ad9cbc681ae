import { Controller, Injectable, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { Collection } from 'mongodb';
import { DEFAULT_CALENDAR_KEY, type CalendarPayload } from '@lifecycle/contracts';
import { MONDAY_TO_FRIDAY_UTC, type BusinessCalendar } from '@lifecycle/rules';
import { Storage, upsertIfNewerVersion } from '@lifecycle/storage';
import { OnEvent, type Envelope } from './kafka-event.server';
import { ReplicaMemo } from './replica-memo';

/**
 * `calendars`: a consuming service's replica of the catalog's business calendars (B1:
 * event-carried state, like attributes), one document per calendar key holding the highest
 * `version` seen, deletions included. Rebuilt from `lifecycle.calendars` alone.
 */
export const CALENDAR_REPLICA_COLLECTION = 'calendars';

export interface CalendarReplicaDocument {
  _id: string;
  name: string;
  workingWeekdays: number[];
  holidays: string[];
  timeZone: string;
  version: number;
  deleted: boolean;
  updatedAt: string;
  replicatedAt: Date;
}

/** A calendar an account is counted on, with the key it resolved to. */
export interface ResolvedCalendar {
  /** The calendar's key; `default` when the account names none or one that does not exist. */
  key: string;
  calendar: BusinessCalendar;
  /** The catalog version, 0 for the built-in fallback (before the catalog's default has arrived). */
  version: number;
}

/** Called after a calendar change is stored, to derive again what depends on it. */
export type CalendarChangeListener = (key: string) => Promise<void>;

@Injectable()
export class CalendarReplica {
  private readonly collection: Collection<CalendarReplicaDocument>;
  private readonly listeners: CalendarChangeListener[] = [];

  /** Every request that counts business days resolves a calendar: answered from memory, see `ReplicaMemo`. */
  private readonly memo: ReplicaMemo<(calendarKey: string | null | undefined) => ResolvedCalendar>;

  constructor(storage: Storage) {
    this.collection = storage.collection<CalendarReplicaDocument>(CALENDAR_REPLICA_COLLECTION);
    this.memo = new ReplicaMemo(async () => {
      const docs = await this.collection.find({}).toArray();
      const byKey = new Map(docs.filter((d) => !d.deleted).map((d) => [d._id, toResolved(d)]));
      const fallback = byKey.get(DEFAULT_CALENDAR_KEY) ?? { key: DEFAULT_CALENDAR_KEY, calendar: MONDAY_TO_FRIDAY_UTC, version: 0 };
      return (calendarKey) => (calendarKey ? byKey.get(String(calendarKey)) : undefined) ?? fallback;
    });
  }

  /** Keeps the calendar only if its version is newer than the stored one; whether it was stored. */
  async upsertIfNewer(payload: CalendarPayload): Promise<boolean> {
    const stored = await upsertIfNewerVersion(this.collection, payload.key, {
      name: payload.name,
      workingWeekdays: payload.workingWeekdays,
      holidays: payload.holidays,
      timeZone: payload.timeZone,
      version: payload.version,
      deleted: payload.deleted,
      updatedAt: payload.updatedAt,
      replicatedAt: new Date(),
    }).finally(() => this.memo.invalidate()); // before the listeners: they derive from the calendar just stored
    // Also when not newer: a redelivery after a listener failed must derive again (deriving is idempotent).
    for (const listener of this.listeners) await listener(payload.key);
    return stored;
  }

  /** B1: re-derive what depends on a calendar whenever it changes (the listener's errors make the event retried). */
  onChange(listener: CalendarChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * B1: the calendar an account is counted on — the one it names, else the default calendar;
   * before the catalog's default has arrived, Monday to Friday in UTC (what the catalog creates).
   */
  async resolve(calendarKey: string | null | undefined): Promise<ResolvedCalendar> {
    return (await this.memo.get())(calendarKey);
  }

  /** Every calendar at once, for work over many accounts: `resolve` without awaiting each account. */
  async snapshot(): Promise<(calendarKey: string | null | undefined) => ResolvedCalendar> {
    return this.memo.get();
  }

  async list(): Promise<CalendarReplicaDocument[]> {
    return this.collection.find({}).sort({ _id: 1 }).toArray();
  }
}

function toResolved(doc: CalendarReplicaDocument): ResolvedCalendar {
  return {
    key: doc._id,
    calendar: { workingWeekdays: doc.workingWeekdays, holidays: doc.holidays, timeZone: doc.timeZone },
    version: doc.version,
  };
}

/** B1: every catalog change carries the full calendar; the replica keeps the newest version. */
@Controller()
export class CalendarReplicaHandler {
  private readonly logger = new Logger(CalendarReplicaHandler.name);

  constructor(private readonly replica: CalendarReplica) {}

  @OnEvent('calendar.created')
  async onCreated(@Payload() envelope: Envelope<'calendar.created'>): Promise<void> {
    await this.keep(envelope);
  }

  @OnEvent('calendar.updated')
  async onUpdated(@Payload() envelope: Envelope<'calendar.updated'>): Promise<void> {
    await this.keep(envelope);
  }

  @OnEvent('calendar.deleted')
  async onDeleted(@Payload() envelope: Envelope<'calendar.deleted'>): Promise<void> {
    await this.keep(envelope);
  }

  private async keep(envelope: Envelope<'calendar.created' | 'calendar.updated' | 'calendar.deleted'>): Promise<void> {
    const stored = await this.replica.upsertIfNewer(envelope.data);
    if (!stored) this.logger.debug(`calendar ${envelope.data.key} v${envelope.data.version} is not newer than the replica; ignored`);
  }
}
