import type { IndexDescription } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import type { StorageEngine } from '@lifecycle/storage';
import type { ProjectedAccount } from '../domain/projection-updates';
import type { StoredAttribute } from './query-keys';

/**
 * `account_projections`: one document per account (S6), shaped as the domain's
 * `AccountProjection` (the criteria compiler queries its paths), plus
 * - the live memberships of saved segments and their change counters (S5, `ProjectedAccount`),
 * - `rev` for optimistic concurrency: every write is one `updateOne({ _id, rev })` that sets the
 *   new state, the memberships and `$push`es the membership events in the same atomic update,
 * - `outbox`: `segment.entered` / `segment.exited` envelopes until the relay has published them.
 * Rebuilt from the topics alone (README: "Rebuilding the projection").
 */
export const ACCOUNT_PROJECTION_COLLECTION = 'account_projections';

export interface AccountProjectionDocument extends ProjectedAccount {
  /** The domain's attributes, with their query keys where the engine needs them (`query-keys.ts`). */
  lifecycle: { [attributeKey: string]: StoredAttribute };
  rev: number;
  outbox: AnyEnvelope[];
  updatedAt: Date;
}

/** The paths every criteria tree may use, whatever the attribute. */
export const ACCOUNT_PROJECTION_INDEXES = [
  { key: { segments: 1, _id: 1 }, name: 'segments' },
  { key: { clientType: 1 }, name: 'client_type' },
  { key: { ownerId: 1 }, name: 'owner' },
  { key: { renewalDate: 1 }, name: 'renewal' },
] as const;

/**
 * Per attribute a saved segment reads, created when the segment is saved (the paths hold the
 * attribute key, so no index can be declared for all of them in advance): the stage (`isOneOf`,
 * `isNotOneOf`, `doesNotExist`, and the first half of every days comparison), the changes
 * (`changed`) and the completions (`completed` windows) — as the engine queries them: the
 * transition times and completion dates, or the query keys (`query-keys.ts`).
 */
export function attributeIndexes(attributeKey: string, engine: StorageEngine): IndexDescription[] {
  const path = (field: string) => `lifecycle.${attributeKey}.${field}`;
  const fields = engine.elemMatchOnSubdocuments
    ? { stageId: path('stageId'), changes: path('transitions.at'), completions: path('completions') }
    : { stageId: path('stageId'), changes: path('changeKeys'), completions: path('completionKeys') };
  return Object.entries(fields).map(([field, indexed]) => ({ key: { [indexed]: 1 }, name: attributeIndexName(attributeKey, field) }));
}

/** Bounds the indexes created for attributes (each costs every write). */
export const MAX_INDEXED_ATTRIBUTES = 20;

/** `attr_<key>_<field>`: the attribute is read back from the name (`ensureAttributeIndexes`). */
export function attributeIndexName(attributeKey: string, field: string): string {
  return `attr_${attributeKey}_${field}`;
}
