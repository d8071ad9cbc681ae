import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent, type Envelope } from '@lifecycle/messaging';
import { AttributeReplicaRepository } from './attribute-replica.repository';

/** A6: every catalog change carries the full attribute; the replica keeps the newest version. */
@Controller()
export class AttributeReplicaHandler {
  private readonly logger = new Logger(AttributeReplicaHandler.name);

  constructor(private readonly replica: AttributeReplicaRepository) {}

  @OnEvent('attribute.created')
  async onCreated(@Payload() envelope: Envelope<'attribute.created'>): Promise<void> {
    await this.keep(envelope);
  }

  @OnEvent('attribute.updated')
  async onUpdated(@Payload() envelope: Envelope<'attribute.updated'>): Promise<void> {
    await this.keep(envelope);
  }

  @OnEvent('attribute.activated')
  async onActivated(@Payload() envelope: Envelope<'attribute.activated'>): Promise<void> {
    await this.keep(envelope);
  }

  private async keep(envelope: Envelope<'attribute.created' | 'attribute.updated' | 'attribute.activated'>): Promise<void> {
    const stored = await this.replica.upsertIfNewer(envelope.data);
    if (!stored) this.logger.debug(`attribute ${envelope.data.key} v${envelope.data.version} is not newer than the replica; ignored`);
  }
}
