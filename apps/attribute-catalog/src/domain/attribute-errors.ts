import { DomainError, type ErrorKind } from '@lifecycle/contracts';

/**
 * Typed domain errors of the attribute catalog. Rules never throw HTTP exceptions or bare
 * `Error`s; the kind of each code (`ATTRIBUTE_ERROR_KIND`) decides the HTTP status (libs/http).
 */
export enum AttributeErrorCode {
  /** A field has a value the catalog does not accept (key slug, empty name, colour, lengths). */
  InvalidField = 'INVALID_FIELD',
  /** `If-Match` is not a version (ETag). */
  InvalidIfMatch = 'INVALID_IF_MATCH',
  /** A2: two stages of one attribute with the same name, compared case-insensitively. */
  DuplicateStageName = 'DUPLICATE_STAGE_NAME',
  /** `stageIds` of a reorder is not a permutation of the attribute's stage ids. */
  InvalidStageOrder = 'INVALID_STAGE_ORDER',
  AttributeNotFound = 'ATTRIBUTE_NOT_FOUND',
  StageNotFound = 'STAGE_NOT_FOUND',
  AttributeAlreadyExists = 'ATTRIBUTE_ALREADY_EXISTS',
  /** A3: the attribute lacks what activation needs. */
  NotActivatable = 'NOT_ACTIVATABLE',
  /** A4: the stage order of an active attribute is fixed. */
  StageOrderLocked = 'STAGE_ORDER_LOCKED',
  /** A4: the set of stage ids of an active attribute is fixed. */
  StageRemovalLocked = 'STAGE_REMOVAL_LOCKED',
  /** Whether a stage is an end stage is fixed once the attribute is active (L5 depends on it). */
  EndStageLocked = 'END_STAGE_LOCKED',
  TooManyStages = 'TOO_MANY_STAGES',
  /** B3: end stages have no SLA (the cycle is complete there). */
  SlaOnEndStage = 'SLA_ON_END_STAGE',
  /** Optimistic concurrency: the stored version is not the one the change was based on. */
  ConcurrentModification = 'CONCURRENT_MODIFICATION',
}

export const ATTRIBUTE_ERROR_KIND: Readonly<Record<AttributeErrorCode, ErrorKind>> = {
  [AttributeErrorCode.InvalidField]: 'invalid',
  [AttributeErrorCode.InvalidIfMatch]: 'malformed',
  [AttributeErrorCode.DuplicateStageName]: 'invalid',
  [AttributeErrorCode.InvalidStageOrder]: 'invalid',
  [AttributeErrorCode.AttributeNotFound]: 'not-found',
  [AttributeErrorCode.StageNotFound]: 'not-found',
  [AttributeErrorCode.AttributeAlreadyExists]: 'conflict',
  [AttributeErrorCode.NotActivatable]: 'conflict',
  [AttributeErrorCode.StageOrderLocked]: 'conflict',
  [AttributeErrorCode.StageRemovalLocked]: 'conflict',
  [AttributeErrorCode.EndStageLocked]: 'conflict',
  [AttributeErrorCode.TooManyStages]: 'conflict',
  [AttributeErrorCode.SlaOnEndStage]: 'conflict',
  [AttributeErrorCode.ConcurrentModification]: 'conflict',
};

export class AttributeError extends DomainError<AttributeErrorCode> {
  override readonly name = 'AttributeError';

  get kind(): ErrorKind {
    return ATTRIBUTE_ERROR_KIND[this.code];
  }
}

// Factories keep the wording of each refusal in one place.

export function invalidField(field: string, message: string): AttributeError {
  return new AttributeError(AttributeErrorCode.InvalidField, message, { field });
}

export function attributeNotFound(key: string): AttributeError {
  return new AttributeError(AttributeErrorCode.AttributeNotFound, `Attribute "${key}" does not exist`, { key });
}

export function stageNotFound(key: string, stageId: string): AttributeError {
  return new AttributeError(AttributeErrorCode.StageNotFound, `Attribute "${key}" has no stage with id "${stageId}"`, { key, stageId });
}

export function attributeAlreadyExists(key: string): AttributeError {
  return new AttributeError(
    AttributeErrorCode.AttributeAlreadyExists,
    `An attribute with key "${key}" already exists; keys are unique and cannot be changed`,
    { key },
  );
}

export function concurrentModification(key: string, expectedVersion: number, actualVersion: number | null): AttributeError {
  const found = actualVersion === null ? '' : ` (expected version ${expectedVersion}, found ${actualVersion})`;
  return new AttributeError(
    AttributeErrorCode.ConcurrentModification,
    `Attribute "${key}" was modified concurrently${found}; reload and retry`,
    { key, expectedVersion, ...(actualVersion === null ? {} : { actualVersion }) },
  );
}

export function slaOnEndStage(key: string, stageName: string, field: string): AttributeError {
  return new AttributeError(
    AttributeErrorCode.SlaOnEndStage,
    `${field}: stage "${stageName}" of attribute "${key}" is an end stage, and end stages have no SLA (the cycle is complete there); ` +
      'set the SLA on a stage that is not an end stage, or send sla: null',
    { key, stage: stageName, field },
  );
}
