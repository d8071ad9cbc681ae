import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { insertUnique, Storage } from '@lifecycle/storage';

/**
 * `client_types` (C3): `_id` = the key the CRM sends as `clientType`; the templates available to
 * accounts of the type (C7) and the default one a new account gets.
 */
export const CLIENT_TYPE_COLLECTION = 'client_types';

interface ClientTypeDocument {
  _id: string;
  name: string;
  templateIds: string[];
  defaultTemplateId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ClientType {
  key: string;
  name: string;
  templateIds: string[];
  defaultTemplateId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type ClientTypeFields = Pick<ClientType, 'name' | 'templateIds' | 'defaultTemplateId'>;

@Injectable()
export class ClientTypeRepository {
  private readonly collection: Collection<ClientTypeDocument>;

  constructor(storage: Storage) {
    this.collection = storage.collection<ClientTypeDocument>(CLIENT_TYPE_COLLECTION);
  }

  async get(key: string): Promise<ClientType | undefined> {
    const doc = await this.collection.findOne({ _id: key });
    return doc ? toClientType(doc) : undefined;
  }

  async list(): Promise<ClientType[]> {
    const docs = await this.collection.find({}).sort({ _id: 1 }).toArray();
    return docs.map(toClientType);
  }

  /** False when the key is taken. */
  async insert(key: string, fields: ClientTypeFields, now: Date): Promise<boolean> {
    return insertUnique(this.collection, { _id: key, ...fields, createdAt: now, updatedAt: now });
  }

  async update(key: string, fields: ClientTypeFields, now: Date): Promise<ClientType | undefined> {
    const result = await this.collection.updateOne({ _id: key }, { $set: { ...fields, updatedAt: now } });
    return result.matchedCount > 0 ? this.get(key) : undefined;
  }

  async delete(key: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: key })).deletedCount > 0;
  }

  /** Client types that make `templateId` their default (C3). */
  async defaultingTo(templateId: string): Promise<ClientType[]> {
    const docs = await this.collection.find({ defaultTemplateId: templateId }).toArray();
    return docs.map(toClientType);
  }

  /** A deleted template is no longer available to any client type (exact-value $pull). */
  async withdrawTemplate(templateId: string, now: Date): Promise<void> {
    await this.collection.updateMany({ templateIds: templateId }, { $pull: { templateIds: templateId }, $set: { updatedAt: now } });
  }
}

function toClientType(doc: ClientTypeDocument): ClientType {
  return {
    key: doc._id,
    name: doc.name,
    templateIds: doc.templateIds,
    defaultTemplateId: doc.defaultTemplateId,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
