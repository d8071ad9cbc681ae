import { ApiProperty } from '@nestjs/swagger';

/** One open activity or task (C9). */
export class TaskRowResponse {
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'c-5f2a9b1c0d3e' }) cycleId!: string;
  @ApiProperty({ example: 'Enterprise onboarding' }) cycleName!: string;
  @ApiProperty({ example: 'kickoff' }) stageId!: string;
  @ApiProperty({ example: 'Kickoff' }) stageName!: string;
  @ApiProperty({ example: 'welcome' }) activityId!: string;
  @ApiProperty({ example: 'Welcome' }) activityName!: string;
  @ApiProperty({ example: 'send-welcome-pack', nullable: true, type: String }) taskId!: string | null;
  @ApiProperty({ example: 'Send the welcome pack', nullable: true, type: String }) taskName!: string | null;
  @ApiProperty({ enum: ['activity', 'task'], example: 'task' }) kind!: 'activity' | 'task';
  @ApiProperty({ example: '2025-03-08', nullable: true, type: String, format: 'date' }) dueDate!: string | null;
  @ApiProperty({ example: 'csm-42', nullable: true, type: String }) ownerId!: string | null;
  @ApiProperty({ example: false }) overdue!: boolean;
}

export class TaskPageResponse {
  @ApiProperty({ type: [TaskRowResponse], description: 'Sorted by due date (no due date last).' }) items!: TaskRowResponse[];
  @ApiProperty({ example: 1, type: 'integer' }) page!: number;
  @ApiProperty({ example: 50, type: 'integer' }) pageSize!: number;
  @ApiProperty({ example: 120, type: 'integer' }) total!: number;
}
