import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { PresentIfGiven } from '@lifecycle/http';
import { DailyCountersScheduler } from './daily-counters.scheduler';

export class RunDailyCountersBody {
  @ApiProperty({ required: false, example: '2025-03-08', description: 'The day to announce (default: today, UTC).' })
  @PresentIfGiven()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'day must be YYYY-MM-DD' })
  day?: string;
}

export class DailyCountersRunResponse {
  @ApiProperty({ example: 'tracking-daily-counters-2025-03-08-1a2b3c4d' }) jobId!: string;
}

@ApiTags('internal')
@Controller('v1/internal/daily-counters')
export class DailyCountersController {
  constructor(private readonly scheduler: DailyCountersScheduler) {}

  @Post('run')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Run the daily counters job now (L14); follow it at GET /v1/jobs/{jobId}' })
  @ApiAcceptedResponse({ type: DailyCountersRunResponse })
  async run(@Body() body: RunDailyCountersBody): Promise<DailyCountersRunResponse> {
    return { jobId: await this.scheduler.runNow(body.day, randomUUID().slice(0, 8)) };
  }
}
