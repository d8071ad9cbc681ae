/**
 * The play form's model (P1) and its body: what the admin picked, turned into the `POST /v1/plays`
 * body with only the fields of the chosen trigger and action; and the words the screens use for a
 * play's trigger and action. Pure: no React, no I/O. The service stays the judge (422 names each
 * problem); the form only leaves out the fields of the kinds not chosen.
 */
import type { Play, PlayBody, PlayFiring } from '../api/schemas';

export type TriggerType = PlayBody['trigger']['type'];
export type ActionType = PlayBody['action']['type'];

export const TRIGGER_TYPES: readonly { value: TriggerType; label: string }[] = [
  { value: 'stage.sla-at-risk', label: 'A stage SLA is at risk' },
  { value: 'stage.sla-breached', label: 'A stage SLA is breached (overdue)' },
  { value: 'segment.entered', label: 'The account enters a segment' },
];

export const ACTION_TYPES: readonly { value: ActionType; label: string }[] = [
  { value: 'create-task', label: 'Create a task for the account owner' },
  { value: 'assign-template', label: 'Assign a SuccessCycle template' },
];

export interface PlayDraft {
  name: string;
  triggerType: TriggerType;
  segmentId: string;
  attributeKey: string;
  /** '' = every stage of the attribute. */
  stageId: string;
  actionType: ActionType;
  templateId: string;
  taskName: string;
  /** '' while the input is empty. */
  dueInBusinessDays: number | '';
  paused: boolean;
}

export function newPlayDraft(): PlayDraft {
  return {
    name: '',
    triggerType: 'stage.sla-breached',
    segmentId: '',
    attributeKey: '',
    stageId: '',
    actionType: 'create-task',
    templateId: '',
    taskName: '',
    dueInBusinessDays: 2,
    paused: false,
  };
}

/** The create body: the trigger's and the action's own fields only; an empty choice is left out for the service to name. */
export function playBody(draft: PlayDraft): PlayBody {
  const trigger: PlayBody['trigger'] =
    draft.triggerType === 'segment.entered'
      ? { type: draft.triggerType, ...(draft.segmentId ? { segmentId: draft.segmentId } : {}) }
      : {
          type: draft.triggerType,
          ...(draft.attributeKey ? { attributeKey: draft.attributeKey } : {}),
          ...(draft.stageId ? { stageId: draft.stageId } : {}),
        };
  const action: PlayBody['action'] =
    draft.actionType === 'assign-template'
      ? { type: draft.actionType, ...(draft.templateId ? { templateId: draft.templateId } : {}) }
      : {
          type: draft.actionType,
          ...(draft.taskName.trim() ? { taskName: draft.taskName.trim() } : {}),
          ...(draft.dueInBusinessDays === '' ? {} : { dueInBusinessDays: draft.dueInBusinessDays }),
        };
  return { name: draft.name.trim(), trigger, action, ...(draft.paused ? { paused: true } : {}) };
}

/** Names of what plays refer to, as far as the console knows them (ids otherwise). */
export interface PlayNames {
  attributes: ReadonlyMap<string, { name: string; stages: ReadonlyMap<string, string> }>;
  segments: ReadonlyMap<string, string>;
  templates: ReadonlyMap<string, string>;
}

export function describeTrigger(trigger: Play['trigger'], names: PlayNames): string {
  if (trigger.type === 'segment.entered') {
    const segment = trigger.segmentId ? (names.segments.get(trigger.segmentId) ?? trigger.segmentId) : '?';
    return `Enters segment "${segment}"`;
  }
  const attribute = trigger.attributeKey ? names.attributes.get(trigger.attributeKey) : undefined;
  const stage = trigger.stageId ? (attribute?.stages.get(trigger.stageId) ?? trigger.stageId) : 'any stage';
  const what = trigger.type === 'stage.sla-at-risk' ? 'SLA at risk' : 'SLA breached';
  return `${what}: ${attribute?.name ?? trigger.attributeKey ?? '?'} · ${stage}`;
}

export function describeAction(action: Play['action'], names: PlayNames): string {
  if (action.type === 'assign-template') {
    return `Assign "${action.templateId ? (names.templates.get(action.templateId) ?? action.templateId) : '?'}"`;
  }
  const days = action.dueInBusinessDays ?? 0;
  return `Task "${action.taskName ?? '?'}", due in ${days} business day${days === 1 ? '' : 's'}`;
}

/** What a firing did, in a few words. */
export function describeOutcome(firing: PlayFiring): string {
  const a = firing.action;
  switch (a.outcome) {
    case 'task-created':
      return `Task "${a.taskName ?? ''}" for ${a.ownerId ?? 'no owner'}, due ${a.dueDate ?? '—'}${a.completedAt ? ', done' : ''}`;
    case 'assigned':
      return 'Cycle assigned';
    case 'already-running':
      return 'Already running the template';
    case 'skipped':
      return `Skipped: ${a.reason ?? ''}`;
  }
}
