/**
 * P1/P2: plays — "when this happens to an account, do that". A play has one trigger (an account
 * entering a saved segment, or a stage SLA of an attribute reaching at-risk or breached) and one
 * action (assign a SuccessCycle template, or create a task for the account owner due N business
 * days later). Pure: what a play is, whether an occurrence triggers it, and what the task is.
 *
 * Decisions (where the rules are silent):
 * - An SLA trigger names the attribute and, optionally, one stage of it (any stage otherwise).
 * - A one-off task is due N working days after the UTC day the play fires, on the account's
 *   calendar (the WORKDAY convention of B6), and belongs to the account's owner at that time: a
 *   crossing dated in the past (a backdated change, B4) still gives the owner N days, not a task
 *   born overdue.
 * - A play fires once per occurrence (its event id), and never for occurrences that arrive while
 *   it is paused: resuming does not replay them (P2: a paused play records nothing).
 */
import { addWorkingDays, type BusinessCalendar } from '@lifecycle/rules';
import type { PlayActionType, PlayOutcome, PlayTriggerType } from '@lifecycle/contracts';
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
  const trigger = input.trigger as Partial<Record<'segmentId' | 'attributeKey' | 'stageId', string>> & { type: PlayTriggerType };
  if (trigger.type === 'segment.entered') {
    if (!trigger.segmentId) problems.push('trigger segment.entered needs segmentId (the saved segment)');
    if (trigger.attributeKey !== undefined || trigger.stageId !== undefined) {
      problems.push('trigger segment.entered takes segmentId only (attributeKey and stageId belong to the SLA triggers)');
    }
  } else {
    if (!trigger.attributeKey) problems.push(`trigger ${trigger.type} needs attributeKey (the attribute whose stage SLA is watched)`);
    if (trigger.segmentId !== undefined) problems.push(`trigger ${trigger.type} takes attributeKey and stageId, not segmentId`);
  }
  const action = input.action as Partial<{ templateId: string; taskName: string; dueInBusinessDays: number }> & { type: PlayActionType };
  if (action.type === 'assign-template') {
    if (!action.templateId) problems.push('action assign-template needs templateId');
    if (action.taskName !== undefined || action.dueInBusinessDays !== undefined) {
      problems.push('action assign-template takes templateId only (taskName and dueInBusinessDays belong to create-task)');
    }
  }
  if (action.type === 'create-task') {
    if (action.templateId !== undefined) problems.push('action create-task takes taskName and dueInBusinessDays, not templateId');
    if (!action.taskName || action.taskName.trim() === '' || action.taskName.length > PLAY_LIMITS.taskName) {
      problems.push(`action create-task needs taskName (1 to ${PLAY_LIMITS.taskName} characters)`);
    }
    const due = action.dueInBusinessDays;
    if (due === undefined || !Number.isInteger(due) || due < 0 || due > PLAY_LIMITS.maxDueDays) {
      problems.push(`action create-task: dueInBusinessDays must be a whole number from 0 to ${PLAY_LIMITS.maxDueDays}`);
    }
  }
  if (problems.length > 0) {
    throw new CycleError(CycleErrorCode.InvalidPlay, `Play "${input.name}" is invalid: ${problems.join('; ')}`, { problems });
  }
}

/** P1: the catalog's attributes a play's SLA trigger may name: key → its stages in order. */
export type PlayCatalog = ReadonlyMap<string, ReadonlyArray<{ id: string; name: string; endStage: boolean; hasSla: boolean }>>;

/**
 * P1: what an SLA trigger names must exist in the catalog: the attribute, and the stage (by id)
 * when one is given, not an end stage (end stages have no SLA, B3: it would never cross). A stage
 * without an SLA yet is accepted: the SLA may be set after the play. Returns the problems, each
 * naming what is allowed; `segment.entered` names nothing of the catalog.
 */
export function catalogProblems(trigger: PlayTrigger, catalog: PlayCatalog): string[] {
  if (trigger.type === 'segment.entered' || !trigger.attributeKey) return [];
  const stages = catalog.get(trigger.attributeKey);
  if (stages === undefined) {
    const known = [...catalog.keys()].sort();
    return [
      `trigger ${trigger.type}: unknown attribute "${trigger.attributeKey}"; ${known.length === 0 ? 'no attribute is known yet' : `known attributes: ${known.join(', ')}`}`,
    ];
  }
  if (trigger.stageId === undefined) return [];
  const stage = stages.find((s) => s.id === trigger.stageId);
  const listed = stages
    .filter((s) => !s.endStage)
    .map((s) => `"${s.name}" (id ${s.id})`)
    .join(', ');
  if (stage === undefined) {
    return [
      `trigger ${trigger.type}: attribute "${trigger.attributeKey}" has no stage id "${trigger.stageId}"; its stages (end stages have no SLA): ${listed}`,
    ];
  }
  if (stage.endStage) {
    return [`trigger ${trigger.type}: "${stage.name}" is an end stage, which has no SLA (B3) and never crosses; pick one of: ${listed}`];
  }
  return [];
}

/**
 * P1: the saved segment a `segment.entered` trigger names must exist (id → name of the known ones);
 * the problem names the saved segments (at most `MAX_NAMED`, then how many in all).
 */
