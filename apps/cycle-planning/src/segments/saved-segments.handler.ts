import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import { SavedSegmentRepository } from './saved-segment.repository';

/** The saved segments' names and versions (`segment.definitions`): what plays may name (P1). */
@Controller()
export class SavedSegmentsHandler {
  constructor(private readonly segments: SavedSegmentRepository) {}

  @OnEvent('segment.saved')
  async onSaved(@Payload() envelope: Envelope<'segment.saved'>): Promise<void> {
    await this.segments.upsertIfNewer(envelope.data);
  }
}
