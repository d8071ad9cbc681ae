import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRefusals } from '@lifecycle/http';
import { AccountViewService } from './account-view.service';
import { AccountParams, ListAccountsQuery } from './dto/status.request';
import { AccountPageResponse, AccountResponse } from './dto/status.response';

/** Accounts come from the CRM (events), not from the API: the list is where their ids are found. */
const first = '$response.body#/items/0/accountId';
const FIRST_ACCOUNT_LINKS = {
  GetAccount: { operationId: 'AccountViewController_view', parameters: { accountId: first } },
  GetStatusHistory: {
    operationId: 'StatusesController_history',
    parameters: { accountId: first, attributeKey: '$request.query.attribute' },
  },
  ListCycles: { operationId: 'AccountCyclesController_list', parameters: { accountId: first } },
  AssignCycle: { operationId: 'AccountCyclesController_assign', parameters: { accountId: first } },
  GetAvailableTemplates: { operationId: 'AccountCyclesController_available', parameters: { accountId: first } },
  GetPrimaryCycle: { operationId: 'AccountCyclesController_primary', parameters: { accountId: first } },
};

@ApiTags('accounts')
@Controller('v1/accounts')
export class AccountViewController {
  constructor(private readonly reads: AccountViewService) {}

  @Get()
  @ApiOperation({ summary: 'Accounts, paged; with `attribute` (and `stage`): those with a state of that attribute (in that stage)' })
  @ApiOkResponse({ type: AccountPageResponse, links: FIRST_ACCOUNT_LINKS })
  @ApiRefusals(404, 422)
  async list(@Query() query: ListAccountsQuery): Promise<AccountPageResponse> {
    return this.reads.list(query);
  }

  @Get(':accountId')
  @ApiOperation({ summary: 'Account facts and every lifecycle state with its counters (SPEC 5.4, without primaryCycle)' })
  @ApiOkResponse({ type: AccountResponse })
  async get(@Param() params: AccountParams): Promise<AccountResponse> {
    return this.reads.account(params.accountId);
  }
}
