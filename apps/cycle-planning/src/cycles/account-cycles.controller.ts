import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRefusals } from '@lifecycle/http';
import { CycleError, CycleErrorCode } from '../domain';
import { TemplateListResponse, toTemplateResponse } from '../templates/dto/template.response';
import { TemplatesService } from '../templates/templates.service';
import { AccountCyclesService, type CompletableKind } from './account-cycles.service';
import {
  AccountParams,
  ActivityParams,
  AssignCycleBody,
  CompleteItemBody,
  CycleParams,
  CycleStageParams,
  TaskParams,
  UpdateCycleBody,
} from './dto/cycle.request';
import {
  AccountCyclesResponse,
  CompletionResponse,
  CycleResponse,
  dayOf,
  PrimaryCycleResponse,
  RemovedCycleResponse,
  toCycleResponse,
  UpdatedCycleResponse,
} from './dto/cycle.response';

const CYCLE_LINKS = {
  UpdateCycle: {
    operationId: 'AccountCyclesController_update',
    parameters: { accountId: '$response.body#/accountId', cycleId: '$response.body#/cycleId' },
  },
  RemoveCycle: {
    operationId: 'AccountCyclesController_remove',
    parameters: { accountId: '$response.body#/accountId', cycleId: '$response.body#/cycleId' },
  },
  CompleteFirstStage: {
    operationId: 'AccountCyclesController_completeStage',
    parameters: { accountId: '$response.body#/accountId', cycleId: '$response.body#/cycleId', stageId: '$response.body#/stages/0/id' },
  },
  CompleteFirstActivity: {
    operationId: 'AccountCyclesController_completeActivity',
    parameters: {
      accountId: '$response.body#/accountId',
      cycleId: '$response.body#/cycleId',
      activityId: '$response.body#/stages/0/activities/0/id',
    },
  },
  CompleteFirstTask: {
    operationId: 'AccountCyclesController_completeTask',
    parameters: {
      accountId: '$response.body#/accountId',
      cycleId: '$response.body#/cycleId',
      taskId: '$response.body#/stages/0/activities/0/tasks/0/id',
    },
  },
  ListCycles: { operationId: 'AccountCyclesController_list', parameters: { accountId: '$response.body#/accountId' } },
};

@ApiTags('account-cycles')
@Controller('v1/accounts/:accountId')
export class AccountCyclesController {
  constructor(
    private readonly cycles: AccountCyclesService,
    private readonly templates: TemplatesService,
  ) {}

  @Get('cycles')
  @ApiOperation({ summary: "An account's cycles (active and completed), with due dates and the current stage" })
  @ApiOkResponse({ type: AccountCyclesResponse })
  async list(@Param() params: AccountParams): Promise<AccountCyclesResponse> {
    const { cycles, now } = await this.cycles.list(params.accountId);
    const shown = cycles.filter((c) => c.status !== 'removed');
    return {
      accountId: params.accountId,
      primaryCycleId: shown.find((c) => c.status === 'active' && c.primary)?.cycleId ?? null,
      cycles: shown.map((c) => toCycleResponse(c, now)),
    };
  }

  @Post('cycles')
  @ApiOperation({ summary: 'Assign a cycle: every due date is computed now (C4)' })
  @ApiCreatedResponse({ type: CycleResponse, links: CYCLE_LINKS })
  @ApiRefusals(409, 422)
  async assign(@Param() params: AccountParams, @Body() body: AssignCycleBody): Promise<CycleResponse> {
    const { cycle, now } = await this.cycles.assign(params.accountId, {
      templateId: body.templateId,
      ...(body.startDate === undefined ? {} : { startDate: new Date(body.startDate) }),
      ...(body.primary === undefined ? {} : { primary: body.primary }),
    });
    return toCycleResponse(cycle, now);
  }

