import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { toPayload, type Attribute } from '../../domain/attribute';
import { SLA_UNITS, type SlaUnit } from '@lifecycle/rules';

/** OpenAPI shapes of the answers. The body is the event payload (A6) plus `createdAt`. */
export class StageSlaResponse {
  @ApiProperty({ example: 5, description: 'Expected time in the stage, in whole days of `unit`.' }) expected!: number;
  @ApiProperty({ enum: SLA_UNITS, example: 'business-days' }) unit!: SlaUnit;
  @ApiPropertyOptional({ example: 0.8, description: 'At risk from this fraction of `expected`; absent = 0.8.' }) atRisk?: number;
}

export class StageResponse {
  @ApiProperty({ example: '0b6c1f9e-3f0a-4c7e-9d51-1a2b3c4d5e6f', description: 'Stable id; history and "Days in" fields refer to it.' })
  id!: string;
  @ApiProperty({ example: 'Kickoff' }) name!: string;
  @ApiProperty({ example: '#1E88E5' }) color!: string;
  @ApiProperty({ example: 0, description: 'Position, from 0.' }) order!: number;
  @ApiProperty({ example: false }) endStage!: boolean;
  @ApiProperty({ example: false }) disabled!: boolean;
  @ApiProperty({ type: StageSlaResponse, nullable: true, description: 'B3: the stage SLA; null = none.' }) sla!: StageSlaResponse | null;
}

export class AttributeResponse {
  @ApiProperty({ example: 'onboarding-status' }) key!: string;
  @ApiProperty({ example: 'Onboarding Status' }) name!: string;
  @ApiProperty({ example: 'Tracks onboarding from kickoff to go-live' }) description!: string;
  @ApiPropertyOptional({ example: 'Onboarding', description: 'Absent when the attribute is not linked to a flow.' }) flow?: string;
  @ApiProperty({ enum: ['draft', 'active'], example: 'draft' }) state!: 'draft' | 'active';
  @ApiProperty({ example: 3, description: '+1 with every change; also the ETag. Send it back in If-Match.' }) version!: number;
  @ApiProperty({ type: [StageResponse] }) stages!: StageResponse[];
  @ApiProperty({ example: '2024-03-01T09:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2024-03-02T10:00:00.000Z' }) updatedAt!: string;
}

export class DaysInFieldResponse {
  @ApiProperty({ example: 'daysIn:onboarding-status:0b6c1f9e-3f0a-4c7e-9d51-1a2b3c4d5e6f' }) field!: string;
  @ApiProperty({ example: 'Days in Kickoff' }) label!: string;
  @ApiProperty({ enum: ['attribute', 'stage'], example: 'stage' }) scope!: 'attribute' | 'stage';
  @ApiPropertyOptional({ example: '0b6c1f9e-3f0a-4c7e-9d51-1a2b3c4d5e6f', description: 'Only for scope "stage".' }) stageId?: string;
  @ApiPropertyOptional({ example: false, description: 'Only for scope "stage".' }) disabled?: boolean;
}

export function toAttributeResponse(attribute: Attribute): AttributeResponse {
  const { key, name, description = '', flow, state, version, stages, updatedAt } = toPayload(attribute);
  return {
    key,
    name,
    description,
    ...(flow === undefined ? {} : { flow }),
    state,
    version,
    stages: stages.map((stage) => ({ ...stage, sla: stage.sla ?? null })),
    createdAt: attribute.createdAt,
    updatedAt,
  };
}
