import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { copyDaysDue, type CycleTemplate, type DaysDue, type TemplateActivity, type TemplateStage, type TemplateTask } from '../domain';
import {
  CYCLE_TEMPLATE_COLLECTION,
  TEMPLATE_VERSION_COLLECTION,
  templateVersionId,
  type CycleTemplateDocument,
  type StoredTemplate,
  type StoredTemplateActivity,
  type StoredTemplateStage,
  type StoredTemplateTask,
  type TemplateVersionDocument,
} from './cycle-template.schema';
import { ensureIndexes, insertUnique, Storage } from '@lifecycle/storage';

/** A template as the domain has it, with what the catalog keeps beside it. */
export interface TemplateRecord {
  template: CycleTemplate;
  isBuiltIn: boolean;
  propagatedVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

@Injectable()
export class CycleTemplateRepository implements OnModuleInit {
  private readonly templates: Collection<CycleTemplateDocument>;
  private readonly versions: Collection<TemplateVersionDocument>;

  constructor(storage: Storage) {
    this.templates = storage.collection<CycleTemplateDocument>(CYCLE_TEMPLATE_COLLECTION);
    this.versions = storage.collection<TemplateVersionDocument>(TEMPLATE_VERSION_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.templates, [{ key: { nextTemplateId: 1 }, name: 'next_template' }]);
  }

  async get(templateId: string): Promise<TemplateRecord | undefined> {
    const doc = await this.templates.findOne({ _id: templateId });
    return doc ? toRecord(doc) : undefined;
  }

  async list(): Promise<TemplateRecord[]> {
    const docs = await this.templates.find({}).toArray();
    return docs
      .map(toRecord)
      .sort((a, b) => a.template.name.localeCompare(b.template.name, 'en', { sensitivity: 'base' }) || compareIds(a, b));
  }

  /** Which of `templateIds` exist. */
  async existing(templateIds: readonly string[]): Promise<Set<string>> {
    if (templateIds.length === 0) return new Set();
    const docs = await this.templates.find({ _id: { $in: [...new Set(templateIds)] } }, { projection: { _id: 1 } }).toArray();
    return new Set(docs.map((doc) => doc._id));
  }

  /** Templates that chain to `templateId` (C8). */
  async chainingTo(templateId: string): Promise<CycleTemplate[]> {
    const docs = await this.templates.find({ nextTemplateId: templateId }).toArray();
    return docs.map((doc) => fromStored(doc._id, doc));
  }

  /** Inserts version 1 of a new template and its snapshot; false when the id is taken. */
  async insert(template: CycleTemplate, now: Date, isBuiltIn = false): Promise<boolean> {
    const inserted = await insertUnique(this.templates, {
      _id: template.id,
      ...toStored(template),
      propagatedVersion: template.version,
      isBuiltIn,
      createdAt: now,
      updatedAt: now,
    });
    if (!inserted) return false;
    await this.saveVersion(template, now);
    return true;
  }

  /**
   * Saves an edit: the current document moves from `expectedVersion` to `next.version`
   * (optimistic: false when someone else saved first). The snapshot is written after, by
   * `saveVersion`, which is idempotent; a crash in between is repaired at start (see
   * `pendingPropagations`).
   */
  async replace(next: CycleTemplate, expectedVersion: number, now: Date): Promise<boolean> {
    const result = await this.templates.updateOne(
      { _id: next.id, version: expectedVersion },
      { $set: { ...toStored(next), updatedAt: now } },
    );
    return result.matchedCount > 0;
  }

  /** The immutable snapshot of one version (idempotent: a version's content never changes). */
  async saveVersion(template: CycleTemplate, now: Date): Promise<void> {
    await this.versions.replaceOne(
      { _id: templateVersionId(template.id, template.version) },
      { templateId: template.id, version: template.version, template: toStored(template), createdAt: now },
      { upsert: true },
    );
  }

  async getVersion(templateId: string, version: number): Promise<CycleTemplate | undefined> {
    const doc = await this.versions.findOne({ _id: templateVersionId(templateId, version) });
    return doc ? fromStored(templateId, doc.template) : undefined;
  }

  /** Deletes the current document; the version snapshots stay as history. */
  async delete(templateId: string): Promise<boolean> {
    const result = await this.templates.deleteOne({ _id: templateId });
    return result.deletedCount > 0;
  }

  /** C10: the propagation of `version` finished. */
  async markPropagated(templateId: string, version: number): Promise<void> {
    await this.templates.updateOne({ _id: templateId, propagatedVersion: { $lt: version } }, { $set: { propagatedVersion: version } });
  }

  /** Templates whose latest edit has not finished propagating (few documents: read all). */
  async pendingPropagations(): Promise<CycleTemplate[]> {
    const docs = await this.templates.find({}).toArray();
    return docs.filter((doc) => doc.propagatedVersion < doc.version).map((doc) => fromStored(doc._id, doc));
  }
}

function compareIds(a: TemplateRecord, b: TemplateRecord): number {
  return a.template.id < b.template.id ? -1 : a.template.id > b.template.id ? 1 : 0;
}

function toRecord(doc: CycleTemplateDocument): TemplateRecord {
  return {
    template: fromStored(doc._id, doc),
    isBuiltIn: doc.isBuiltIn,
    propagatedVersion: doc.propagatedVersion,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

const daysDueOf = (d: { daysDue?: DaysDue | null }) =>
  d.daysDue === undefined || d.daysDue === null ? {} : { daysDue: copyDaysDue(d.daysDue) };

export function toStored(template: CycleTemplate): StoredTemplate {
  return {
    name: template.name,
    description: template.description ?? null,
    version: template.version,
    nextTemplateId: template.nextTemplateId ?? null,
    stages: template.stages.map((stage): StoredTemplateStage => ({
      id: stage.id,
      name: stage.name,
      order: stage.order,
      ...daysDueOf(stage),
      activities: stage.activities.map((activity): StoredTemplateActivity => ({
        id: activity.id,
        name: activity.name,
        order: activity.order,
        ...daysDueOf(activity),
        tasks: activity.tasks.map((task): StoredTemplateTask => ({
          id: task.id,
          name: task.name,
          order: task.order,
          ...daysDueOf(task),
          ...(task.ownerRole === undefined ? {} : { ownerRole: task.ownerRole }),
        })),
      })),
    })),
  };
}

export function fromStored(templateId: string, stored: StoredTemplate): CycleTemplate {
  return {
    id: templateId,
    name: stored.name,
    ...(stored.description === null ? {} : { description: stored.description }),
    version: stored.version,
    nextTemplateId: stored.nextTemplateId,
    stages: stored.stages.map((stage): TemplateStage => ({
      id: stage.id,
      name: stage.name,
      order: stage.order,
      ...daysDueOf(stage),
      activities: stage.activities.map((activity): TemplateActivity => ({
        id: activity.id,
        name: activity.name,
        order: activity.order,
        ...daysDueOf(activity),
        tasks: activity.tasks.map((task): TemplateTask => ({
          id: task.id,
          name: task.name,
          order: task.order,
          ...daysDueOf(task),
          ...(task.ownerRole === undefined || task.ownerRole === null ? {} : { ownerRole: task.ownerRole }),
        })),
      })),
    })),
  };
}
