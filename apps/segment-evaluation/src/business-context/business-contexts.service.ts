import { Injectable } from '@nestjs/common';
import { CalendarReplica } from '@lifecycle/messaging';
import type { BusinessCalendar } from '@lifecycle/rules';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import type { BusinessContext } from '../domain/business-context';

/** How long one snapshot of both replicas serves reads (another instance's replica changes arrive here through its feed only). */
const MAX_AGE_MS = 5_000;

/**
 * B2/B3/B5: the business context every evaluation reads — the attributes' stages with their SLAs
 * and the calendars — as one in-memory snapshot of the two replicas, taken again after a
 * replica change in this process or after `MAX_AGE_MS`. A snapshot is two small reads, never one
 * per account.
 */
@Injectable()
export class BusinessContexts {
  private cached: { at: number; context: Promise<BusinessContext> } | null = null;

  constructor(
    private readonly attributes: AttributeReplicaRepository,
    private readonly calendars: CalendarReplica,
  ) {
    const invalidate = (): Promise<void> => {
      this.cached = null;
      return Promise.resolve();
    };
    attributes.onChange(invalidate);
    calendars.onChange(invalidate);
  }

  current(): Promise<BusinessContext> {
    const now = Date.now();
    if (this.cached === null || now - this.cached.at > MAX_AGE_MS) {
      const context = this.load();
      this.cached = { at: now, context };
      // A failed read is not kept: the next call reads again.
      context.catch(() => {
        if (this.cached?.context === context) this.cached = null;
      });
    }
    return this.cached.context;
  }

  private async load(): Promise<BusinessContext> {
    const [stagesByAttribute, resolve] = await Promise.all([this.attributes.slaStages(), this.calendars.snapshot()]);
    const calendars = new Map<string, BusinessCalendar>();
    const byKey = (key: string | null): BusinessCalendar => {
      const cacheKey = key ?? '';
      let calendar = calendars.get(cacheKey);
      if (calendar === undefined) {
        calendar = resolve(key).calendar;
        calendars.set(cacheKey, calendar);
      }
      return calendar;
    };
    return { calendarOf: byKey, stagesOf: (attributeKey) => stagesByAttribute.get(attributeKey) };
  }
}
