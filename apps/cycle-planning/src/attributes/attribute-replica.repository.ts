import { Injectable } from '@nestjs/common';
import { ATTRIBUTE_REPLICA_COLLECTION, AttributeReplicaStore, type AttributeReplicaDocument } from '@lifecycle/messaging';
import { Storage } from '@lifecycle/storage';
import type { PlayCatalog } from '../domain';

/**
 * The catalog's attributes as cycle planning sees them (A6: event-carried, `lifecycle.attributes`):
 * what a play's SLA trigger may name (P1). Drafts count: a play may be set up before the attribute
 * is activated.
 */
@Injectable()
export class AttributeReplicaRepository extends AttributeReplicaStore {
  constructor(storage: Storage) {
    super(storage.collection<AttributeReplicaDocument>(ATTRIBUTE_REPLICA_COLLECTION));
  }

  /** Every replicated attribute with its stages in order. */
  async playCatalog(): Promise<PlayCatalog> {
    const docs = await this.findAllDocuments();
    return new Map(
      docs.map((doc) => [
        doc.key,
        [...doc.stages].sort((a, b) => a.order - b.order).map((s) => ({ id: s.id, name: s.name, endStage: s.endStage, hasSla: !!s.sla })),
      ]),
    );
  }
}
