import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { AttributePayload } from '@lifecycle/contracts';
import type { CatalogAttribute, CriteriaCatalog } from '../domain/criteria-validation';
import { isDuplicateKeyError } from '../storage/mongo-errors';
import { ATTRIBUTE_REPLICA_COLLECTION, type AttributeReplicaDocument } from './attribute-replica.schema';

@Injectable()
export class AttributeReplicaRepository {
  private readonly collection: Collection<AttributeReplicaDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.collection = connection.collection<AttributeReplicaDocument>(ATTRIBUTE_REPLICA_COLLECTION);
  }

  /**
   * Keeps the attribute only if `version` is higher than the stored one, so replays and
   * out-of-order deliveries never roll the replica back. Returns whether it was stored.
   */
  async upsertIfNewer(attribute: AttributePayload): Promise<boolean> {
    const doc: Omit<AttributeReplicaDocument, '_id'> = {
      key: attribute.key,
      name: attribute.name,
      state: attribute.state,
      version: attribute.version,
      stages: attribute.stages.map((s) => ({ id: s.id, name: s.name, color: s.color, order: s.order, endStage: s.endStage, disabled: s.disabled })),
      updatedAt: attribute.updatedAt,
      replicatedAt: new Date(),
    };
    try {
      // An existing document with the same or a higher version does not match; the upsert then
      // collides with its _id, which is how "older, ignore" shows.
      const result = await this.collection.updateOne({ _id: attribute.key, version: { $lt: attribute.version } }, { $set: doc }, { upsert: true });
      return result.modifiedCount + result.upsertedCount > 0;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  async get(key: string): Promise<CatalogAttribute | undefined> {
    const doc = await this.collection.findOne({ _id: String(key) });
    return doc ? toCatalogAttribute(doc) : undefined;
  }

  async version(key: string): Promise<number | undefined> {
    return (await this.collection.findOne({ _id: String(key) }, { projection: { version: 1 } }))?.version;
  }

  /** Every replicated attribute (drafts too: criteria may name them; they simply match no value). */
  async catalog(): Promise<CriteriaCatalog> {
    const docs = await this.collection.find({}).sort({ _id: 1 }).toArray();
    return { attributes: new Map(docs.map((doc) => [doc.key, toCatalogAttribute(doc)])) };
  }
}

function toCatalogAttribute(doc: AttributeReplicaDocument): CatalogAttribute {
  return {
    key: doc.key,
    stages: doc.stages.map((s) => ({ id: s.id, name: s.name, order: s.order, endStage: s.endStage, disabled: s.disabled })),
  };
}
