import { currentStage, isOverdue, type AccountCycle, type CycleItemState, type CycleTask, type DaysDue } from '../../domain';

/** A due date is a calendar day: `YYYY-MM-DD`. */
export function dayOf(date: Date | null): string | null {
  return date === null ? null : date.toISOString().slice(0, 10);
}

export interface CycleItemView {
  id: string;
  name: string;
  order: number;
  daysDue: DaysDue | null;
  dueDate: string | null;
  /** Why `dueDate` is null although `daysDue` is set (C4), e.g. "no active subscription". */
  dueDateReason: string | null;
  completedAt: string | null;
  overdue: boolean;
}

export interface CycleTaskView extends CycleItemView {
  ownerId: string | null;
  ownerRole: string | null;
}

export interface CycleView {
  cycleId: string;
  accountId: string;
  templateId: string;
  templateVersion: number;
  name: string;
  /** C5: the one primary among the account's active cycles. */
  primary: boolean;
  status: AccountCycle['status'];
  startDate: string;
  assignedAt: string;
  completedAt: string | null;
  /** C6: the first incomplete stage and its days in (active cycles only). */
  currentStage: { stageId: string; name: string; daysIn: number; since: string } | null;
  stages: Array<CycleItemView & { activities: Array<CycleItemView & { tasks: CycleTaskView[] }> }>;
}

export function cycleView(cycle: AccountCycle, now: Date): CycleView {
  const item = (i: CycleItemState): CycleItemView => ({
    id: i.id,
    name: i.name,
    order: i.order,
    daysDue: i.daysDue ?? null,
    dueDate: dayOf(i.dueDate),
    dueDateReason: i.dueDateReason,
    completedAt: i.completedAt?.toISOString() ?? null,
    overdue: i.completedAt === null && cycle.status === 'active' && isOverdue(i.dueDate, now),
  });
  const task = (t: CycleTask): CycleTaskView => ({ ...item(t), ownerId: t.ownerId ?? null, ownerRole: t.ownerRole ?? null });
  const stage = currentStage(cycle, now);
  const byOrder = <T extends { order: number }>(items: readonly T[]) => [...items].sort((a, b) => a.order - b.order);
  return {
    cycleId: cycle.cycleId,
    accountId: cycle.accountId,
    templateId: cycle.templateId,
    templateVersion: cycle.templateVersion,
    name: cycle.name,
    primary: cycle.status === 'active' && cycle.primary,
    status: cycle.status,
    startDate: cycle.startDate.toISOString(),
    assignedAt: cycle.assignedAt.toISOString(),
    completedAt: cycle.completedAt?.toISOString() ?? null,
    currentStage:
      stage === null ? null : { stageId: stage.stageId, name: stage.name, daysIn: stage.daysIn, since: stage.since.toISOString() },
    stages: byOrder(cycle.stages).map((s) => ({
      ...item(s),
      activities: byOrder(s.activities).map((a) => ({ ...item(a), tasks: byOrder(a.tasks).map(task) })),
    })),
  };
}
