/**
 * C13: setting the primary cycle (a template) for many accounts at once; the job runs this per account.
 *
 * Decisions:
 * - An account already running the template gets that cycle as primary (the oldest, if it runs
 *   several); one not running it gets it assigned as primary (the caller instantiates it, starting
 *   on the job's date) — also if it completed the template before: the admin asked for it.
 * - Stages are not bulk-editable: a request naming a stage (`stage`, `stageId`, `stages`,
 *   `currentStage`, `primaryStage`) is refused with `BulkStageEditNotSupported`, whatever its value.
 */
import type { AccountCycle } from './account-cycle';
import { compareByAge } from './primary-cycle';
import { CycleError, CycleErrorCode } from './cycle-errors';

export interface BulkPrimaryRequest {
  templateId: string;
  readonly [field: string]: unknown;
}

export type BulkPrimaryStep =
  | { action: 'unchanged'; cycleId: string }
  | { action: 'set-primary'; cycleId: string }
  | { action: 'assign'; templateId: string; primary: true };

const STAGE_FIELDS = ['stage', 'stageId', 'stages', 'currentStage', 'primaryStage'] as const;

/** C13: refuses a bulk request that tries to edit stages. */
export function assertNoBulkStageEdit(request: Readonly<Record<string, unknown>>): void {
  const field = STAGE_FIELDS.find((name) => Object.prototype.hasOwnProperty.call(request, name));
  if (field !== undefined) {
    throw new CycleError(
      CycleErrorCode.BulkStageEditNotSupported,
      `Stages cannot be edited in bulk; only the primary cycle can (remove "${field}" from the request)`,
      { field },
    );
  }
}

/** C13: what the bulk job does for one account, given all its cycles. */
export function planBulkPrimary(accountCycles: readonly AccountCycle[], request: BulkPrimaryRequest): BulkPrimaryStep {
  assertNoBulkStageEdit(request);
  const running = accountCycles.filter((c) => c.status === 'active' && c.templateId === request.templateId).sort(compareByAge);
  const primary = running.find((c) => c.primary);
  if (primary !== undefined) return { action: 'unchanged', cycleId: primary.cycleId };
  if (running.length > 0) return { action: 'set-primary', cycleId: running[0].cycleId };
  return { action: 'assign', templateId: request.templateId, primary: true };
}
