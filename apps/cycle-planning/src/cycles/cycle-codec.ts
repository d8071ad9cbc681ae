/**
 * The stored forms of an account's cycles (`account_cycles.cycles`, see the schema):
 * - documents: the domain objects as subdocuments, dates as dates — queryable by any tool;
 * - deflated: a format byte, then the JSON of the domain objects (dates as ISO strings), deflated
 *   (a later format gets a new byte, so stored documents can be told apart and migrated).
 * Reading rebuilds the domain objects field by field from either, so optional fields stay absent
 * (never `undefined`, which the driver would store as null) and dates are `Date`s.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Binary } from 'mongodb';
import {
  copyDaysDue,
  type AccountCycle,
  type CycleActivity,
  type CycleItemState,
  type CycleStage,
  type CycleTask,
  type CycleStatus,
  type DaysDue,
} from '../domain';

/** A date as JSON holds it (ISO string) or as BSON does. */
type StoredDate = string | Date;

interface JsonItem {
  id: string;
  name: string;
  order: number;
  daysDue?: DaysDue;
  dueDate: StoredDate | null;
  dueDateReason: string | null;
  completedAt: StoredDate | null;
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
  startDate: StoredDate;
  assignedAt: StoredDate;
  completedAt: StoredDate | null;
  stages: JsonStage[];
}

/** The documents form: plain subdocuments (see the file comment). */
export type StoredCycle = JsonCycle;

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

/** The documents form: what is stored is what the domain has, without `undefined` fields. */
export function cycleDocuments(cycles: readonly AccountCycle[]): StoredCycle[] {
  return cycles.map(toCycle);
}

/** The domain's cycles from either stored form. */
export function storedCycles(stored: readonly StoredCycle[] | Binary): AccountCycle[] {
  return Array.isArray(stored) ? stored.map(toCycle) : decodeCycles((stored as Binary).buffer);
}

const date = (value: StoredDate): Date => new Date(value);
const dateOrNull = (value: StoredDate | null): Date | null => (value === null ? null : new Date(value));

function toItem(item: JsonItem): CycleItemState {
  return {
    id: item.id,
    name: item.name,
    order: item.order,
    ...(item.daysDue === undefined ? {} : { daysDue: copyDaysDue(item.daysDue) }),
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
