import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { AttributePayload } from '@lifecycle/contracts';
import type { LifecycleDefinition } from '../domain/lifecycle-definition';
import { isDuplicateKeyError } from '../storage/mongo-errors';
import { ATTRIBUTE_REPLICA_COLLECTION, type AttributeReplicaDocument } from './attribute-replica.schema';

export type AttributeReplica = Omit<AttributeReplicaDocument, '_id'>;

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
      })),
      updatedAt: attribute.updatedAt,
      replicatedAt: new Date(),
    };
    try {
      // An existing document with the same or a higher version does not match the filter; the
      // upsert then collides with its _id, which is how "older, ignore" shows.
      const result = await this.collection.updateOne(
        { _id: attribute.key, version: { $lt: attribute.version } },
        { $set: doc },
        { upsert: true },
      );
      return result.modifiedCount + result.upsertedCount > 0;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  async get(key: string): Promise<LifecycleDefinition | undefined> {
    const doc = await this.collection.findOne({ _id: key });
    return doc ? toDefinition(doc) : undefined;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, LifecycleDefinition>> {
    if (keys.length === 0) return new Map();
    const docs = await this.collection.find({ _id: { $in: [...new Set(keys)] } }).toArray();
    return new Map(docs.map((doc) => [doc._id, toDefinition(doc)]));
  }

  async all(): Promise<Map<string, LifecycleDefinition>> {
    const docs = await this.collection.find({}).toArray();
    return new Map(docs.map((doc) => [doc._id, toDefinition(doc)]));
  }

  /** Keys that accept values, for error messages (L1: name what is allowed). */
  async activeKeys(): Promise<string[]> {
    const docs = await this.collection
      .find({ state: 'active' }, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .toArray();
    return docs.map((doc) => doc._id);
  }

  async list(): Promise<AttributeReplica[]> {
    const docs = await this.collection.find({}).sort({ _id: 1 }).toArray();
    return docs.map(({ _id, ...rest }) => rest);
  }
}

function toDefinition(doc: AttributeReplicaDocument): LifecycleDefinition {
  return {
    key: doc.key,
    name: doc.name,
    state: doc.state,
    stages: doc.stages.map((s) => ({ id: s.id, name: s.name, order: s.order, endStage: s.endStage, disabled: s.disabled })),
  };
}
