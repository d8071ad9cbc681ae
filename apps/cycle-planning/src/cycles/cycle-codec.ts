/**
 * The stored form of an account's cycles: a format byte, then the JSON of the domain objects
 * (dates as ISO strings), deflated. Decoding rebuilds the domain objects field by field, so
 * optional fields stay absent (never `undefined`) and dates become `Date`s again. A later format
 * gets a new format byte, so stored documents can be told apart and migrated.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { AccountCycle, CycleActivity, CycleItemState, CycleStage, CycleTask, CycleStatus, DaysDue } from '../domain';

interface JsonItem {
  id: string;
  name: string;
  order: number;
  daysDue?: DaysDue;
  dueDate: string | null;
  dueDateReason: string | null;
  completedAt: string | null;
}

interface JsonTask extends JsonItem {
  ownerRole?: string;
  ownerId?: string;
}

interface JsonActivity extends JsonItem {
  tasks: JsonTask[];
}

interface JsonStage extends JsonItem {
  activities: JsonActivity[];
}

interface JsonCycle {
  cycleId: string;
  accountId: string;
  templateId: string;
  templateVersion: number;
  name: string;
  primary: boolean;
  status: CycleStatus;
  startDate: string;
  assignedAt: string;
  completedAt: string | null;
  stages: JsonStage[];
}

/** Format 1: deflated JSON. */
const DEFLATED_JSON = 1;

export function encodeCycles(cycles: readonly AccountCycle[]): Buffer {
  return Buffer.concat([Buffer.of(DEFLATED_JSON), deflateRawSync(Buffer.from(JSON.stringify(cycles), 'utf8'))]);
}

export function decodeCycles(encoded: Uint8Array): AccountCycle[] {
  if (encoded[0] !== DEFLATED_JSON) throw new Error(`unknown encoding ${String(encoded[0])} of stored cycles`);
  const json = JSON.parse(inflateRawSync(encoded.subarray(1)).toString('utf8')) as JsonCycle[];
  return json.map(toCycle);
}

const date = (value: string): Date => new Date(value);
const dateOrNull = (value: string | null): Date | null => (value === null ? null : new Date(value));

function toItem(item: JsonItem): CycleItemState {
  return {
    id: item.id,
    name: item.name,
    order: item.order,
    ...(item.daysDue === undefined ? {} : { daysDue: { days: item.daysDue.days, relativeTo: item.daysDue.relativeTo } }),
    dueDate: dateOrNull(item.dueDate),
    dueDateReason: item.dueDateReason,
    completedAt: dateOrNull(item.completedAt),
  };
}

function toTask(task: JsonTask): CycleTask {
  return {
    ...toItem(task),
    ...(task.ownerRole === undefined ? {} : { ownerRole: task.ownerRole }),
    ...(task.ownerId === undefined ? {} : { ownerId: task.ownerId }),
  };
}

function toActivity(activity: JsonActivity): CycleActivity {
  return { ...toItem(activity), tasks: activity.tasks.map(toTask) };
}

function toStage(stage: JsonStage): CycleStage {
  return { ...toItem(stage), activities: stage.activities.map(toActivity) };
}

function toCycle(cycle: JsonCycle): AccountCycle {
  return {
    cycleId: cycle.cycleId,
    accountId: cycle.accountId,
    templateId: cycle.templateId,
    templateVersion: cycle.templateVersion,
    name: cycle.name,
    primary: cycle.primary,
    status: cycle.status,
    startDate: date(cycle.startDate),
    assignedAt: date(cycle.assignedAt),
    completedAt: dateOrNull(cycle.completedAt),
    stages: cycle.stages.map(toStage),
  };
}
