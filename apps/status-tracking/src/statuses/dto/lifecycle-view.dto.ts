import { ApiProperty } from '@nestjs/swagger';

export class StageRefDto {
  @ApiProperty({ example: 'stg-configuration' }) id!: string;
  @ApiProperty({ example: 'Configuration' }) name!: string;
}

export class StageCountersDto {
  @ApiProperty({ example: 'stg-kickoff' }) id!: string;
  @ApiProperty({ example: 'Kickoff' }) name!: string;
  @ApiProperty({
    example: 6,
    nullable: true,
    type: Number,
    description: 'Whole days in this stage in the current cycle (L9); null for a canceled account (L10).',
  })
  days!: number | null;
  @ApiProperty({ example: 518400000, nullable: true, type: Number }) ms!: number | null;
  @ApiProperty({ example: 6, nullable: true, type: Number, description: 'Cumulative days over all cycles.' }) totalDays!: number | null;
  @ApiProperty({ example: 518400000, nullable: true, type: Number }) totalMs!: number | null;
}

/** SPEC 5.4: one attribute of an account's `lifecycle`. */
export class LifecycleViewDto {
  @ApiProperty({ type: StageRefDto, nullable: true, description: 'Null = no value ("None").' }) stage!: StageRefDto | null;
  @ApiProperty({ example: 1, description: '0 = never started.' }) cycle!: number;
  @ApiProperty({ example: 0 }) completedCycles!: number;
  @ApiProperty({ example: false, description: 'Sitting in an end stage (L5).' }) completed!: boolean;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', nullable: true, type: String }) cycleStartedAt!: string | null;
  @ApiProperty({ example: '2025-03-07T09:00:00.000Z', nullable: true, type: String }) stageEnteredAt!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) lastCompletedAt!: string | null;
  @ApiProperty({ example: 10, nullable: true, type: Number }) daysInAttribute!: number | null;
  @ApiProperty({ example: 864000000, nullable: true, type: Number }) msInAttribute!: number | null;
  @ApiProperty({ type: [StageCountersDto], description: 'Every stage of the attribute, in order.' }) stages!: StageCountersDto[];
}
