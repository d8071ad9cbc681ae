import { ApiProperty } from '@nestjs/swagger';
import { currentStage, isOverdue, type AccountCycle, type CycleItemState, type CycleTask, type DaysDue } from '../../domain';
import { DaysDueResponse } from '../../templates/dto/template.response';

/** A due date is a calendar day: `YYYY-MM-DD`. */
export function dayOf(date: Date | null): string | null {
  return date === null ? null : date.toISOString().slice(0, 10);
}

export class CycleItemResponse {
  @ApiProperty({ example: 'kickoff' }) id!: string;
  @ApiProperty({ example: 'Kickoff' }) name!: string;
  @ApiProperty({ example: 0 }) order!: number;
  @ApiProperty({ type: DaysDueResponse, nullable: true }) daysDue!: DaysDue | null;
  @ApiProperty({ example: '2025-03-31', nullable: true, type: String, format: 'date' }) dueDate!: string | null;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'Why `dueDate` is null although `daysDue` is set (C4), e.g. "no active subscription".',
  })
  dueDateReason!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' }) completedAt!: string | null;
  @ApiProperty({ example: false }) overdue!: boolean;
}

export class CycleTaskResponse extends CycleItemResponse {
  @ApiProperty({ example: 'csm-42', nullable: true, type: String }) ownerId!: string | null;
  @ApiProperty({ example: 'csm', nullable: true, type: String }) ownerRole!: string | null;
}

export class CycleActivityResponse extends CycleItemResponse {
  @ApiProperty({ type: [CycleTaskResponse] }) tasks!: CycleTaskResponse[];
}

export class CycleStageResponse extends CycleItemResponse {
  @ApiProperty({ type: [CycleActivityResponse] }) activities!: CycleActivityResponse[];
}

export class CurrentStageResponse {
  @ApiProperty({ example: 'kickoff' }) stageId!: string;
  @ApiProperty({ example: 'Kickoff' }) name!: string;
  @ApiProperty({ example: 3, type: 'integer' }) daysIn!: number;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', format: 'date-time' }) since!: string;
}

/** One SuccessCycle of an account (C4–C6). */
export class CycleResponse {
  @ApiProperty({ example: 'c-5f2a9b1c0d3e' }) cycleId!: string;
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'enterprise-onboarding' }) templateId!: string;
  @ApiProperty({ example: 2, type: 'integer' }) templateVersion!: number;
  @ApiProperty({ example: 'Enterprise onboarding' }) name!: string;
  @ApiProperty({ example: true, description: 'C5: the one primary among the account’s active cycles.' }) primary!: boolean;
  @ApiProperty({ enum: ['active', 'completed', 'removed'], example: 'active' }) status!: AccountCycle['status'];
  @ApiProperty({ example: '2025-03-01T00:00:00.000Z', format: 'date-time' }) startDate!: string;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', format: 'date-time' }) assignedAt!: string;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' }) completedAt!: string | null;
  @ApiProperty({ type: CurrentStageResponse, nullable: true, description: 'C6: the first incomplete stage (active cycles only).' })
  currentStage!: CurrentStageResponse | null;
  @ApiProperty({ type: [CycleStageResponse] }) stages!: CycleStageResponse[];
}

export class AccountCyclesResponse {
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'c-5f2a9b1c0d3e', nullable: true, type: String }) primaryCycleId!: string | null;
  @ApiProperty({ type: [CycleResponse], description: 'Active and completed cycles.' }) cycles!: CycleResponse[];
}

export class DueDateChangeResponse {
  @ApiProperty({ enum: ['stage', 'activity', 'task'], example: 'task' }) kind!: string;
  @ApiProperty({ example: 'send-welcome-pack' }) id!: string;
  @ApiProperty({ example: 'Send the welcome pack' }) name!: string;
  @ApiProperty({ example: '2025-03-08', nullable: true, type: String, format: 'date' }) previousDueDate!: string | null;
  @ApiProperty({ example: '2025-03-15', nullable: true, type: String, format: 'date' }) dueDate!: string | null;
}

export class UpdatedCycleResponse extends CycleResponse {
  @ApiProperty({ type: [DueDateChangeResponse], description: 'C11: the due dates the start date change moved.' })
  dueDateChanges!: DueDateChangeResponse[];
}

export class RemovedCycleResponse {
  @ApiProperty({ example: 'c-5f2a9b1c0d3e' }) cycleId!: string;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'The primary cycle after the removal (C5).' })
  primaryCycleId!: string | null;
}

export class CompletionResponse {
  @ApiProperty({ type: CycleResponse }) cycle!: CycleResponse;
  @ApiProperty({ type: CycleResponse, nullable: true, description: 'C8: the cycle the completion started.' })
  nextCycle!: CycleResponse | null;
  @ApiProperty({ example: 'c-5f2a9b1c0d3e', nullable: true, type: String }) primaryCycleId!: string | null;
}

export class PrimaryCycleSummaryResponse {
  @ApiProperty({ example: 'c-5f2a9b1c0d3e' }) cycleId!: string;
  @ApiProperty({ example: 'enterprise-onboarding' }) templateId!: string;
  @ApiProperty({ example: 'Enterprise onboarding' }) name!: string;
  @ApiProperty({ example: 'Kickoff', nullable: true, type: String }) stage!: string | null;
  @ApiProperty({ example: 3, nullable: true, type: 'integer' }) daysInStage!: number | null;
}

export class PrimaryCycleResponse {
  @ApiProperty({ type: PrimaryCycleSummaryResponse, nullable: true }) primaryCycle!: PrimaryCycleSummaryResponse | null;
}

export function toCycleResponse(cycle: AccountCycle, now: Date): CycleResponse {
  const item = (i: CycleItemState): CycleItemResponse => ({
    id: i.id,
    name: i.name,
    order: i.order,
    daysDue: i.daysDue ?? null,
    dueDate: dayOf(i.dueDate),
    dueDateReason: i.dueDateReason,
    completedAt: i.completedAt?.toISOString() ?? null,
    overdue: i.completedAt === null && cycle.status === 'active' && isOverdue(i.dueDate, now),
  });
  const task = (t: CycleTask): CycleTaskResponse => ({ ...item(t), ownerId: t.ownerId ?? null, ownerRole: t.ownerRole ?? null });
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
