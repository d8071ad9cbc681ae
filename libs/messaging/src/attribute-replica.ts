import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { Collection } from 'mongodb';
import type { AttributePayload } from '@lifecycle/contracts';
import type { StageSla } from '@lifecycle/rules';
import { OnEvent, type Envelope } from './kafka-event.server';
import { upsertIfNewerVersion } from '@lifecycle/storage';
import { ReplicaMemo } from './replica-memo';

/**
 * `attributes`: a consuming service's replica of the catalog's attributes (A6: event-carried
 * state), one document per attribute key holding the highest `version` seen. Rebuilt from
 * `lifecycle.attributes` alone: the consumer reads the topic from the beginning on a fresh database.
 */
export const ATTRIBUTE_REPLICA_COLLECTION = 'attributes';

export interface ReplicatedStage {
  id: string;
  name: string;
  color: string;
  order: number;
  endStage: boolean;
  disabled: boolean;
  /** B3: the stage's SLA; null (or absent in documents stored before SLAs existed) = none. */
  sla?: StageSla | null;
}

export interface AttributeReplicaDocument {
  _id: string;
  key: string;
  name: string;
  description: string | null;
  flow: string | null;
  state: 'draft' | 'active';
  version: number;
  stages: ReplicatedStage[];
  /** The catalog's time of the change. */
  updatedAt: string;
  replicatedAt: Date;
}

export type AttributeReplica = Omit<AttributeReplicaDocument, '_id'>;

/**
 * The storage every replica shares; each service extends it with the view of an attribute its
 * own domain needs (lifecycle definition, criteria catalog …).
 */
export abstract class AttributeReplicaStore {
  private readonly listeners: ((key: string) => Promise<void>)[] = [];
  /** Every request reads the replica (L1, the views): answered from memory, see `ReplicaMemo`. */
  private readonly memo: ReplicaMemo<{ all: AttributeReplicaDocument[]; byKey: Map<string, AttributeReplicaDocument> }>;

  protected constructor(protected readonly collection: Collection<AttributeReplicaDocument>) {
    this.memo = new ReplicaMemo(async () => {
      const all = await this.collection.find({}).sort({ _id: 1 }).toArray();
      return { all, byKey: new Map(all.map((doc) => [doc._id, doc])) };
    });
  }

  /**
   * Derive again what depends on an attribute whenever its definition arrives (B3: a changed SLA
   * changes every account's status in its stages). Called on redeliveries too: deriving is idempotent.
   */
  onChange(listener: (key: string) => Promise<void>): void {
    this.listeners.push(listener);
  }

  /** Runs the `onChange` listeners for `key`; their errors make the event retried. */
  async notifyChanged(key: string): Promise<void> {
    for (const listener of this.listeners) await listener(key);
  }

  /**
   * Keeps the attribute only if `version` is higher than the stored one, so replays and
   * out-of-order deliveries never roll the replica back. Returns whether it was stored.
   */
  async upsertIfNewer(attribute: AttributePayload): Promise<boolean> {
    const doc: AttributeReplica = {
      key: attribute.key,
      name: attribute.name,
      description: attribute.description ?? null,
      flow: attribute.flow ?? null,
      state: attribute.state,
      version: attribute.version,
      stages: attribute.stages.map((s) => ({
        id: s.id,
        name: s.name,
        color: s.color,
        order: s.order,
        endStage: s.endStage,
        disabled: s.disabled,
        sla: s.sla ? { expected: s.sla.expected, unit: s.sla.unit, ...(s.sla.atRisk === undefined ? {} : { atRisk: s.sla.atRisk }) } : null,
      })),
      updatedAt: attribute.updatedAt,
      replicatedAt: new Date(),
    };
    try {
      return await upsertIfNewerVersion(this.collection, attribute.key, doc);
    } finally {
      // Before the `onChange` listeners run: they derive from the definition just stored.
      this.memo.invalidate();
    }
  }

  /** One attribute by key (the key is forced to a string); the document is shared: read-only. */
  protected async findDocument(key: string): Promise<AttributeReplicaDocument | null> {
    return (await this.memo.get()).byKey.get(String(key)) ?? null;
  }

  /** Every replicated attribute, by key; the documents are shared: read-only. */
  protected async findAllDocuments(): Promise<AttributeReplicaDocument[]> {
    return [...(await this.memo.get()).all];
  }
}

/** A6: every catalog change carries the full attribute; the replica keeps the newest version. */
@Controller()
export class AttributeReplicaHandler {
  private readonly logger = new Logger(AttributeReplicaHandler.name);

  constructor(@Inject(AttributeReplicaStore) private readonly replica: AttributeReplicaStore) {}

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
    await this.replica.notifyChanged(envelope.data.key);
  }
}
