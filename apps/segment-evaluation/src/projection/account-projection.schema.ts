import type { AnyEnvelope } from '@lifecycle/contracts';
import type { CompileOptions } from '../domain/criteria-compiler';
import type { ProjectedAccount } from '../domain/projection-updates';

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
 * Per attribute a saved segment reads, created when the segment is saved (paths cannot be
 * indexed with a wildcard on FerretDB): the stage (`isOneOf`, `isNotOneOf`, `doesNotExist`, and
 * the first half of every days comparison), the change keys (`changed`) and the completion
 * keys (`completed` windows).
 */
export const ATTRIBUTE_INDEX_FIELDS = ['stageId', 'changeKeys', 'completionKeys'] as const;

/** Bounds the indexes created for attributes (each costs every write). */
export const MAX_INDEXED_ATTRIBUTES = 20;

export function attributeIndexName(attributeKey: string, field: (typeof ATTRIBUTE_INDEX_FIELDS)[number]): string {
  return `attr_${attributeKey}_${field}`;
}

/**
 * How criteria are compiled for this collection: time windows on key arrays as one `$regex`
 * each, because FerretDB 1.24 applies the bounds of an `$elemMatch` range to different elements
 * (`iso-range-regex.ts`). The projection fills `completionKeys` for it.
 */
export const PROJECTION_COMPILE_OPTIONS: CompileOptions = { arrayRanges: 'regex' };
