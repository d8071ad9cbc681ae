import { DomainError, type ErrorKind } from '@lifecycle/contracts';
import type { LifecycleDefinition, StageDefinition } from './lifecycle-definition';
import { enabledStageNames } from './lifecycle-definition';

/** Why a status change was refused (L1). Transports map these codes to HTTP 4xx or a DLQ reason. */
export enum LifecycleErrorCode {
  AttributeUnknown = 'ATTRIBUTE_UNKNOWN',
  AttributeNotActive = 'ATTRIBUTE_NOT_ACTIVE',
  StageUnknown = 'STAGE_UNKNOWN',
  StageDisabled = 'STAGE_DISABLED',
  FutureTimestamp = 'FUTURE_TIMESTAMP',
  InvalidTimestamp = 'INVALID_TIMESTAMP',
}

/**
 * An attribute that does not exist is not found (it names what the request addresses); an
 * inactive attribute or a disabled stage exists but the rules refuse it now (conflict); an
 * unknown stage name or a future time is well-formed input a rule refuses (invalid).
 */
export const LIFECYCLE_ERROR_KIND: Readonly<Record<LifecycleErrorCode, ErrorKind>> = {
  [LifecycleErrorCode.AttributeUnknown]: 'not-found',
  [LifecycleErrorCode.AttributeNotActive]: 'conflict',
  [LifecycleErrorCode.StageUnknown]: 'invalid',
  [LifecycleErrorCode.StageDisabled]: 'conflict',
  [LifecycleErrorCode.FutureTimestamp]: 'invalid',
  [LifecycleErrorCode.InvalidTimestamp]: 'invalid',
};

export class LifecycleError extends DomainError<LifecycleErrorCode> {
  override readonly name = 'LifecycleError';

  get kind(): ErrorKind {
    return LIFECYCLE_ERROR_KIND[this.code];
  }
}

// Factories keep the wording of each refusal in one place, so REST, CSV reports and the DLQ
// all say the same thing (L1: name the value and the allowed stages).

/** `knownAttributes` (when the caller knows them) are named too, so the caller can correct the key. */
export function attributeUnknown(attributeKey: string, knownAttributes?: readonly string[]): LifecycleError {
  const known = knownAttributes === undefined ? '' : `; known attributes: ${listNames(knownAttributes)}`;
  return new LifecycleError(LifecycleErrorCode.AttributeUnknown, `Attribute "${attributeKey}" does not exist${known}`, {
    attributeKey,
    ...(knownAttributes === undefined ? {} : { knownAttributes: [...knownAttributes] }),
  });
}

export function attributeNotActive(def: LifecycleDefinition): LifecycleError {
  return new LifecycleError(
    LifecycleErrorCode.AttributeNotActive,
    `Attribute "${def.key}" is not active (state: ${def.state}); only active attributes accept values`,
    { attributeKey: def.key, state: def.state },
  );
}

export function stageUnknown(def: LifecycleDefinition, value: string): LifecycleError {
  const allowedStages = enabledStageNames(def);
  return new LifecycleError(
    LifecycleErrorCode.StageUnknown,
    `Stage "${value}" is not a stage of attribute "${def.key}"; allowed stages: ${listNames(allowedStages)}`,
    { attributeKey: def.key, value, allowedStages },
  );
}

export function stageDisabled(def: LifecycleDefinition, stage: StageDefinition, value: string): LifecycleError {
  const allowedStages = enabledStageNames(def);
  return new LifecycleError(
    LifecycleErrorCode.StageDisabled,
    `Stage "${stage.name}" of attribute "${def.key}" is disabled; allowed stages: ${listNames(allowedStages)}`,
    { attributeKey: def.key, value, stageId: stage.id, allowedStages },
  );
}

export function futureTimestamp(at: Date, now: Date, toleranceMs: number): LifecycleError {
  return new LifecycleError(
    LifecycleErrorCode.FutureTimestamp,
    `Timestamp "${at.toISOString()}" is in the future; "at" must not be later than now (${now.toISOString()})`,
    { at: at.toISOString(), now: now.toISOString(), toleranceMs },
  );
}

export function invalidTimestamp(): LifecycleError {
  return new LifecycleError(LifecycleErrorCode.InvalidTimestamp, 'Timestamp "at" is not a valid date');
}

function listNames(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}
