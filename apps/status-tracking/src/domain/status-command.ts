/**
 * L1/L8/L12: the one decision every source (REST, CSV, Kafka) goes through before a change is
 * written to the history. Throws a LifecycleError for a value that does not comply.
 */
import type { LifecycleState } from '@lifecycle/rules';
import type { LifecycleDefinition } from './lifecycle-definition';
import { resolveStageRef } from './lifecycle-definition';
import { attributeNotActive, attributeUnknown, futureTimestamp, invalidTimestamp, stageDisabled, stageUnknown } from './lifecycle-errors';

/** Clock skew allowed between the caller and us before an `at` counts as "in the future". */
export const FUTURE_TOLERANCE_MS = 5_000;

export interface StatusChangeRequest {
  attributeKey: string;
  /** Stage name or id; null clears the value (L7). */
  stage: string | null;
  at: Date;
}

export type StatusDecision = { kind: 'apply'; to: string | null } | { kind: 'noop' };

export function decideChange(
  def: LifecycleDefinition | undefined,
  state: LifecycleState | undefined,
  request: StatusChangeRequest,
  now: Date,
): StatusDecision {
  if (def === undefined) throw attributeUnknown(request.attributeKey);
  if (def.state !== 'active') throw attributeNotActive(def); // A3
  if (Number.isNaN(request.at.getTime())) throw invalidTimestamp();
  if (request.at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw futureTimestamp(request.at, now, FUTURE_TOLERANCE_MS);
  }

  const currentStageId = state?.stageId ?? null;
  // L8 only judges entries that land at the end of the history; a backdated entry is always
  // written, because what it means depends on where it lands, and the fold decides that.
  const landsLast = !state?.lastChangedAt || request.at.getTime() >= state.lastChangedAt.getTime();

  if (request.stage === null) {
    return currentStageId === null && landsLast ? { kind: 'noop' } : { kind: 'apply', to: null };
  }

  const stage = resolveStageRef(def, request.stage);
  if (stage === undefined) throw stageUnknown(def, request.stage);
  // A5: a disabled stage is refused unless the account already sits in it.
  if (stage.disabled && stage.id !== currentStageId) throw stageDisabled(def, stage, request.stage);

  return stage.id === currentStageId && landsLast ? { kind: 'noop' } : { kind: 'apply', to: stage.id };
}
