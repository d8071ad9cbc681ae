import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { aggregateKey, StatusPairRef } from '@lifecycle/contracts';
import {
  applyPerKey,
  HeaderFilters,
  KEYS_IN_FLIGHT,
  OnEvent,
  OnEventRun,
  type ConsumedEvent,
  type Envelope,
  type EventOutcome,
  type HeaderText,
} from '@lifecycle/messaging';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import type { LifecycleDefinition } from '../domain/lifecycle-definition';
import { SlaTimersQueue } from './sla-timers.queue';
import { SlaTrackerService } from './sla-tracker.service';

/**
 * B4: this service's own `lifecycle.status` and `lifecycle.ticks` as the SLA's triggers. A status
 * change or a refold (L11) is a look at the pair; the day roll sweeps every pair (the timers'
 * backstop). Reading its own events keeps the SLA out of the command path entirely.
 *
 * A look reads the pair's current state, so a run of events asks for one look per pair, after its
 * last event, and none for an attribute without stage SLAs (nothing to publish; adding SLAs later
 * sweeps the attribute's pairs). Looks are idempotent: a redelivery needs no applied-id record.
 * A look needs the pair only, so only the pair of each event is validated and read; and a record
 * whose `attribute-key` header names an attribute without stage SLAs is passed over unparsed
 * (`HeaderFilters`): the same judgement as after parsing, made before it.
 */
@Controller()
export class SlaTriggersHandler {
  constructor(
    private readonly tracker: SlaTrackerService,
    private readonly timers: SlaTimersQueue,
    private readonly replica: AttributeReplicaRepository,
    filters: HeaderFilters,
  ) {
    filters.add('status.changed', (headers) => this.withoutSlas(headers));
    filters.add('status.recomputed', (headers) => this.withoutSlas(headers));
  }

  @OnEventRun('status.changed', { redeliverySafe: true, reads: StatusPairRef })
  onStatusChanges(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    return this.lookAfter(events);
  }

  @OnEventRun('status.recomputed', { redeliverySafe: true, reads: StatusPairRef })
  onStatusRecomputes(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    return this.lookAfter(events);
  }

  @OnEvent('day.rolled')
  async onDayRolled(@Payload() envelope: Envelope<'day.rolled'>): Promise<void> {
    await this.timers.sweep(`day-${envelope.data.day}`);
  }

  /** For each record's headers, whether its attribute (known) has no stage SLAs: no look to take. */
  private async withoutSlas(headers: readonly HeaderText[]): Promise<boolean[]> {
    const keys = headers.map((h) => h['attribute-key']);
    const definitions = await this.replica.getMany(keys.filter((key) => key !== undefined));
    return keys.map((key) => key !== undefined && !hasStageSlas(definitions.get(key)));
  }

  /** One look per (account, attribute) with stage SLAs, after the pair's last event of the run. */
  private async lookAfter(events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    const pairOf = (event: ConsumedEvent) => {
      const data = event.envelope.data as StatusPairRef;
      return { accountId: data.accountId, attributeKey: data.attributeKey };
    };
    const definitions = await this.replica.getMany(events.map((e) => pairOf(e).attributeKey));
    const lastOfPair = new Map<string, number>();
    events.forEach((event, i) => {
      const { accountId, attributeKey } = pairOf(event);
      lastOfPair.set(`${accountId}|${attributeKey}`, i);
    });
    const looks = [...lastOfPair.values()]
      .sort((a, b) => a - b)
      .filter((i) => hasStageSlas(definitions.get(pairOf(events[i]!).attributeKey)));
    const outcomes: EventOutcome[] = events.map(() => ({ kind: 'applied' }));
    const lookOutcomes = await applyPerKey(
      looks.map((i) => events[i]!),
      async (event) => {
        const { accountId, attributeKey } = pairOf(event);
        await this.tracker.look(accountId, attributeKey);
      },
      KEYS_IN_FLIGHT,
    );
    looks.forEach((eventIndex, k) => {
      outcomes[eventIndex] = lookOutcomes[k]!;
    });
    // The later events of a key whose look failed wait with it (the consumer keeps a key's order).
    const firstFailed = new Map<string, number>();
    looks.forEach((i, k) => {
      const key = aggregateKey(events[i]!.envelope);
      if (lookOutcomes[k]!.kind !== 'applied' && !firstFailed.has(key)) firstFailed.set(key, i);
    });
    events.forEach((event, i) => {
      const failedAt = firstFailed.get(aggregateKey(event.envelope));
      if (failedAt !== undefined && i > failedAt && outcomes[i]!.kind === 'applied') outcomes[i] = { kind: 'blocked' };
    });
    return outcomes;
  }
}

/** Whether an attribute (unknown: none) has a stage with an SLA, the only stages a look judges. */
function hasStageSlas(definition: LifecycleDefinition | undefined): boolean {
  return definition?.stages.some((s) => s.sla) ?? false;
}
