import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LifecycleReport } from '../domain/lifecycle-report';
import { LifecycleReportQuery } from './dto/lifecycle-report.query';
import { LifecycleReportService } from './lifecycle-report.service';

@ApiTags('reports')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: LifecycleReportService) {}

  @Get('lifecycle')
  @ApiOperation({
    summary:
      'Lifecycle report of an attribute for a window: accounts per stage over time, conversion stage → next, median / p90 days per stage and per cycle, cycles restarted / cleared',
  })
  @ApiNotFoundResponse({ description: 'Unknown attribute.' })
  lifecycle(@Query() query: LifecycleReportQuery): Promise<LifecycleReport> {
    return this.reports.report(query);
  }
}
