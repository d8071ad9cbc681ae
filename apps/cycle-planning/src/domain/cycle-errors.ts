import { DomainError, type ErrorKind } from '@lifecycle/contracts';

/**
 * Typed domain errors of cycle planning (STYLE: "domain errors are typed with a code").
 *
 * - One `CycleError` class with a `CycleErrorCode`; rules never throw HTTP exceptions or bare `Error`s.
 * - `CYCLE_ERROR_KIND` gives every code its kind (`DomainError`), which the one transport filter
 *   maps to a status; the `Record` type makes a new code without a kind a compile error.
 * - `details` carries the ids involved (cycleId, taskId …) for the `details` field of the error body.
 */

export enum CycleErrorCode {
  InvalidTemplate = 'INVALID_TEMPLATE',
  InvalidTemplateEdit = 'INVALID_TEMPLATE_EDIT',
  InvalidDaysDue = 'INVALID_DAYS_DUE',
  /** P1: a play definition the rules refuse. */
  InvalidPlay = 'INVALID_PLAY',
  PlayNotFound = 'PLAY_NOT_FOUND',
  /** B6: due dates of a template that depend on each other in a loop. */
  DueDateDependencyLoop = 'DUE_DATE_DEPENDENCY_LOOP',
  InvalidDate = 'INVALID_DATE',
  InvalidCycleInput = 'INVALID_CYCLE_INPUT',
  CycleNotFound = 'CYCLE_NOT_FOUND',
  StageNotFound = 'STAGE_NOT_FOUND',
  ActivityNotFound = 'ACTIVITY_NOT_FOUND',
  TaskNotFound = 'TASK_NOT_FOUND',
  CycleNotActive = 'CYCLE_NOT_ACTIVE',
  CycleNotCompleted = 'CYCLE_NOT_COMPLETED',
  StageAlreadyCompleted = 'STAGE_ALREADY_COMPLETED',
  ActivityAlreadyCompleted = 'ACTIVITY_ALREADY_COMPLETED',
  TaskAlreadyCompleted = 'TASK_ALREADY_COMPLETED',
  /** C6: an activity with tasks completes through its tasks, not directly. */
  ActivityHasTasks = 'ACTIVITY_HAS_TASKS',
  /** C6: a stage with activities completes through its activities, not directly. */
  StageHasActivities = 'STAGE_HAS_ACTIVITIES',
  TemplateMismatch = 'TEMPLATE_MISMATCH',
  MixedAccounts = 'MIXED_ACCOUNTS',
  /** C13: stages are not bulk-editable; only the primary cycle is. */
  BulkStageEditNotSupported = 'BULK_STAGE_EDIT_NOT_SUPPORTED',
  // Service-level refusals (templates, client types, accounts, jobs), mapped by the same filter.
  TemplateNotFound = 'TEMPLATE_NOT_FOUND',
  TemplateAlreadyExists = 'TEMPLATE_ALREADY_EXISTS',
  /** C2/C3/C8: a template in use (active cycles, a default, a chain) cannot be deleted. */
  TemplateInUse = 'TEMPLATE_IN_USE',
  /** C5: an account runs at most one active cycle of a template. */
  TemplateAlreadyRunning = 'TEMPLATE_ALREADY_RUNNING',
  ClientTypeNotFound = 'CLIENT_TYPE_NOT_FOUND',
  ClientTypeAlreadyExists = 'CLIENT_TYPE_ALREADY_EXISTS',
  InvalidClientType = 'INVALID_CLIENT_TYPE',
  AccountNotFound = 'ACCOUNT_NOT_FOUND',
  InvalidBulkRequest = 'INVALID_BULK_REQUEST',
  /** Another writer kept changing the same document; the caller may retry. */
  ConcurrentUpdate = 'CONCURRENT_UPDATE',
}

export const CYCLE_ERROR_KIND: Readonly<Record<CycleErrorCode, ErrorKind>> = {
  [CycleErrorCode.InvalidTemplate]: 'invalid',
  [CycleErrorCode.InvalidTemplateEdit]: 'invalid',
  [CycleErrorCode.InvalidDaysDue]: 'invalid',
  [CycleErrorCode.DueDateDependencyLoop]: 'invalid',
  [CycleErrorCode.InvalidPlay]: 'invalid',
  [CycleErrorCode.PlayNotFound]: 'not-found',
  [CycleErrorCode.InvalidDate]: 'invalid',
  [CycleErrorCode.InvalidCycleInput]: 'invalid',
  [CycleErrorCode.CycleNotFound]: 'not-found',
  [CycleErrorCode.StageNotFound]: 'not-found',
  [CycleErrorCode.ActivityNotFound]: 'not-found',
  [CycleErrorCode.TaskNotFound]: 'not-found',
  [CycleErrorCode.CycleNotActive]: 'conflict',
  [CycleErrorCode.CycleNotCompleted]: 'conflict',
  [CycleErrorCode.StageAlreadyCompleted]: 'conflict',
  [CycleErrorCode.ActivityAlreadyCompleted]: 'conflict',
  [CycleErrorCode.TaskAlreadyCompleted]: 'conflict',
  [CycleErrorCode.ActivityHasTasks]: 'conflict',
  [CycleErrorCode.StageHasActivities]: 'conflict',
  [CycleErrorCode.TemplateMismatch]: 'conflict',
  [CycleErrorCode.MixedAccounts]: 'invalid',
  // A `stage` field is off the bulk body's document (a 400 like any unknown field), with the rule's own message.
  [CycleErrorCode.BulkStageEditNotSupported]: 'malformed',
  [CycleErrorCode.TemplateNotFound]: 'not-found',
  [CycleErrorCode.TemplateAlreadyExists]: 'conflict',
  [CycleErrorCode.TemplateInUse]: 'conflict',
  [CycleErrorCode.TemplateAlreadyRunning]: 'conflict',
  [CycleErrorCode.ClientTypeNotFound]: 'not-found',
  [CycleErrorCode.ClientTypeAlreadyExists]: 'conflict',
  [CycleErrorCode.InvalidClientType]: 'invalid',
  [CycleErrorCode.AccountNotFound]: 'not-found',
  [CycleErrorCode.InvalidBulkRequest]: 'invalid',
  [CycleErrorCode.ConcurrentUpdate]: 'conflict',
};

export class CycleError extends DomainError<CycleErrorCode> {
  override readonly name = 'CycleError';

  get kind(): ErrorKind {
    return CYCLE_ERROR_KIND[this.code];
  }
}
