import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEventRun, type ConsumedEvent, type Envelope, type EventOutcome } from '@lifecycle/messaging';
import { SegmentMembershipRepository } from './segment-membership.repository';

/**
 * C13 by segment: the members of saved segments, kept from `segment.membership` (S6: never asked
 * for). A batch's run of one type is one bulk write.
 */
@Controller()
export class SegmentMembershipHandler {
  constructor(private readonly members: SegmentMembershipRepository) {}

  @OnEventRun('segment.entered')
  onEntered(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    return this.record(events, true);
  }

  @OnEventRun('segment.exited')
  onExited(@Payload() events: readonly ConsumedEvent[]): Promise<EventOutcome[]> {
    return this.record(events, false);
  }

  private async record(events: readonly ConsumedEvent[], member: boolean): Promise<EventOutcome[]> {
    await this.members.recordMany(
      events.map(({ envelope }) => {
        const { segmentId, accountId } = (envelope as Envelope<'segment.entered' | 'segment.exited'>).data;
        return { segmentId, accountId, member, at: new Date(envelope.occurredAt) };
      }),
    );
    return events.map(() => ({ kind: 'applied' }));
  }
}
