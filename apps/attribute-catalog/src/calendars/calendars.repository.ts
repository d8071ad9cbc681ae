import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/messaging';
import { insertUnique, Storage, upsertIfNewerVersion } from '@lifecycle/storage';
import type { Calendar } from '../domain/calendar';
import {
  CALENDAR_REVISIONS_COLLECTION,
  CALENDARS_COLLECTION,
  calendarRevisionId,
  type CalendarRecord,
  type CalendarRevisionRecord,
} from './calendar.schema';

/**
 * Storage of the calendar aggregate (B1), in two writes per change, both safe without
 * transactions or atomic updates:
 *  1. insert revision `<key>@<version>` — the unique insert is the compare-and-set: of two changes
 *     of one version exactly one gets here;
 *  2. `calendars` (`_id` = key) follows the revisions by version (`upsertIfNewerVersion`), so a
 *     reader that finds a newer revision can bring it forward at any time without racing the writer.
 * Reads look one revision ahead by `_id` and roll forward what a crash between 1 and 2 left.
 */
@Injectable()
export class CalendarsRepository {
  private readonly calendars: Collection<CalendarRecord>;
  private readonly revisions: Collection<CalendarRevisionRecord>;

  constructor(storage: Storage) {
    this.calendars = storage.collection<CalendarRecord>(CALENDARS_COLLECTION);
    this.revisions = storage.collection<CalendarRevisionRecord>(CALENDAR_REVISIONS_COLLECTION);
  }

  /** The latest version of a key, deleted or not; null when the key was never used. */
  async find(key: string): Promise<Calendar | null> {
    const record = await this.calendars.findOne({ _id: key });
    return this.rollForward(key, record ? toCalendar(record) : null);
  }

  /** Every calendar ever created (deleted ones included), by key. Calendars are few: a scan. */
  async all(): Promise<Calendar[]> {
    const records = await this.calendars.find({}).sort({ _id: 1 }).toArray();
    return Promise.all(records.map((record) => this.rollForward(record._id, toCalendar(record)).then((c) => c!)));
  }

  /** Stores the next version with its event; null when another change took that version first. */
  async store(calendar: Calendar, event: AnyEnvelope): Promise<{ revisionId: string } | null> {
    const revisionId = calendarRevisionId(calendar.key, calendar.version);
    const inserted = await insertUnique(this.revisions, {
      _id: revisionId,
      key: calendar.key,
      version: calendar.version,
      calendar,
      recordedAt: new Date().toISOString(),
      outbox: [event],
    });
    if (!inserted) return null;
    await this.keepCurrent(calendar);
    return { revisionId };
  }

  private async rollForward(key: string, current: Calendar | null): Promise<Calendar | null> {
    let latest = current;
    for (;;) {
      const next = await this.revisions.findOne({ _id: calendarRevisionId(key, (latest?.version ?? 0) + 1) });
      if (!next) return latest;
      await this.keepCurrent(next.calendar);
      latest = next.calendar;
    }
  }

  private async keepCurrent(calendar: Calendar): Promise<void> {
    const { key, ...fields } = calendar;
    await upsertIfNewerVersion(this.calendars, key, {
      ...fields,
      holidays: [...fields.holidays],
      workingWeekdays: [...fields.workingWeekdays],
    });
  }
}

function toCalendar(record: CalendarRecord): Calendar {
  const { _id, ...fields } = record;
  return { ...fields, key: _id };
}
