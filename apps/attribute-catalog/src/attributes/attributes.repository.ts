import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/messaging';
import { ensureIndexes, insertUnique, Storage } from '@lifecycle/storage';
import { normalizeFlow, type Attribute, type AttributeState } from '../domain/attribute';
import { attributeAlreadyExists } from '../domain/attribute-errors';
import {
  ATTRIBUTE_INDEXES,
  ATTRIBUTE_REVISION_INDEXES,
  ATTRIBUTE_REVISIONS_COLLECTION,
  ATTRIBUTES_COLLECTION,
  revisionId,
  type AttributeRecord,
  type AttributeRevisionRecord,
} from './attribute.schema';

/**
 * A revision whose change never reached `attributes` for this long is taken to belong to a writer
 * that died between its two writes, and is rolled forward by the next reader or writer.
 */
export const STALE_REVISION_MS = 5_000;

export interface AttributeFilter {
  state?: AttributeState;
  flow?: string;
}

/** Written by the winner of the revision; `null` = the key was taken / the version was not current. */
export type StoredRevision = { revisionId: string } | null;

/**
 * Storage of the attribute aggregate: `attributes` (`_id` = key, the current state with its
 * `version`) and `attribute_revisions` (every version, with the event of the change in its
 * `outbox`). A change is two writes:
 *  1. insert revision `<key>@<version+1>` — a unique insert, atomic on every engine: of two
 *     concurrent changes of one version exactly one gets here (the other: duplicate key → 409);
 *  2. `findOneAndUpdate({ _id: key, version })` on `attributes` — only the winner of (1) writes it,
 *     so no update is ever lost, whether or not the engine's updates are atomic.
 * The event is stored atomically with the revision, and the relay publishes it from there, so it
 * never updates `attributes` behind a writer's back. A crash between (1) and (2) is repaired by
 * rolling `attributes` forward to the latest revision.
 */
@Injectable()
export class AttributesRepository implements OnModuleInit {
  private readonly logger = new Logger(AttributesRepository.name);
  private readonly attributes: Collection<AttributeRecord>;
  private readonly revisions: Collection<AttributeRevisionRecord>;

  constructor(storage: Storage) {
    this.attributes = storage.collection<AttributeRecord>(ATTRIBUTES_COLLECTION);
    this.revisions = storage.collection<AttributeRevisionRecord>(ATTRIBUTE_REVISIONS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.attributes, ATTRIBUTE_INDEXES);
    await ensureIndexes(this.revisions, ATTRIBUTE_REVISION_INDEXES);
  }

  async findByKey(key: string): Promise<Attribute | null> {
    const record = await this.attributes.findOne({ _id: key });
    if (record) return toAttribute(record);
    // Created, but the writer died before `attributes` had it?
    return this.rollForward(key, STALE_REVISION_MS);
  }

  /** Ordered by key. `flow` matches trimmed and case-insensitively. */
  async list(filter: AttributeFilter): Promise<Attribute[]> {
    const query = {
      ...(filter.state === undefined ? {} : { state: filter.state }),
      ...(filter.flow === undefined ? {} : { flowKey: normalizeFlow(filter.flow) }),
    };
    const records = await this.attributes.find(query).sort({ _id: 1 }).toArray();
    return records.map(toAttribute);
  }

  /** A new attribute (version 1). Throws the domain's "already exists" when the key is taken. */
  async create(attribute: Attribute, event: AnyEnvelope): Promise<StoredRevision> {
    const stored = await this.insertRevision(attribute, event);
    if (!stored) {
      await this.rollForward(attribute.key, STALE_REVISION_MS);
      throw attributeAlreadyExists(attribute.key);
    }
    await this.insertCurrent(attribute);
    return stored;
  }

  /**
   * Stores `attribute` (version `expectedVersion + 1`) with its event, unless another change of
   * `expectedVersion` got there first: then null, and nothing is written.
   */
  async update(expectedVersion: number, attribute: Attribute, event: AnyEnvelope): Promise<StoredRevision> {
    const stored = await this.insertRevision(attribute, event);
    if (!stored) {
      await this.rollForward(attribute.key, STALE_REVISION_MS);
      return null;
    }
    const { _id, ...fields } = toRecord(attribute);
    const updated = await this.attributes.updateOne({ _id, version: expectedVersion }, { $set: fields });
    // Only after a repair raced with this writer: the revision is the truth, catch up with it.
    if (updated.matchedCount === 0) await this.rollForward(attribute.key, 0);
    return stored;
  }

  async versionOf(key: string): Promise<number | null> {
    const record = await this.attributes.findOne({ _id: key }, { projection: { version: 1 } });
    return record?.version ?? null;
  }

  private async insertRevision(attribute: Attribute, event: AnyEnvelope): Promise<StoredRevision> {
    const id = revisionId(attribute.key, attribute.version);
    const inserted = await insertUnique(this.revisions, {
      _id: id,
      key: attribute.key,
      version: attribute.version,
      attribute,
      recordedAt: new Date().toISOString(),
      outbox: [event],
    });
    return inserted ? { revisionId: id } : null;
  }

  /** The first current state of a key; already there when a repair inserted it meanwhile. */
  private async insertCurrent(attribute: Attribute): Promise<void> {
    await insertUnique(this.attributes, toRecord(attribute));
  }

  /**
   * Brings `attributes` up to the latest revision of `key` when that revision is older than
   * `minAgeMs` (younger ones may still be on their way from a live writer). Returns the state.
   */
  private async rollForward(key: string, minAgeMs: number): Promise<Attribute | null> {
    const latest = await this.revisions.findOne({ key }, { sort: { version: -1 } });
    if (!latest) return null;
    const current = await this.attributes.findOne({ _id: key }, { projection: { version: 1 } });
    if (current && current.version >= latest.version) return null;
    if (Date.now() - Date.parse(latest.recordedAt) < minAgeMs) return null;
    this.logger.warn(`attribute ${key}: rolling forward from version ${current?.version ?? 'none'} to ${latest.version}`);
    if (!current) {
      await this.insertCurrent(latest.attribute);
    } else {
      const { _id, ...fields } = toRecord(latest.attribute);
      await this.attributes.updateOne({ _id, version: current.version }, { $set: fields });
    }
    return latest.attribute;
  }
}

function toRecord(attribute: Attribute): AttributeRecord {
  return {
    _id: attribute.key,
    name: attribute.name,
    description: attribute.description,
    flow: attribute.flow,
    flowKey: attribute.flow === null ? null : normalizeFlow(attribute.flow),
    state: attribute.state,
    version: attribute.version,
    stages: attribute.stages.map((s) => ({
      id: s.id,
      name: s.name,
      color: s.color,
      order: s.order,
      endStage: s.endStage,
      disabled: s.disabled,
      sla: s.sla,
    })),
    createdAt: attribute.createdAt,
    updatedAt: attribute.updatedAt,
  };
}

function toAttribute(record: AttributeRecord): Attribute {
  return {
    key: record._id,
    name: record.name,
    description: record.description ?? '',
    flow: record.flow ?? null,
    state: record.state,
    version: record.version,
    stages: [...record.stages]
      .sort((a, b) => a.order - b.order)
      .map((s) => ({
        id: s.id,
        name: s.name,
        color: s.color,
        order: s.order,
        endStage: s.endStage,
        disabled: s.disabled,
        sla: s.sla ?? null,
      })),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
