/**
 * The older encoded forms of cycles as they are stored (cycle-codec.ts reads them, writes format 3
 * only): tests and the codec bench build stored documents of each with these.
 */
import { deflateRawSync } from 'node:zlib';
import type { AccountCycle, CycleItemState } from '../domain';

/** Format 1: the domain objects' JSON (dates as ISO strings), deflated at zlib's default level. */
export function formatOne(cycles: readonly AccountCycle[]): Buffer {
  return Buffer.concat([Buffer.of(1), deflateRawSync(Buffer.from(JSON.stringify(cycles), 'utf8'))]);
}

const millis = (date: Date | null) => (date === null ? null : date.getTime());

const itemRow = (item: CycleItemState) => [
  item.id,
  item.name,
  item.order,
  item.daysDue ?? null,
  millis(item.dueDate),
  item.dueDateReason,
  millis(item.completedAt),
];

/**
 * Format 2: positional arrays (`[cycleId, accountId, templateId, templateVersion, name, primary,
 * status, startDate, assignedAt, completedAt, stages]`, each item `[id, name, order, daysDue,
 * dueDate, dueDateReason, completedAt, …]`), dates as epoch milliseconds, deflated at level 1.
 */
export function formatTwo(cycles: readonly AccountCycle[]): Buffer {
  const rows = cycles.map((c) => [
    c.cycleId,
    c.accountId,
    c.templateId,
    c.templateVersion,
    c.name,
    c.primary ? 1 : 0,
    c.status,
    c.startDate.getTime(),
    c.assignedAt.getTime(),
    millis(c.completedAt),
    c.stages.map((s) => [
      ...itemRow(s),
      s.activities.map((a) => [...itemRow(a), a.tasks.map((t) => [...itemRow(t), t.ownerRole ?? null, t.ownerId ?? null])]),
    ]),
  ]);
  return Buffer.concat([Buffer.of(2), deflateRawSync(Buffer.from(JSON.stringify(rows), 'utf8'), { level: 1 })]);
}
