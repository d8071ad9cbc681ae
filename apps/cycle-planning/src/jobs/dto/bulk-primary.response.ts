import { ApiProperty } from '@nestjs/swagger';

export class BulkPrimaryResponse {
  @ApiProperty({
    example: 'cycles-recalculation-bulk-primary-9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10',
    description: 'Follow at GET /v1/jobs/{jobId}.',
  })
  jobId!: string;
  @ApiProperty({ example: 'enterprise-onboarding' }) templateId!: string;
}
