import { createHash } from 'node:crypto';

/**
 * S5: live membership of saved segments, kept in the account's projection. A membership change
 * is an `entered` or `exited` event whose id is derived from (segment, account, n), n being the
 * account's n-th membership change of that segment: the same input applied twice yields the
 * same state and therefore no second change, and should an event be built twice anyway it has
 * the same id, which consumers deduplicate.
 */

export type MembershipChangeKind = 'entered' | 'exited';

export interface MembershipChange {
  segmentId: string;
  kind: MembershipChangeKind;
  /** 1 = first entry, 2 = first exit, 3 = second entry … */
  seq: number;
  eventId: string;
}

export interface Membership {
  segments: readonly string[];
  membershipSeq: { readonly [segmentId: string]: number };
}

/** The membership an evaluation says the account has now. */
export interface SegmentVerdict {
  segmentId: string;
  member: boolean;
}

export interface MembershipUpdate {
  segments: string[];
  membershipSeq: { [segmentId: string]: number };
  changes: MembershipChange[];
}

/** Applies verdicts to the stored membership; segments without a verdict keep theirs. */
export function applyVerdicts(accountId: string, current: Membership, verdicts: readonly SegmentVerdict[]): MembershipUpdate {
  const segments = new Set(current.segments);
  const membershipSeq: { [segmentId: string]: number } = { ...current.membershipSeq };
  const changes: MembershipChange[] = [];
  for (const { segmentId, member } of verdicts) {
    if (segments.has(segmentId) === member) continue;
    const seq = (Object.hasOwn(membershipSeq, segmentId) ? (membershipSeq[segmentId] ?? 0) : 0) + 1;
    membershipSeq[segmentId] = seq;
    if (member) segments.add(segmentId);
    else segments.delete(segmentId);
    const kind: MembershipChangeKind = member ? 'entered' : 'exited';
    changes.push({ segmentId, kind, seq, eventId: membershipEventId(segmentId, accountId, seq, kind) });
  }
  return { segments: [...segments].sort(), membershipSeq, changes };
}

/** A name-based (v5-style) UUID of one membership change. */
export function membershipEventId(segmentId: string, accountId: string, seq: number, kind: MembershipChangeKind): string {
  const hash = createHash('sha1').update(`lifecycle-platform:segment-evaluation:${kind}:${segmentId}:${accountId}:${seq}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