  @Patch('cycles/:cycleId')
  @ApiOperation({ summary: 'Make a cycle primary (C5) and/or move its start date, recalculating if asked (C11)' })
  @ApiOkResponse({ type: UpdatedCycleResponse })
  @ApiRefusals(409, 422)
  async update(@Param() params: CycleParams, @Body() body: UpdateCycleBody): Promise<UpdatedCycleResponse> {
    if (body.primary === undefined && body.startDate === undefined) {
      throw new CycleError(CycleErrorCode.InvalidCycleInput, 'Nothing to change: give primary: true and/or startDate', {});
    }
    if (body.recalculate !== undefined && body.startDate === undefined) {
      throw new CycleError(CycleErrorCode.InvalidCycleInput, 'recalculate applies to a start date change: give startDate too', {});
    }
    const { cycle, dueDateChanges, now } = await this.cycles.update(params.accountId, params.cycleId, {
      ...(body.primary === undefined ? {} : { primary: body.primary }),
      ...(body.startDate === undefined ? {} : { startDate: new Date(body.startDate) }),
      ...(body.recalculate === undefined ? {} : { recalculate: body.recalculate }),
    });
    return {
      ...toCycleResponse(cycle, now),
      dueDateChanges: dueDateChanges.map((c) => ({
        kind: c.kind,
        id: c.id,
        name: c.name,
        previousDueDate: dayOf(c.previousDueDate),
        dueDate: dayOf(c.dueDate),
      })),
    };
  }

  @Delete('cycles/:cycleId')
  @ApiOperation({ summary: 'Remove an active cycle; removing the primary promotes the oldest active one (C5)' })
  @ApiOkResponse({ type: RemovedCycleResponse })
  @ApiRefusals(409)
  remove(@Param() params: CycleParams): Promise<RemovedCycleResponse> {
    return this.cycles.remove(params.accountId, params.cycleId);
  }

  @Post('cycles/:cycleId/tasks/:taskId/complete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Complete a task; completion rolls up to its activity, stage and the cycle (C6), which may start the next one (C8)',
  })
  @ApiOkResponse({ type: CompletionResponse })
  @ApiRefusals(409, 422)
  completeTask(@Param() params: TaskParams, @Body() body: CompleteItemBody): Promise<CompletionResponse> {
    return this.complete(params, 'task', params.taskId, body);
  }

  @Post('cycles/:cycleId/activities/:activityId/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete an activity that has no tasks (C6)' })
  @ApiOkResponse({ type: CompletionResponse })
  @ApiRefusals(409, 422)
  completeActivity(@Param() params: ActivityParams, @Body() body: CompleteItemBody): Promise<CompletionResponse> {
    return this.complete(params, 'activity', params.activityId, body);
  }

  @Post('cycles/:cycleId/stages/:stageId/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a stage that has no activities (C6)' })
  @ApiOkResponse({ type: CompletionResponse })
  @ApiRefusals(409, 422)
  completeStage(@Param() params: CycleStageParams, @Body() body: CompleteItemBody): Promise<CompletionResponse> {
    return this.complete(params, 'stage', params.stageId, body);
  }

  @Get('available-cycle-templates')
  @ApiOperation({ summary: "Templates available to the account's client type, minus completed and running ones (C7)" })
  @ApiOkResponse({ type: TemplateListResponse })
  async available(@Param() params: AccountParams): Promise<TemplateListResponse> {
    const [records, defaultId] = await Promise.all([this.cycles.available(params.accountId), this.templates.defaultTemplateId()]);
    return { items: records.map((r) => toTemplateResponse(r, defaultId)) };
  }

  @Get('primary-cycle')
  @ApiOperation({ summary: 'The primary cycle, its current stage and days in it (for the account view, SPEC 5.4)' })
  @ApiOkResponse({ type: PrimaryCycleResponse })
  async primary(@Param() params: AccountParams): Promise<PrimaryCycleResponse> {
    return { primaryCycle: await this.cycles.primaryCycle(params.accountId) };
  }

  private async complete(
    params: CycleParams,
    kind: CompletableKind,
    itemId: string,
    body: CompleteItemBody | undefined,
  ): Promise<CompletionResponse> {
    const at = body?.at === undefined ? undefined : new Date(body.at);
    const answer = await this.cycles.complete(params.accountId, params.cycleId, kind, itemId, at);
    return {
      cycle: toCycleResponse(answer.cycle, answer.now),
      nextCycle: answer.nextCycle === null ? null : toCycleResponse(answer.nextCycle, answer.now),
      primaryCycleId: answer.primaryCycleId,
    };
  }
}
