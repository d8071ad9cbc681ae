import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Storage } from '@lifecycle/storage';

/** `settings`: one document (`_id: 'global'`) with the global default template (C2). */
export const SETTINGS_COLLECTION = 'settings';
const GLOBAL = 'global';

interface SettingsDocument {
  _id: string;
  defaultTemplateId: string;
  updatedAt: Date;
}

export interface CyclePlanningSettings {
  defaultTemplateId: string;
  updatedAt: Date;
}

@Injectable()
export class SettingsRepository {
  private readonly collection: Collection<SettingsDocument>;

  constructor(storage: Storage) {
    this.collection = storage.collection<SettingsDocument>(SETTINGS_COLLECTION);
  }

  async get(): Promise<CyclePlanningSettings | undefined> {
    const doc = await this.collection.findOne({ _id: GLOBAL });
    return doc ? { defaultTemplateId: doc.defaultTemplateId, updatedAt: doc.updatedAt } : undefined;
  }

  /** First start: the built-in default becomes the global default unless one is already set. */
  async initialize(defaultTemplateId: string, now: Date): Promise<void> {
    await this.collection.updateOne({ _id: GLOBAL }, { $setOnInsert: { defaultTemplateId, updatedAt: now } }, { upsert: true });
  }

  async setDefaultTemplate(templateId: string, now: Date): Promise<CyclePlanningSettings> {
    await this.collection.updateOne({ _id: GLOBAL }, { $set: { defaultTemplateId: templateId, updatedAt: now } }, { upsert: true });
    return { defaultTemplateId: templateId, updatedAt: now };
  }
}
