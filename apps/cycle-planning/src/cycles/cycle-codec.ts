/**
 * The stored forms of an account's cycles (`account_cycles.cycles`, see the schema):
 * - documents: the domain objects as subdocuments, dates as dates — queryable by any tool;
 * - encoded: a format byte, then the cycles in that format (each format has its own byte, so
 *   stored documents can be told apart and read side by side; every write stores the newest).
 *   Format 3 is written: a binary form (`writeCycle`: varints, UTF-8 strings, instants as days
 *   from the cycle's start), as small as the deflated JSON of the older formats and several times
 *   cheaper to write and read, since no compression runs — a template edit rewrites every cycle of
 *   the template (docs/benchmarks.md, "Template propagation"). Formats 1 (the domain objects'
 *   JSON, dates as ISO strings, deflated) and 2 (positional JSON, `CycleRow`, dates as epoch
 *   milliseconds, deflated) are still read.
 * Reading rebuilds the domain objects field by field from any of them, so optional fields stay
 * absent (never `undefined`, which the driver would store as null) and dates are `Date`s.
 */
import { inflateRawSync } from 'node:zlib';
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
  type DaysDueBase,
  type DaysDueUnit,
} from '../domain';
import { ByteReader, ByteWriter } from './cycle-bytes';

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
/** Format 2: positional arrays (`CycleRow`), dates as epoch milliseconds, deflated (read only). */
const POSITIONAL_JSON = 2;
/** Format 3: binary (`writeCycle`). */
const BINARY = 3;

type Millis = number;
/** `[id, name, order, daysDue, dueDate, dueDateReason, completedAt]` of a stage, activity or task. */
type ItemRow = [string, string, number, DaysDue | null, Millis | null, string | null, Millis | null];
type TaskRow = [...ItemRow, ownerRole: string | null, ownerId: string | null];
type ActivityRow = [...ItemRow, tasks: TaskRow[]];
type StageRow = [...ItemRow, activities: ActivityRow[]];
/** `[cycleId, accountId, templateId, templateVersion, name, primary (0/1), status, startDate, assignedAt, completedAt, stages]`. */
type CycleRow = [string, string, string, number, string, 0 | 1, CycleStatus, Millis, Millis, Millis | null, StageRow[]];

export function encodeCycles(cycles: readonly AccountCycle[]): Buffer {
  const out = new ByteWriter();
  out.byte(BINARY);
  out.uint(cycles.length);
  for (const cycle of cycles) writeCycle(out, cycle);
  return out.finish();
}

export function decodeCycles(encoded: Uint8Array): AccountCycle[] {
  const format = encoded[0];
  if (format === BINARY) return readCycles(new ByteReader(encoded, 1));
  if (format !== POSITIONAL_JSON && format !== DEFLATED_JSON) throw new Error(`unknown encoding ${String(format)} of stored cycles`);
  const json: unknown = JSON.parse(inflateRawSync(encoded.subarray(1)).toString('utf8'));
  return format === POSITIONAL_JSON ? (json as CycleRow[]).map(fromCycleRow) : (json as JsonCycle[]).map(toCycle);
}

/** Stored codes (positions): append only, never reorder. */
const STATUSES: readonly CycleStatus[] = ['active', 'completed', 'removed'];
const RULE_BASES: readonly DaysDueBase[] = ['cycleStart', 'renewal', 'stageEntry', 'taskCompletion'];
const RULE_UNITS: readonly DaysDueUnit[] = ['calendar-days', 'business-days'];

/** Which optional parts follow an item's id, name and order (one flag byte per item). */
const enum Has {
  DaysDue = 1,
  DueDate = 2,
  DueDateReason = 4,
  CompletedAt = 8,
  OwnerRole = 16,
  OwnerId = 32,
}

/** Which optional parts follow a rule's days (one flag byte per rule, after its base and unit). */
const enum RuleHas {
  Unit = 1,
  AttributeKey = 2,
  StageId = 4,
  TaskId = 8,
}

/**
 * Format 3, one cycle: its ids, version and name; a byte of primary (bit 0), status (bits 1–2)
 * and completion (bit 3); the start date (days from the epoch), the other instants from it; then
 * the stages, each with its activities, each with its tasks, every list after its length.
 */
function writeCycle(out: ByteWriter, cycle: AccountCycle): void {
  out.string(cycle.cycleId);
  out.string(cycle.accountId);
  out.string(cycle.templateId);
  out.uint(cycle.templateVersion);
  out.string(cycle.name);
  const status = STATUSES.indexOf(cycle.status);
  if (status < 0) throw new RangeError(`unknown cycle status ${cycle.status}`);
  out.byte((cycle.primary ? 1 : 0) + status * 2 + (cycle.completedAt === null ? 0 : 8));
  out.instant(cycle.startDate, 0);
  const start = cycle.startDate.getTime();
  out.instant(cycle.assignedAt, start);
  if (cycle.completedAt !== null) out.instant(cycle.completedAt, start);
  out.uint(cycle.stages.length);
  for (const stage of cycle.stages) {
    writeItem(out, stage, start, 0);
    out.uint(stage.activities.length);
    for (const activity of stage.activities) {
      writeItem(out, activity, start, 0);
      out.uint(activity.tasks.length);
      for (const task of activity.tasks) {
        writeItem(out, task, start, (task.ownerRole === undefined ? 0 : Has.OwnerRole) + (task.ownerId === undefined ? 0 : Has.OwnerId));
        if (task.ownerRole !== undefined) out.string(task.ownerRole);
        if (task.ownerId !== undefined) out.string(task.ownerId);
      }
    }
  }
}

