import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { applyPerKey, KEYS_IN_FLIGHT, OnEventRun, type ConsumedEvent, type Envelope, type EventOutcome } from '@lifecycle/messaging';
import { PlayRunner } from '../plays/play-runner.service';
import { SegmentMembershipRepository } from './segment-membership.repository';

/**
 * C13 by segment: the members of saved segments, kept from `segment.membership` (S6: never asked
 * for). A batch's run of one type is one bulk write; an entry is also a play trigger (P1), run
 * event by event in order per account after the write (a failure is its event's alone).
 */
@Controller()
export class SegmentMembershipHandler {
  constructor(
    private readonly members: SegmentMembershipRepository,
    private readonly plays: PlayRunner,
  ) {}

  @OnEventRun('segment.entered')
  async onEntered(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    await this.record(events, true);
    return applyPerKey(
      events,
      async ({ envelope }) => {
        const { segmentId, accountId } = (envelope as Envelope<'segment.entered'>).data;
        await this.plays.onOccurrence({
          type: 'segment.entered',
          eventId: envelope.id,
          occurredAt: new Date(envelope.occurredAt),
          accountId,
          segmentId,
        });
      },
      KEYS_IN_FLIGHT,
    );
  }

  @OnEventRun('segment.exited')
  async onExited(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    await this.record(events, false);
    return events.map(() => ({ kind: 'applied' }));
  }

  private async record(events: readonly ConsumedEvent[], member: boolean): Promise<void> {
    await this.members.recordMany(
      events.map(({ envelope }) => {
        const { segmentId, accountId } = (envelope as Envelope<'segment.entered' | 'segment.exited'>).data;
        return { segmentId, accountId, member, at: new Date(envelope.occurredAt) };
      }),
    );
  }
}
