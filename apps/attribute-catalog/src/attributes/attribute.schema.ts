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
 * a unique insert is atomic on every engine, while updates are not on all of them (two writers
 * conditioned on the same version can both "match", see `EngineCapabilities.atomicUpdates`). The
 * revision also carries the change's event (the outbox).
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

/** GET /v1/attributes?state=&flow= */
export const ATTRIBUTE_INDEXES = [{ key: { state: 1, flowKey: 1 }, name: 'state_1_flowKey_1' }] as const;

/** The latest revision of a key (repair after a crash between the two writes of a change); unique: the compare-and-set. */
export const ATTRIBUTE_REVISION_INDEXES = [{ key: { key: 1, version: -1 }, name: 'key_1_version_-1', unique: true }] as const;
