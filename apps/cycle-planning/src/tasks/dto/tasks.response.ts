import { ApiProperty } from '@nestjs/swagger';

const OF_A_CYCLE = 'Null for a play task (`kind: play-task`), which belongs to no cycle.';

/** One open activity or task of a cycle (C9), or a play's one-off task (P1). */
export class TaskRowResponse {
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'c-5f2a9b1c0d3e', nullable: true, type: String, description: OF_A_CYCLE }) cycleId!: string | null;
  @ApiProperty({ example: 'Enterprise onboarding', nullable: true, type: String, description: OF_A_CYCLE }) cycleName!: string | null;
  @ApiProperty({ example: 'kickoff', nullable: true, type: String, description: OF_A_CYCLE }) stageId!: string | null;
  @ApiProperty({ example: 'Kickoff', nullable: true, type: String, description: OF_A_CYCLE }) stageName!: string | null;
  @ApiProperty({ example: 'welcome', nullable: true, type: String, description: OF_A_CYCLE }) activityId!: string | null;
  @ApiProperty({ example: 'Welcome', nullable: true, type: String, description: OF_A_CYCLE }) activityName!: string | null;
  @ApiProperty({
    example: 'send-welcome-pack',
    nullable: true,
    type: String,
    description:
      'Null for an activity row; a play task’s id is its firing id (complete it at `/v1/accounts/{accountId}/play-tasks/{taskId}/complete`).',
  })
  taskId!: string | null;
  @ApiProperty({ example: 'Send the welcome pack', nullable: true, type: String }) taskName!: string | null;
  @ApiProperty({ enum: ['activity', 'task', 'play-task'], example: 'task' }) kind!: 'activity' | 'task' | 'play-task';
  @ApiProperty({ example: '2025-03-08', nullable: true, type: String, format: 'date' }) dueDate!: string | null;
  @ApiProperty({ example: 'csm-42', nullable: true, type: String }) ownerId!: string | null;
  @ApiProperty({ example: false }) overdue!: boolean;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'The play that made a play task; null for cycle rows.',
  })
  playId!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'Its name when the play fired; null for cycle rows.' })
  playName!: string | null;
}

export class TaskPageResponse {
  @ApiProperty({ type: [TaskRowResponse], description: 'Sorted by due date (no due date last).' }) items!: TaskRowResponse[];
  @ApiProperty({ example: 1, type: 'integer' }) page!: number;
  @ApiProperty({ example: 50, type: 'integer' }) pageSize!: number;
  @ApiProperty({ example: 120, type: 'integer' }) total!: number;
}
