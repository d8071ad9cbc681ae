import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  PLAY_ACTION_TYPES,
  PLAY_OUTCOMES,
  PLAY_TRIGGER_TYPES,
  type PlayActionType,
  type PlayOutcome,
  type PlayTriggerType,
} from '@lifecycle/contracts';
import type { Play, PlayFiring } from '../../domain';

export class PlayTriggerResponse {
  @ApiProperty({ enum: PLAY_TRIGGER_TYPES, example: 'stage.sla-breached' }) type!: PlayTriggerType;
  @ApiPropertyOptional({ example: '0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10' }) segmentId?: string;
  @ApiPropertyOptional({ example: 'onboarding-status' }) attributeKey?: string;
  @ApiPropertyOptional({ example: 'stg-kickoff' }) stageId?: string;
}

export class PlayActionResponse {
  @ApiProperty({ enum: PLAY_ACTION_TYPES, example: 'create-task' }) type!: PlayActionType;
  @ApiPropertyOptional({ example: 'onboarding-rescue' }) templateId?: string;
  @ApiPropertyOptional({ example: 'Call the customer: onboarding is overdue' }) taskName?: string;
  @ApiPropertyOptional({ example: 2, type: 'integer' }) dueInBusinessDays?: number;
}

/** P1: a play. */
export class PlayResponse {
  @ApiProperty({ example: '5d0c1f0e-3a55-4a5e-8d0e-3c1f3c1b9a10' }) id!: string;
  @ApiProperty({ example: 'Kickoff overdue → call' }) name!: string;
  @ApiProperty({ type: PlayTriggerResponse }) trigger!: PlayTriggerResponse;
  @ApiProperty({ type: PlayActionResponse }) action!: PlayActionResponse;
  @ApiProperty({ example: false }) paused!: boolean;
  @ApiProperty({ example: 1, type: 'integer' }) version!: number;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', format: 'date-time' }) createdAt!: string;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', format: 'date-time' }) updatedAt!: string;
}

export class PlayListResponse {
  @ApiProperty({ type: [PlayResponse] }) items!: PlayResponse[];
  @ApiProperty({ example: 3, type: 'integer' }) total!: number;
  @ApiProperty({ example: 1, type: 'integer' }) page!: number;
  @ApiProperty({ example: 50, type: 'integer' }) pageSize!: number;
}

export class FiringTriggerResponse {
  @ApiProperty({ enum: PLAY_TRIGGER_TYPES, example: 'stage.sla-breached' }) type!: PlayTriggerType;
  @ApiProperty({
    example: '7f0c1e1e-9a55-4a5e-8d0e-3c1f3c1b9a10',
    description: 'The trigger event id (what "once per occurrence" counts).',
  })
  eventId!: string;
  @ApiProperty({ example: '2025-03-08T00:00:00.000Z', format: 'date-time' }) occurredAt!: string;
  @ApiPropertyOptional({ example: '0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10' }) segmentId?: string;
  @ApiPropertyOptional({ example: 'onboarding-status' }) attributeKey?: string;
  @ApiPropertyOptional({ example: 'stg-kickoff' }) stageId?: string;
}

export class FiringActionResponse {
  @ApiProperty({ enum: PLAY_ACTION_TYPES, example: 'create-task' }) type!: PlayActionType;
  @ApiProperty({ enum: PLAY_OUTCOMES, example: 'task-created' }) outcome!: PlayOutcome;
  @ApiPropertyOptional({ example: 'the account is unknown to cycle planning' }) reason?: string;
  @ApiPropertyOptional({ example: 'onboarding-rescue' }) templateId?: string;
  @ApiPropertyOptional({ example: '9a1c1e1e-9a55-4a5e-8d0e-3c1f3c1b9a10' }) cycleId?: string;
  @ApiPropertyOptional({ example: '9a1c1e1e-9a55-4a5e-8d0e-3c1f3c1b9a10' }) taskId?: string;
  @ApiPropertyOptional({ example: 'Call the customer: onboarding is overdue' }) taskName?: string;
  @ApiPropertyOptional({ example: 'csm-1', nullable: true, type: String }) ownerId?: string | null;
  @ApiPropertyOptional({ example: '2025-03-11', description: 'YYYY-MM-DD' }) dueDate?: string;
  @ApiPropertyOptional({
    example: null,
    nullable: true,
    type: String,
    format: 'date-time',
    description: '`task-created`: when the one-off task was completed; null while it is open.',
  })
  completedAt?: string | null;
}

/** P2: one firing of a play for an account. */
export class PlayFiringResponse {
  @ApiProperty({ example: '9a1c1e1e-9a55-4a5e-8d0e-3c1f3c1b9a10' }) id!: string;
  @ApiProperty({ example: '5d0c1f0e-3a55-4a5e-8d0e-3c1f3c1b9a10' }) playId!: string;
  @ApiProperty({ example: 'Kickoff overdue → call' }) playName!: string;
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ type: FiringTriggerResponse }) trigger!: FiringTriggerResponse;
  @ApiProperty({ type: FiringActionResponse }) action!: FiringActionResponse;
  @ApiProperty({ example: '2025-03-08T00:00:01.000Z', format: 'date-time' }) firedAt!: string;
}

export class PlayFiringPageResponse {
  @ApiProperty({ type: [PlayFiringResponse], description: 'Newest first.' }) items!: PlayFiringResponse[];
  @ApiProperty({ example: 3, type: 'integer' }) total!: number;
  @ApiProperty({ example: 1, type: 'integer' }) page!: number;
  @ApiProperty({ example: 50, type: 'integer' }) pageSize!: number;
}

export function toPlayResponse(play: Play): PlayResponse {
  return {
    id: play.id,
    name: play.name,
    trigger: { ...play.trigger },
    action: { ...play.action },
    paused: play.paused,
    version: play.version,
    createdAt: play.createdAt.toISOString(),
    updatedAt: play.updatedAt.toISOString(),
  };
}

export function toFiringResponse(firing: PlayFiring): PlayFiringResponse {
  const { trigger } = firing;
  return {
    id: firing.id,
    playId: firing.playId,
    playName: firing.playName,
    accountId: firing.accountId,
    trigger: {
      type: trigger.type,
      eventId: trigger.eventId,
      occurredAt: trigger.occurredAt.toISOString(),
      ...(trigger.segmentId === undefined ? {} : { segmentId: trigger.segmentId }),
      ...(trigger.attributeKey === undefined ? {} : { attributeKey: trigger.attributeKey }),
      ...(trigger.stageId === undefined ? {} : { stageId: trigger.stageId }),
    },
    action: actionResponse(firing.action),
    firedAt: firing.firedAt.toISOString(),
  };
}

function actionResponse(action: PlayFiring['action']): FiringActionResponse {
  const { completedAt, ...rest } = action;
  return action.outcome === 'task-created' ? { ...rest, completedAt: completedAt?.toISOString() ?? null } : rest;
}
