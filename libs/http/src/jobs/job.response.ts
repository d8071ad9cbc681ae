import { ApiProperty } from '@nestjs/swagger';
import { JOB_ID_PATTERN } from '@lifecycle/contracts';

const JOB_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized', 'waiting-children', 'unknown'] as const;

/** BullMQ keeps whatever JSON a job reports or returns. */
const ANY_JSON = [
  { type: 'number' },
  { type: 'string' },
  { type: 'boolean' },
  { type: 'object', additionalProperties: true },
  { type: 'array', items: {} },
];

/** `GET /v1/jobs/{jobId}`: a background job of any service, the same fields everywhere. */
export class JobResponse {
  @ApiProperty({ example: 'tracking-imports-import-9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10', pattern: JOB_ID_PATTERN.source })
  jobId!: string;
  @ApiProperty({ example: 'tracking-imports', description: 'The queue that holds the job (the first part of its id).' }) queue!: string;
  @ApiProperty({ example: 'import-statuses' }) name!: string;
  @ApiProperty({ enum: JOB_STATES, example: 'active' }) state!: (typeof JOB_STATES)[number];
  @ApiProperty({
    description:
      'Job-specific progress: a number (0 before the first report), or an object such as {"phase": "applying", "rowsDone": 5000}.',
    anyOf: ANY_JSON,
    example: { phase: 'applying', rowsDone: 5000, totalRows: 100000 },
  })
  progress!: unknown;
  @ApiProperty({
    description: 'The return value once completed, else null.',
    // OpenAPI 3.0 has no null type: the object member takes it.
    anyOf: [...ANY_JSON.slice(0, 3), { type: 'object', additionalProperties: true, nullable: true }, ANY_JSON[4]!],
    example: null,
  })
  result!: unknown;
  @ApiProperty({ example: null, nullable: true, type: String }) failedReason!: string | null;
  @ApiProperty({ example: 1, type: 'integer' }) attemptsMade!: number;
  @ApiProperty({ example: '2025-03-08T00:05:00.000Z', format: 'date-time' }) createdAt!: string;
  @ApiProperty({ example: '2025-03-08T00:05:00.120Z', nullable: true, type: String, format: 'date-time' }) processedAt!: string | null;
  @ApiProperty({ example: '2025-03-08T00:05:09.800Z', nullable: true, type: String, format: 'date-time' }) finishedAt!: string | null;
}
