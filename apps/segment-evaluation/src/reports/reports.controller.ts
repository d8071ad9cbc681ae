import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRefusals } from '@lifecycle/http';
import { LifecycleReportQuery } from './dto/report.request';
import { LifecycleReportResponse, toLifecycleReportResponse } from './dto/report.response';
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
  @ApiOkResponse({ type: LifecycleReportResponse })
  @ApiRefusals(404, 422)
  async lifecycle(@Query() query: LifecycleReportQuery): Promise<LifecycleReportResponse> {
    return toLifecycleReportResponse(await this.reports.report(query));
  }
}
