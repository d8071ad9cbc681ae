import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import { DEFAULT_CALENDAR_KEY } from '@lifecycle/contracts';
import { buildEnvelope, type AnyEnvelope } from '@lifecycle/messaging';
import { Outbox } from '@lifecycle/storage';
import {
  createCalendar,
  deleteCalendar,
  initialDefaultCalendar,
  updateCalendar,
  type Calendar,
  type CalendarChange,
  type CalendarPatch,
  type NewCalendar,
} from '../domain/calendar';
import { CalendarError, CalendarErrorCode, calendarModifiedConcurrently, calendarNotFound } from '../domain/calendar-errors';
import { CalendarsRepository } from './calendars.repository';

/**
 * B1 use cases: load, apply one pure command, store it as the next version with its event, let
 * the outbox publish it on `lifecycle.calendars`. The default calendar is created at start when
 * it does not exist yet, so there is always one.
 */
@Injectable()
export class CalendarsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CalendarsService.name);

  constructor(
    private readonly repository: CalendarsRepository,
    private readonly outbox: Outbox,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.repository.find(DEFAULT_CALENDAR_KEY)) return;
    try {
      await this.create(initialDefaultCalendar());
      this.logger.log(`created the default calendar "${DEFAULT_CALENDAR_KEY}" (Monday to Friday, UTC)`);
    } catch (e) {
      // Another instance created it first.
      if (!(e instanceof CalendarError && e.code === CalendarErrorCode.CalendarAlreadyExists)) throw e;
    }
  }

  async create(input: NewCalendar): Promise<Calendar> {
    const previous = await this.repository.find(input.key);
    return this.store(createCalendar(input, previous, new Date()), input.key);
  }

  async list(): Promise<Calendar[]> {
    return (await this.repository.all()).filter((c) => !c.deleted);
  }

  async get(key: string): Promise<Calendar> {
    const calendar = await this.repository.find(key);
    if (!calendar || calendar.deleted) throw calendarNotFound(key);
    return calendar;
  }

  async update(key: string, patch: CalendarPatch): Promise<Calendar> {
    return this.store(updateCalendar(await this.get(key), patch, new Date()), key);
  }

  async delete(key: string): Promise<Calendar> {
    return this.store(deleteCalendar(await this.get(key), new Date()), key);
  }

  private async store(change: CalendarChange, key: string): Promise<Calendar> {
    if (!change.event) return change.calendar; // nothing changed: no version, no event
    const envelope = buildEnvelope(this.config.serviceName, change.event.type, change.event.data, {
      occurredAt: new Date(change.calendar.updatedAt),
    }) as AnyEnvelope;
    const stored = await this.repository.store(change.calendar, envelope);
    if (!stored) {
      if (change.event.type === 'calendar.created') {
        throw new CalendarError(CalendarErrorCode.CalendarAlreadyExists, `A calendar with key "${key}" already exists`, { key });
      }
      throw calendarModifiedConcurrently(key);
    }
    this.outbox.flushSoon(stored.revisionId, key);
    return change.calendar;
  }
}