/** An item's id, name, order, flag byte (`Has`, with the task's owner flags `taskHas`) and the parts set. */
function writeItem(out: ByteWriter, item: CycleItemState, start: number, taskHas: number): void {
  out.string(item.id);
  out.string(item.name);
  out.uint(item.order);
  out.byte(
    taskHas +
      (item.daysDue === undefined ? 0 : Has.DaysDue) +
      (item.dueDate === null ? 0 : Has.DueDate) +
      (item.dueDateReason === null ? 0 : Has.DueDateReason) +
      (item.completedAt === null ? 0 : Has.CompletedAt),
  );
  if (item.daysDue !== undefined) writeRule(out, item.daysDue);
  if (item.dueDate !== null) out.instant(item.dueDate, start);
  if (item.dueDateReason !== null) out.string(item.dueDateReason);
  if (item.completedAt !== null) out.instant(item.completedAt, start);
}

/** A `daysDue` rule: base (bits 0–1) and unit (bit 2) in one byte, then `RuleHas`, the days, the parts set. */
function writeRule(out: ByteWriter, rule: DaysDue): void {
  const base = RULE_BASES.indexOf(rule.relativeTo);
  const unit = rule.unit === undefined ? 0 : RULE_UNITS.indexOf(rule.unit);
  if (base < 0 || unit < 0) throw new RangeError(`unknown due-date rule ${rule.relativeTo} in ${String(rule.unit)}`);
  out.byte(base + unit * 4);
  out.byte(
    (rule.unit === undefined ? 0 : RuleHas.Unit) +
      (rule.attributeKey === undefined ? 0 : RuleHas.AttributeKey) +
      (rule.stageId === undefined ? 0 : RuleHas.StageId) +
      (rule.taskId === undefined ? 0 : RuleHas.TaskId),
  );
  out.int(rule.days);
  if (rule.attributeKey !== undefined) out.string(rule.attributeKey);
  if (rule.stageId !== undefined) out.string(rule.stageId);
  if (rule.taskId !== undefined) out.string(rule.taskId);
}

function readCycles(input: ByteReader): AccountCycle[] {
  const count = input.uint();
  const cycles: AccountCycle[] = [];
  for (let i = 0; i < count; i++) cycles.push(readCycle(input));
  if (!input.done) throw new RangeError('stored cycles have bytes past their end');
  return cycles;
}

function readCycle(input: ByteReader): AccountCycle {
  const cycleId = input.string();
  const accountId = input.string();
  const templateId = input.string();
  const templateVersion = input.uint();
  const name = input.string();
  const flags = input.byte();
  const status = STATUSES[(flags >> 1) & 3];
  if (status === undefined) throw new RangeError(`unknown cycle status code ${(flags >> 1) & 3}`);
  const startDate = input.instant(0);
  const start = startDate.getTime();
  const assignedAt = input.instant(start);
  const completedAt = (flags & 8) === 0 ? null : input.instant(start);
  const stages: CycleStage[] = [];
  for (let s = input.uint(); s > 0; s--) {
    const stage = readItem(input, start) as CycleStage;
    stage.activities = [];
    for (let a = input.uint(); a > 0; a--) {
      const activity = readItem(input, start) as CycleActivity;
      activity.tasks = [];
      for (let t = input.uint(); t > 0; t--) activity.tasks.push(readItem(input, start));
      stage.activities.push(activity);
    }
    stages.push(stage);
  }
  return {
    cycleId,
    accountId,
    templateId,
    templateVersion,
    name,
    primary: (flags & 1) === 1,
    status,
    startDate,
    assignedAt,
    completedAt,
    stages,
  };
}

/** An item's fields in the domain's order (`daysDue`, a task's owners only when set). */
function readItem(input: ByteReader, start: number): CycleTask {
  const item = { id: input.string(), name: input.string(), order: input.uint() } as CycleTask;
  const has = input.byte();
  if ((has & Has.DaysDue) !== 0) item.daysDue = readRule(input);
  item.dueDate = (has & Has.DueDate) === 0 ? null : input.instant(start);
  item.dueDateReason = (has & Has.DueDateReason) === 0 ? null : input.string();
  item.completedAt = (has & Has.CompletedAt) === 0 ? null : input.instant(start);
  if ((has & Has.OwnerRole) !== 0) item.ownerRole = input.string();
  if ((has & Has.OwnerId) !== 0) item.ownerId = input.string();
  return item;
}

function readRule(input: ByteReader): DaysDue {
  const kind = input.byte();
  const relativeTo = RULE_BASES[kind & 3];
  const unit = RULE_UNITS[kind >> 2];
  if (relativeTo === undefined || unit === undefined) throw new RangeError(`unknown due-date rule code ${kind}`);
  const has = input.byte();
  const rule: DaysDue = { days: input.int(), relativeTo };
  if ((has & RuleHas.Unit) !== 0) rule.unit = unit;
  if ((has & RuleHas.AttributeKey) !== 0) rule.attributeKey = input.string();
  if ((has & RuleHas.StageId) !== 0) rule.stageId = input.string();
  if ((has & RuleHas.TaskId) !== 0) rule.taskId = input.string();
  return rule;
}

const fromMillis = (value: Millis | null): Date | null => (value === null ? null : new Date(value));

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
