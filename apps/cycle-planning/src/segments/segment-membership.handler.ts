import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import { PlayRunner } from '../plays/play-runner.service';
import { SegmentMembershipRepository } from './segment-membership.repository';

/**
 * C13 by segment: the members of saved segments, kept from `segment.membership` (S6: never asked
 * for); an entry is also a play trigger (P1).
 */
@Controller()
export class SegmentMembershipHandler {
  constructor(
    private readonly members: SegmentMembershipRepository,
    private readonly plays: PlayRunner,
  ) {}

  @OnEvent('segment.entered')
  async onEntered(@Payload() envelope: Envelope<'segment.entered'>): Promise<void> {
    const occurredAt = new Date(envelope.occurredAt);
    await this.members.record(envelope.data.segmentId, envelope.data.accountId, true, occurredAt);
    await this.plays.onOccurrence({
      type: 'segment.entered',
      eventId: envelope.id,
      occurredAt,
      accountId: envelope.data.accountId,
      segmentId: envelope.data.segmentId,
    });
  }

  @OnEvent('segment.exited')
  async onExited(@Payload() envelope: Envelope<'segment.exited'>): Promise<void> {
    await this.members.record(envelope.data.segmentId, envelope.data.accountId, false, new Date(envelope.occurredAt));
  }
}
