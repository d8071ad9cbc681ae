import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountViewService } from './account-view.service';
import { AccountPageDto, AccountParamsDto, AccountViewDto, ListAccountsQueryDto } from './dto/account-view.dto';

@ApiTags('accounts')
@Controller('v1/accounts')
export class AccountViewController {
  constructor(private readonly reads: AccountViewService) {}

  @Get()
  @ApiOperation({ summary: 'Accounts, paged; with `attribute` (and `stage`): those with a state of that attribute (in that stage)' })
  @ApiOkResponse({ type: AccountPageDto })
  async list(@Query() query: ListAccountsQueryDto): Promise<AccountPageDto> {
    return this.reads.list(query);
  }

  @Get(':accountId')
  @ApiOperation({ summary: 'Account facts and every lifecycle state with its counters (SPEC 5.4, without primaryCycle)' })
  @ApiOkResponse({ type: AccountViewDto })
  @ApiNotFoundResponse({ description: 'No CRM facts and no lifecycle state for this account id.' })
  async get(@Param() params: AccountParamsDto): Promise<AccountViewDto> {
    return this.reads.account(params.accountId);
  }
}
