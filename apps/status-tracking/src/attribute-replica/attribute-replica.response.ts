import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ReplicatedStageResponse {
  @ApiProperty({ example: 'stg-kickoff' }) id!: string;
  @ApiProperty({ example: 'Kickoff' }) name!: string;
  @ApiProperty({ example: '#1E88E5' }) color!: string;
  @ApiProperty({ example: 1 }) order!: number;
  @ApiProperty({ example: false }) endStage!: boolean;
  @ApiProperty({ example: false }) disabled!: boolean;
}

export class ReplicatedAttributeResponse {
  @ApiProperty({ example: 'onboarding-status' }) key!: string;
  @ApiProperty({ example: 'Onboarding Status' }) name!: string;
  @ApiPropertyOptional({ example: 'Tracks onboarding', nullable: true, type: String }) description!: string | null;
  @ApiPropertyOptional({ example: 'Onboarding', nullable: true, type: String }) flow!: string | null;
  @ApiProperty({ enum: ['draft', 'active'], example: 'active' }) state!: 'draft' | 'active';
  @ApiProperty({ example: 3, description: 'The catalog version this replica holds (the highest seen).' }) version!: number;
  @ApiProperty({ type: [ReplicatedStageResponse] }) stages!: ReplicatedStageResponse[];
  @ApiProperty({ example: '2025-03-01T10:00:00.000Z' }) updatedAt!: string;
  @ApiProperty({ example: '2025-03-01T10:00:01.000Z' }) replicatedAt!: string;
}

export class ReplicatedAttributeListResponse {
  @ApiProperty({ type: [ReplicatedAttributeResponse] }) items!: ReplicatedAttributeResponse[];
}
