import { Body, Controller, Get, HttpCode, Param, Put, Req } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '@lifecycle/http';
import { AccountViewService } from './account-view.service';
import { SetStatusBody, StatusParams } from './dto/status.request';
import { SetStatusResponse, StatusHistoryResponse } from './dto/status.response';
import { actorOf, HEADER_VALUE, optionalHeader, requestIdOf } from './request-identity';
import { SetStatusCommand } from './set-status.command';
import { StatusCommandQueue } from './status-command.queue';

@ApiTags('statuses')
@Controller('v1/accounts/:accountId/statuses/:attributeKey')
export class StatusesController {
  constructor(
    private readonly commands: StatusCommandQueue,
    private readonly reads: AccountViewService,
  ) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: "Set (or clear) an account's stage of a lifecycle attribute" })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A repeat with the same key changes nothing (L12); default: the request id.',
    schema: { type: 'string', pattern: HEADER_VALUE.source },
  })
  @ApiOkResponse({
    type: SetStatusResponse,
    description:
      'Applied, or nothing to do. 404: unknown attribute; 409: disabled stage or inactive attribute (L1, A5); 422: unknown stage or `at` in the future (L1).',
    links: {
      GetHistory: {
        operationId: 'StatusesController_history',
        parameters: { accountId: '$request.path.accountId', attributeKey: '$request.path.attributeKey' },
      },
    },
  })
  @ApiRefusals(409, 422)
  async put(@Param() params: StatusParams, @Body() body: SetStatusBody, @Req() req: Request): Promise<SetStatusResponse> {
    const requestId = requestIdOf(req);
    const key = optionalHeader(req, 'idempotency-key') ?? requestId ?? 'none';
    const command = SetStatusCommand.create({
      accountId: params.accountId,
      attributeKey: params.attributeKey,
      stage: body.stage,
      at: body.at === undefined ? new Date() : new Date(body.at),
      source: 'rest',
      // Scoped to the account and attribute: a key reused for another target is another change.
      idempotencyKey: `rest:${params.accountId}:${params.attributeKey}:${key}`,
      actor: actorOf(req),
      requestId,
    });
    const result = await this.commands.submit(command);
    const { canceled, lifecycle } = await this.reads.afterWrite(
      params.accountId,
      result.definition,
      result.state,
      result.history,
      new Date(),
    );
    return {
      outcome: result.outcome,
      changeId: result.changeId,
      recomputed: result.recomputed,
      accountId: params.accountId,
      attributeKey: params.attributeKey,
      canceled,
      lifecycle,
    };
  }

  @Get('history')
  @ApiOperation({ summary: 'The status history of one account and attribute, in time order (L11)' })
  @ApiOkResponse({ type: StatusHistoryResponse })
  async history(@Param() params: StatusParams): Promise<StatusHistoryResponse> {
    return this.reads.statusHistory(params.accountId, params.attributeKey);
  }
}