export function segmentProblems(trigger: PlayTrigger, segments: ReadonlyMap<string, string>): string[] {
  if (trigger.type !== 'segment.entered' || !trigger.segmentId || segments.has(trigger.segmentId)) return [];
  const known = [...segments].sort(([, a], [, b]) => a.localeCompare(b)).map(([id, name]) => `"${name}" (id ${id})`);
  const listed = known.length === 0 ? 'no segment is saved yet' : `saved segments: ${namedList(known)}`;
  return [`trigger segment.entered: unknown segment "${trigger.segmentId}"; ${listed}`];
}

/** How many names a refusal lists before it says how many there are in all. */
export const MAX_NAMED = 20;

export function namedList(names: readonly string[]): string {
  return names.length > MAX_NAMED ? `${names.slice(0, MAX_NAMED).join(', ')} … (${names.length} in all)` : names.join(', ');
}

/** P1: whether an occurrence triggers the play (paused or not: pausing is the caller's check). */
export function triggers(play: Play, occurrence: TriggerOccurrence): boolean {
  const trigger = play.trigger;
  if (trigger.type !== occurrence.type) return false;
  if (trigger.type === 'segment.entered') return trigger.segmentId === occurrence.segmentId;
  return trigger.attributeKey === occurrence.attributeKey && (trigger.stageId === undefined || trigger.stageId === occurrence.stageId);
}

/** P1: the one-off task's due date, `YYYY-MM-DD`: N working days after the UTC day of `firedAt`. */
export function playTaskDueDate(action: Extract<PlayAction, { type: 'create-task' }>, firedAt: Date, calendar: BusinessCalendar): string {
  return addWorkingDays(calendar, startOfUtcDay(firedAt).toISOString().slice(0, 10), action.dueInBusinessDays);
}

/** P2: what one firing recorded — the occurrence, what the action did, and the one-off task it made. */
export interface PlayFiring {
  /** Name-based on (play, trigger event id): the idempotency key of the firing (P2). */
  id: string;
  playId: string;
  playName: string;
  accountId: string;
  trigger: TriggerOccurrence;
  action: {
    type: PlayActionType;
    outcome: PlayOutcome;
    reason?: string;
    templateId?: string;
    cycleId?: string;
    taskId?: string;
    taskName?: string;
    ownerId?: string | null;
    /** YYYY-MM-DD */
    dueDate?: string;
    /** `task-created`: when the one-off task was done; null while it is open. */
    completedAt?: Date | null;
  };
  firedAt: Date;
}

/**
 * P1: the one-off task a `create-task` firing made, as the tasks view (C9) and its completion see
 * it. Its id is the firing id: one task per play and trigger occurrence (P2).
 */
export interface PlayTask {
  taskId: string;
  accountId: string;
  playId: string;
  playName: string;
  taskName: string;
  ownerId: string | null;
  /** The due day at 00:00Z, like the cycles' due dates. */
  dueDate: Date;
  firedAt: Date;
  completedAt: Date | null;
}

/** The one-off task of a firing; null when the firing made none (another action, or a skip). */
export function playTaskOf(firing: PlayFiring): PlayTask | null {
  const { action } = firing;
  if (action.outcome !== 'task-created' || action.taskName === undefined || action.dueDate === undefined) return null;
  return {
    taskId: firing.id,
    accountId: firing.accountId,
    playId: firing.playId,
    playName: firing.playName,
    taskName: action.taskName,
    ownerId: action.ownerId ?? null,
    dueDate: new Date(`${action.dueDate}T00:00:00.000Z`),
    firedAt: firing.firedAt,
    completedAt: action.completedAt ?? null,
  };
}

/**
 * P1: when a one-off task may be completed, and at what time. Like a cycle task (C6): once only
 * (409 `TASK_ALREADY_COMPLETED`, naming when), `at` defaults to now and is never in the future;
 * and never before the task existed (the play fired), which a cycle task has no counterpart of.
 */
export function playTaskCompletion(task: PlayTask, at: Date | undefined, now: Date): Date {
  if (task.completedAt !== null) {
    throw new CycleError(
      CycleErrorCode.TaskAlreadyCompleted,
      `Task "${task.taskName}" of play "${task.playName}" was completed at ${task.completedAt.toISOString()}; it completes once`,
      { taskId: task.taskId, accountId: task.accountId, completedAt: task.completedAt.toISOString() },
    );
  }
  const when = at ?? now;
  if (Number.isNaN(when.getTime())) throw new CycleError(CycleErrorCode.InvalidDate, 'at must be a valid date', { field: 'at' });
  if (when.getTime() > now.getTime()) {
    throw new CycleError(CycleErrorCode.InvalidDate, 'at (the completion time) must not be in the future', { at: when.toISOString() });
  }
  if (when.getTime() < task.firedAt.getTime()) {
    throw new CycleError(
      CycleErrorCode.InvalidDate,
      `at (the completion time) must not be before the play fired (${task.firedAt.toISOString()}): the task did not exist yet`,
      { at: when.toISOString(), firedAt: task.firedAt.toISOString() },
    );
  }
  return when;
}

export type { PlayActionType, PlayOutcome, PlayTriggerType };
