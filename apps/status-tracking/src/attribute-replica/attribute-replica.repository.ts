import { Injectable } from '@nestjs/common';
import {
  ATTRIBUTE_REPLICA_COLLECTION,
  AttributeReplicaStore,
  type AttributeReplica,
  type AttributeReplicaDocument,
} from '@lifecycle/messaging';
import type { LifecycleDefinition } from '../domain/lifecycle-definition';
import { Storage } from '@lifecycle/storage';

export type { AttributeReplica } from '@lifecycle/messaging';

/** The attribute replica as the lifecycle engine reads it (L1 validation, the fold's definition). */
@Injectable()
export class AttributeReplicaRepository extends AttributeReplicaStore {
  constructor(storage: Storage) {
    super(storage.collection<AttributeReplicaDocument>(ATTRIBUTE_REPLICA_COLLECTION));
  }

  async get(key: string): Promise<LifecycleDefinition | undefined> {
    const doc = await this.findDocument(key);
    return doc ? toDefinition(doc) : undefined;
  }

  /** Several attributes by key (primary-key lookups; the embedded engine scans on `$in`). */
  async getMany(keys: readonly string[]): Promise<Map<string, LifecycleDefinition>> {
    const found = new Map<string, LifecycleDefinition>();
    for (const key of new Set(keys)) {
      const definition = await this.get(key);
      if (definition) found.set(key, definition);
    }
    return found;
  }

  async all(): Promise<Map<string, LifecycleDefinition>> {
    const docs = await this.findAllDocuments();
    return new Map(docs.map((doc) => [doc._id, toDefinition(doc)]));
  }

  /** Keys that accept values, for error messages (L1: name what is allowed). */
  async activeKeys(): Promise<string[]> {
    return (await this.findAllDocuments()).filter((doc) => doc.state === 'active').map((doc) => doc._id);
  }

  async list(): Promise<AttributeReplica[]> {
    return (await this.findAllDocuments()).map(({ _id, ...rest }) => rest);
  }
}

function toDefinition(doc: AttributeReplicaDocument): LifecycleDefinition {
  return {
    key: doc.key,
    name: doc.name,
    state: doc.state,
    stages: doc.stages.map((s) => ({
      id: s.id,
      name: s.name,
      order: s.order,
      endStage: s.endStage,
      disabled: s.disabled,
      sla: s.sla ?? null,
    })),
  };
}
