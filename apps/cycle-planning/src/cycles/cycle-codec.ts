/**
 * The stored forms of an account's cycles (`account_cycles.cycles`, see the schema):
 * - documents: the domain objects as subdocuments, dates as dates — queryable by any tool;
 * - deflated: a format byte, then deflated JSON (each format has its own byte, so stored
 *   documents can be told apart and migrated). Format 2 is written: each cycle and item a
 *   positional array (`CycleRow`), dates as epoch milliseconds — a template edit rewrites every
 *   cycle of the template, and this form costs a third of format 1 to write and read
 *   (docs/benchmarks.md, "Template propagation"). Format 1 (the domain objects' JSON, dates as ISO
 *   strings) is still read.
 * Reading rebuilds the domain objects field by field from any of them, so optional fields stay
 * absent (never `undefined`, which the driver would store as null) and dates are `Date`s.
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

/** Format 1: the domain objects' JSON, deflated (read only). */
const DEFLATED_JSON = 1;
/** Format 2: positional arrays (`CycleRow`), dates as epoch milliseconds, deflated. */
const POSITIONAL_JSON = 2;
/**
 * zlib's fastest level: on a cycle of 40 items it deflates in about half the time of the default
 * level, to ~15 % more bytes (about 1 kB; the stored documents stay as small as format 1's).
 */
const DEFLATE_LEVEL = 1;

type Millis = number;
/** `[id, name, order, daysDue, dueDate, dueDateReason, completedAt]` of a stage, activity or task. */
type ItemRow = [string, string, number, DaysDue | null, Millis | null, string | null, Millis | null];
type TaskRow = [...ItemRow, ownerRole: string | null, ownerId: string | null];
type ActivityRow = [...ItemRow, tasks: TaskRow[]];
type StageRow = [...ItemRow, activities: ActivityRow[]];
/** `[cycleId, accountId, templateId, templateVersion, name, primary (0/1), status, startDate, assignedAt, completedAt, stages]`. */
type CycleRow = [string, string, string, number, string, 0 | 1, CycleStatus, Millis, Millis, Millis | null, StageRow[]];

export function encodeCycles(cycles: readonly AccountCycle[]): Buffer {
  const json = JSON.stringify(cycles.map(cycleRow));
  return Buffer.concat([Buffer.of(POSITIONAL_JSON), deflateRawSync(Buffer.from(json, 'utf8'), { level: DEFLATE_LEVEL })]);
}

export function decodeCycles(encoded: Uint8Array): AccountCycle[] {
  const format = encoded[0];
  if (format !== POSITIONAL_JSON && format !== DEFLATED_JSON) throw new Error(`unknown encoding ${String(format)} of stored cycles`);
  const json: unknown = JSON.parse(inflateRawSync(encoded.subarray(1)).toString('utf8'));
  return format === POSITIONAL_JSON ? (json as CycleRow[]).map(fromCycleRow) : (json as JsonCycle[]).map(toCycle);
}

const millis = (date: Date | null): Millis | null => (date === null ? null : date.getTime());
const fromMillis = (value: Millis | null): Date | null => (value === null ? null : new Date(value));

/** JSON leaves out a `daysDue` field that is `undefined`, so the rule is stored with exactly the fields set. */
function itemRow(item: CycleItemState): ItemRow {
  return [item.id, item.name, item.order, item.daysDue ?? null, millis(item.dueDate), item.dueDateReason, millis(item.completedAt)];
}

function cycleRow(cycle: AccountCycle): CycleRow {
  return [
    cycle.cycleId,
    cycle.accountId,
    cycle.templateId,
    cycle.templateVersion,
    cycle.name,
    cycle.primary ? 1 : 0,
    cycle.status,
    cycle.startDate.getTime(),
    cycle.assignedAt.getTime(),
    millis(cycle.completedAt),
    cycle.stages.map((stage) =>
      withTail<StageRow>(
        itemRow(stage),
        stage.activities.map((activity) =>
          withTail<ActivityRow>(
            itemRow(activity),
            activity.tasks.map((task) => withTail<TaskRow>(itemRow(task), task.ownerRole ?? null, task.ownerId ?? null)),
          ),
        ),
      ),
    ),
  ];
}

/** An item's row with the fields of its kind appended (in place: no copy per item). */
function withTail<R extends ItemRow | TaskRow | ActivityRow | StageRow>(row: ItemRow, ...tail: unknown[]): R {
  (row as unknown[]).push(...tail);
  return row as unknown as R;
}

/**
 * The item's own fields in the domain's order (JSON of a stored item and of a new one compare
 * equal), `daysDue` only when set; filled in place, which spares a copy per item.
 */
function fromItemRow(row: ItemRow): CycleItemState {
  const item = { id: row[0], name: row[1], order: row[2] } as CycleItemState;
  if (row[3] !== null) item.daysDue = row[3];
  item.dueDate = fromMillis(row[4]);
  item.dueDateReason = row[5];
  item.completedAt = fromMillis(row[6]);
  return item;
}

function fromTaskRow(row: TaskRow): CycleTask {
  const task: CycleTask = fromItemRow(row as unknown as ItemRow);
  if (row[7] !== null) task.ownerRole = row[7];
  if (row[8] !== null) task.ownerId = row[8];
  return task;
}

function fromCycleRow(row: CycleRow): AccountCycle {
  return {
    cycleId: row[0],
    accountId: row[1],
    templateId: row[2],
    templateVersion: row[3],
    name: row[4],
    primary: row[5] === 1,
    status: row[6],
    startDate: new Date(row[7]),
    assignedAt: new Date(row[8]),
    completedAt: fromMillis(row[9]),
    stages: row[10].map((stageRow) => {
      const stage = fromItemRow(stageRow as unknown as ItemRow) as CycleStage;
      stage.activities = stageRow[7].map((activityRow) => {
        const activity = fromItemRow(activityRow as unknown as ItemRow) as CycleActivity;
        activity.tasks = activityRow[7].map(fromTaskRow);
        return activity;
      });
      return stage;
    }),
  };
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
