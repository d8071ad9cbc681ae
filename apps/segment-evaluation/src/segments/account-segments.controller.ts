import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountParams } from './dto/segment.request';
import { AccountSegmentsResponse } from './dto/segment.response';
import { SegmentsService } from './segments.service';

@ApiTags('segments')
@Controller('v1/accounts/:accountId/segments')
export class AccountSegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @Get()
  @ApiOperation({ summary: 'The saved segments an account is a member of (S5 live membership)' })
  @ApiOkResponse({ type: AccountSegmentsResponse })
  list(@Param() params: AccountParams): Promise<AccountSegmentsResponse> {
    return this.segments.ofAccount(params.accountId);
  }
}
