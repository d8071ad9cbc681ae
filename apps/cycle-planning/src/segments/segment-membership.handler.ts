import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import { SegmentMembershipRepository } from './segment-membership.repository';

/** C13 by segment: the members of saved segments, kept from `segment.membership` (S6: never asked for). */
@Controller()
export class SegmentMembershipHandler {
  constructor(private readonly members: SegmentMembershipRepository) {}

  @OnEvent('segment.entered')
  async onEntered(@Payload() envelope: Envelope<'segment.entered'>): Promise<void> {
    await this.members.record(envelope.data.segmentId, envelope.data.accountId, true, new Date(envelope.occurredAt));
  }

  @OnEvent('segment.exited')
  async onExited(@Payload() envelope: Envelope<'segment.exited'>): Promise<void> {
    await this.members.record(envelope.data.segmentId, envelope.data.accountId, false, new Date(envelope.occurredAt));
  }
}
