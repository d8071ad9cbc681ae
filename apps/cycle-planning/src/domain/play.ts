/**
 * P1/P2: plays — "when this happens to an account, do that". A play has one trigger (an account
 * entering a saved segment, or a stage SLA of an attribute reaching at-risk or breached) and one
 * action (assign a SuccessCycle template, or create a task for the account owner due N business
 * days later). Pure: what a play is, whether an occurrence triggers it, and what the task is.
 *
 * Decisions (where the rules are silent):
 * - An SLA trigger names the attribute and, optionally, one stage of it (any stage otherwise).
 * - A one-off task is due N working days after the occurrence's UTC day, on the account's calendar
 *   (the WORKDAY convention of B6), and belongs to the account's owner at the time it fires.
 * - A play fires once per occurrence (its event id), and never for occurrences that arrive while
 *   it is paused: resuming does not replay them (P2: a paused play records nothing).
 */
import { addWorkingDays, type BusinessCalendar } from '@lifecycle/rules';
import type { PlayActionType, PlayTriggerType } from '@lifecycle/contracts';
import { CycleError, CycleErrorCode } from './cycle-errors';
import { startOfUtcDay } from './due-dates';

export type PlayTrigger =
  | { type: 'segment.entered'; segmentId: string }
  | { type: 'stage.sla-at-risk' | 'stage.sla-breached'; attributeKey: string; stageId?: string };

export type PlayAction =
  { type: 'assign-template'; templateId: string } | { type: 'create-task'; taskName: string; dueInBusinessDays: number };

export interface Play {
  id: string;
  name: string;
  trigger: PlayTrigger;
  action: PlayAction;
  paused: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One occurrence of something a play may react to, as its event said it. */
export interface TriggerOccurrence {
  type: PlayTriggerType;
  /** The event's id: what "once per occurrence" counts (P2). */
  eventId: string;
  occurredAt: Date;
  accountId: string;
  segmentId?: string;
  attributeKey?: string;
  stageId?: string;
}

export const PLAY_LIMITS = { name: 200, taskName: 200, maxDueDays: 365 } as const;

/** P1: a play as an admin defines it; refused (422 `INVALID_PLAY`) with every problem listed. */
export function validatePlay(input: { name: string; trigger: PlayTrigger; action: PlayAction }): void {
  const problems: string[] = [];
  if (input.name.trim() === '' || input.name.length > PLAY_LIMITS.name) problems.push(`name must be 1 to ${PLAY_LIMITS.name} characters`);
  const trigger = input.trigger;
  if (trigger.type === 'segment.entered') {
    if (!trigger.segmentId) problems.push('trigger segment.entered needs segmentId (the saved segment)');
  } else if (!trigger.attributeKey) {
    problems.push(`trigger ${trigger.type} needs attributeKey (the attribute whose stage SLA is watched)`);
  }
  const action = input.action;
  if (action.type === 'assign-template' && !action.templateId) problems.push('action assign-template needs templateId');
  if (action.type === 'create-task') {
    if (!action.taskName || action.taskName.trim() === '') problems.push('action create-task needs taskName');
    if (!Number.isInteger(action.dueInBusinessDays) || action.dueInBusinessDays < 0 || action.dueInBusinessDays > PLAY_LIMITS.maxDueDays) {
      problems.push(`action create-task: dueInBusinessDays must be a whole number from 0 to ${PLAY_LIMITS.maxDueDays}`);
    }
  }
  if (problems.length > 0) {
    throw new CycleError(CycleErrorCode.InvalidPlay, `Play "${input.name}" is invalid: ${problems.join('; ')}`, { problems });
  }
}

/** P1: whether an occurrence triggers the play (paused or not: pausing is the caller's check). */
export function triggers(play: Play, occurrence: TriggerOccurrence): boolean {
  const trigger = play.trigger;
  if (trigger.type !== occurrence.type) return false;
  if (trigger.type === 'segment.entered') return trigger.segmentId === occurrence.segmentId;
  return trigger.attributeKey === occurrence.attributeKey && (trigger.stageId === undefined || trigger.stageId === occurrence.stageId);
}

/** P1: the one-off task's due date, `YYYY-MM-DD`: N working days after the occurrence's UTC day. */
export function playTaskDueDate(
  action: Extract<PlayAction, { type: 'create-task' }>,
  occurredAt: Date,
  calendar: BusinessCalendar,
): string {
  return addWorkingDays(calendar, startOfUtcDay(occurredAt).toISOString().slice(0, 10), action.dueInBusinessDays);
}

export type { PlayActionType, PlayTriggerType };
