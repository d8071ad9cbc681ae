import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Length, ValidateNested } from 'class-validator';

export const PLAY_TRIGGER_TYPES = ['segment.entered', 'stage.sla-at-risk', 'stage.sla-breached'] as const;
export type PlayTriggerType = (typeof PLAY_TRIGGER_TYPES)[number];
export const PLAY_ACTION_TYPES = ['assign-template', 'create-task'] as const;
export type PlayActionType = (typeof PLAY_ACTION_TYPES)[number];
export const PLAY_OUTCOMES = ['assigned', 'already-running', 'task-created', 'skipped'] as const;
export type PlayOutcome = (typeof PLAY_OUTCOMES)[number];

/** The occurrence a play fired on: its event (id = what "once per occurrence" counts) and what it named. */
export class PlayTriggerOccurrence {
  @IsIn(PLAY_TRIGGER_TYPES) type!: PlayTriggerType;
  @IsString() eventId!: string;
  @IsISO8601() occurredAt!: string;
  @IsOptional() @IsString() segmentId?: string;
  @IsOptional() @IsString() attributeKey?: string;
  @IsOptional() @IsString() stageId?: string;
}

/** What the play did. */
export class PlayActionOutcome {
  @IsIn(PLAY_ACTION_TYPES) type!: PlayActionType;
  /**
   * `assigned`, `already-running` (the account runs the template: one active cycle per template),
   * `task-created`, or `skipped` (`reason`: the account or the template is unknown to cycle planning).
   */
  @IsIn(PLAY_OUTCOMES) outcome!: PlayOutcome;
  @IsOptional() @IsString() reason?: string;
  @IsOptional() @IsString() taskName?: string;
  @IsOptional() @IsString() templateId?: string;
  @IsOptional() @IsString() cycleId?: string;
  @IsOptional() @IsString() taskId?: string;
  @IsOptional() @IsString() ownerId?: string | null;
  /** YYYY-MM-DD */
  @IsOptional() @IsString() dueDate?: string;
}

/** `play.task-completed` (P1): a play's one-off task was done; once per task (the id is name-based on it). */
export class PlayTaskCompleted {
  @IsString() @Length(1, 100) playId!: string;
  @IsString() playName!: string;
  @IsString() accountId!: string;
  /** The task's id: the id of the firing that made it. */
  @IsString() taskId!: string;
  @IsString() taskName!: string;
  @IsOptional() @IsString() ownerId?: string | null;
  /** YYYY-MM-DD */
  @IsString() dueDate!: string;
  @IsISO8601() completedAt!: string;
}

/** `play.fired` (P2): once per play and trigger occurrence; the id is name-based on both. */
export class PlayFired {
  @IsString() @Length(1, 100) playId!: string;
  @IsString() playName!: string;
  @IsString() accountId!: string;
  @ValidateNested() @Type(() => PlayTriggerOccurrence) trigger!: PlayTriggerOccurrence;
  @ValidateNested() @Type(() => PlayActionOutcome) action!: PlayActionOutcome;
  @IsISO8601() firedAt!: string;
}
