import { Schema } from 'mongoose';
import type { AnyEnvelope } from '@lifecycle/messaging';
import type { Attribute, AttributeState, Stage } from '../domain/attribute';

export const ATTRIBUTES_COLLECTION = 'attributes';
export const ATTRIBUTE_REVISIONS_COLLECTION = 'attribute_revisions';

/** The current state of an attribute (what reads and lists serve): `_id` = key. */
export type AttributeRecord = {
  _id: string;
  name: string;
  description: string;
  flow: string | null;
  /** `flow` trimmed and lower-cased, for the case-insensitive filter. */
  flowKey: string | null;
  state: AttributeState;
  version: number;
  stages: Stage[];
  createdAt: string;
  updatedAt: string;
};

/**
 * One version of an attribute, never changed after it is written (except that the relay empties
 * its outbox). `_id` = `<key>@<version>`: inserting it is the compare-and-set of a change, because
 * a unique insert is the one write FerretDB v1 (SQLite) performs atomically — its updates,
 * `findOneAndUpdate` included, read and write in separate steps, so two writers conditioned on the
 * same version can both "match". The revision also carries the change's event (the outbox).
 */
export type AttributeRevisionRecord = {
  _id: string;
  key: string;
  version: number;
  attribute: Attribute;
  recordedAt: string;
  outbox: AnyEnvelope[];
};

export function revisionId(key: string, version: number): string {
  return `${key}@${version}`;
}

const StageSchema = new Schema<Stage>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    color: { type: String, required: true },
    order: { type: Number, required: true },
    endStage: { type: Boolean, required: true },
    disabled: { type: Boolean, required: true },
  },
  { _id: false },
);

export const AttributeSchema = new Schema<AttributeRecord>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    flow: { type: String, default: null },
    flowKey: { type: String, default: null },
    state: { type: String, required: true, enum: ['draft', 'active'] },
    version: { type: Number, required: true },
    stages: { type: [StageSchema], default: [] },
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
  },
  { collection: ATTRIBUTES_COLLECTION, versionKey: false, timestamps: false, minimize: false },
);

// GET /v1/attributes?state=&flow=
AttributeSchema.index({ state: 1, flowKey: 1 });

export const AttributeRevisionSchema = new Schema<AttributeRevisionRecord>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    version: { type: Number, required: true },
    attribute: { type: Schema.Types.Mixed, required: true },
    recordedAt: { type: String, required: true },
    // Envelopes as they are (the relay reads and removes them with the driver).
    outbox: { type: Schema.Types.Mixed, default: [] },
  },
  { collection: ATTRIBUTE_REVISIONS_COLLECTION, versionKey: false, timestamps: false, minimize: false },
);

// The latest revision of a key (repair after a crash between the two writes of a change).
AttributeRevisionSchema.index({ key: 1, version: -1 }, { unique: true });
