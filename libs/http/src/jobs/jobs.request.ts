import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { JOB_ID_MESSAGE, JOB_ID_PATTERN } from '@lifecycle/contracts';

export class JobParams {
  @ApiProperty({
    example: 'cycles-recalculation-propagate-enterprise-onboarding-v2',
    description: '`<queue>-<key>`: the queue that holds the job, then the key of its work.',
  })
  @Matches(JOB_ID_PATTERN, { message: JOB_ID_MESSAGE })
  jobId!: string;
}
