import type { AnyEnvelope } from '@lifecycle/contracts';
import type { Criteria } from '../domain/criteria';

/**
 * `segments`: saved segments (S1). `criteria` is stored in canonical form (`canonicalCriteria`:
 * stages as ids, so a stage rename changes nothing, A5; windows as full ISO date-times).
 * `version` grows with every change (membership job ids, `If-Match`-free optimistic updates).
 * Not rebuilt from topics: keep this collection when rebuilding the projection (README).
 */
export const SEGMENT_COLLECTION = 'segments';

export interface SegmentDocument {
  _id: string;
  name: string;
  description: string | null;
  criteria: Criteria;
  /** Attribute keys the criteria read (sorted). */
  attributes: string[];
  /** Membership changes with time alone: re-evaluated on `day.rolled` (S5). */
  timeBased: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** `segment.saved` events not yet published (`SegmentOutbox`); never read back with the segment. */
  outbox?: AnyEnvelope[];
}

export const SEGMENT_INDEXES = [{ key: { name: 1, _id: 1 }, name: 'name' }] as const;
