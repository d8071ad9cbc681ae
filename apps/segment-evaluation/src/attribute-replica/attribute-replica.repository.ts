import { Injectable } from '@nestjs/common';
import { ATTRIBUTE_REPLICA_COLLECTION, AttributeReplicaStore, type AttributeReplicaDocument } from '@lifecycle/messaging';
import type { SlaStage } from '@lifecycle/rules';
import type { CatalogAttribute, CriteriaCatalog } from '../domain/criteria-validation';
import { Storage } from '@lifecycle/storage';

/**
 * The attribute replica as criteria see it: the criteria catalog (stage names → ids, S1), and
 * the stage order of the progress view and the report.
 */
@Injectable()
export class AttributeReplicaRepository extends AttributeReplicaStore {
  constructor(storage: Storage) {
    super(storage.collection<AttributeReplicaDocument>(ATTRIBUTE_REPLICA_COLLECTION));
  }

  async get(key: string): Promise<CatalogAttribute | undefined> {
    const doc = await this.findDocument(key);
    return doc ? toCatalogAttribute(doc) : undefined;
  }

  async version(key: string): Promise<number | undefined> {
    return (await this.findDocument(key))?.version;
  }

  /** Every replicated attribute (drafts too: criteria may name them; they simply match no value). */
  async catalog(): Promise<CriteriaCatalog> {
    const docs = await this.findAllDocuments();
    return { attributes: new Map(docs.map((doc) => [doc.key, toCatalogAttribute(doc)])) };
  }

  /** B3: every attribute's stages with their SLAs (the business context of criteria and boards). */
  async slaStages(): Promise<Map<string, SlaStage[]>> {
    const docs = await this.findAllDocuments();
    return new Map(
      docs.map((doc) => [
        doc.key,
        doc.stages.map((s) => ({ id: s.id, name: s.name, order: s.order, endStage: s.endStage, sla: s.sla ?? null })),
      ]),
    );
  }
}

function toCatalogAttribute(doc: AttributeReplicaDocument): CatalogAttribute {
  return {
    key: doc.key,
    stages: doc.stages.map((s) => ({ id: s.id, name: s.name, order: s.order, endStage: s.endStage, disabled: s.disabled })),
  };
}
