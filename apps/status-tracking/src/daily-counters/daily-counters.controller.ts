import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DailyCountersScheduler } from './daily-counters.scheduler';

export class RunDailyCountersDto {
  @ApiProperty({ required: false, example: '2025-03-08', description: 'The day to announce (default: today, UTC).' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'day must be YYYY-MM-DD' })
  day?: string;
}

export class DailyCountersRunDto {
  @ApiProperty({ example: 'tracking-daily-counters-2025-03-08-1a2b3c4d' }) jobId!: string;
}

@ApiTags('internal')
@Controller('v1/internal/daily-counters')
export class DailyCountersController {
  constructor(private readonly scheduler: DailyCountersScheduler) {}

  @Post('run')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Run the daily counters job now (L14); follow it at GET /v1/jobs/{jobId}' })
  @ApiAcceptedResponse({ type: DailyCountersRunDto })
  async run(@Body() body: RunDailyCountersDto): Promise<DailyCountersRunDto> {
    return { jobId: await this.scheduler.runNow(body.day, randomUUID().slice(0, 8)) };
  }
}
