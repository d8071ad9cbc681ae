import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CycleError, CycleErrorCode } from '../domain';
import { templateView, type TemplateView } from '../templates/dto/template.view';
import { TemplatesService } from '../templates/templates.service';
import { AccountCyclesService, type CompletableKind, type PrimaryCycleSummary } from './account-cycles.service';
import {
  AccountParamsDto,
  ActivityParamsDto,
  AssignCycleDto,
  CompleteItemDto,
  CycleParamsDto,
  StageParamsDto,
  TaskParamsDto,
  UpdateCycleDto,
} from './dto/cycle-input.dto';
import { cycleView, dayOf, type CycleView } from './dto/cycle.view';

interface CompletionView {
  cycle: CycleView;
  nextCycle: CycleView | null;
  primaryCycleId: string | null;
}

@ApiTags('account-cycles')
@Controller('v1/accounts/:accountId')
export class AccountCyclesController {
  constructor(
    private readonly cycles: AccountCyclesService,
    private readonly templates: TemplatesService,
  ) {}

  @Get('cycles')
  @ApiOperation({ summary: "An account's cycles (active and completed), with due dates and the current stage" })
  async list(@Param() params: AccountParamsDto): Promise<{ accountId: string; primaryCycleId: string | null; cycles: CycleView[] }> {
    const { cycles, now } = await this.cycles.list(params.accountId);
    const shown = cycles.filter((c) => c.status !== 'removed');
    return {
      accountId: params.accountId,
      primaryCycleId: shown.find((c) => c.status === 'active' && c.primary)?.cycleId ?? null,
      cycles: shown.map((c) => cycleView(c, now)),
    };
  }

  @Post('cycles')
  @ApiOperation({ summary: 'Assign a cycle: every due date is computed now (C4)' })
  async assign(@Param() params: AccountParamsDto, @Body() body: AssignCycleDto): Promise<CycleView> {
    const { cycle, now } = await this.cycles.assign(params.accountId, {
      templateId: body.templateId,
      ...(body.startDate === undefined ? {} : { startDate: new Date(body.startDate) }),
      ...(body.primary === undefined ? {} : { primary: body.primary }),
    });
    return cycleView(cycle, now);
  }

  @Patch('cycles/:cycleId')
  @ApiOperation({ summary: 'Make a cycle primary (C5) and/or move its start date, recalculating if asked (C11)' })
  async update(@Param() params: CycleParamsDto, @Body() body: UpdateCycleDto) {
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
      ...cycleView(cycle, now),
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
  remove(@Param() params: CycleParamsDto): Promise<{ cycleId: string; primaryCycleId: string | null }> {
    return this.cycles.remove(params.accountId, params.cycleId);
  }

  @Post('cycles/:cycleId/tasks/:taskId/complete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Complete a task; completion rolls up to its activity, stage and the cycle (C6), which may start the next one (C8)',
  })
  completeTask(@Param() params: TaskParamsDto, @Body() body: CompleteItemDto): Promise<CompletionView> {
    return this.complete(params, 'task', params.taskId, body);
  }

  @Post('cycles/:cycleId/activities/:activityId/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete an activity that has no tasks (C6)' })
  completeActivity(@Param() params: ActivityParamsDto, @Body() body: CompleteItemDto): Promise<CompletionView> {
    return this.complete(params, 'activity', params.activityId, body);
  }

  @Post('cycles/:cycleId/stages/:stageId/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a stage that has no activities (C6)' })
  completeStage(@Param() params: StageParamsDto, @Body() body: CompleteItemDto): Promise<CompletionView> {
    return this.complete(params, 'stage', params.stageId, body);
  }

  @Get('available-cycle-templates')
  @ApiOperation({ summary: "Templates available to the account's client type, minus completed and running ones (C7)" })
  async available(@Param() params: AccountParamsDto): Promise<{ items: TemplateView[] }> {
    const [records, defaultId] = await Promise.all([this.cycles.available(params.accountId), this.templates.defaultTemplateId()]);
    return { items: records.map((r) => templateView(r, defaultId)) };
  }

  @Get('primary-cycle')
  @ApiOperation({ summary: 'The primary cycle, its current stage and days in it (for the account view, SPEC 5.4)' })
  async primary(@Param() params: AccountParamsDto): Promise<{ primaryCycle: PrimaryCycleSummary | null }> {
    return { primaryCycle: await this.cycles.primaryCycle(params.accountId) };
  }

  private async complete(
    params: CycleParamsDto,
    kind: CompletableKind,
    itemId: string,
    body: CompleteItemDto | undefined,
  ): Promise<CompletionView> {
    const at = body?.at === undefined ? undefined : new Date(body.at);
    const answer = await this.cycles.complete(params.accountId, params.cycleId, kind, itemId, at);
    return {
      cycle: cycleView(answer.cycle, answer.now),
      nextCycle: answer.nextCycle === null ? null : cycleView(answer.nextCycle, answer.now),
      primaryCycleId: answer.primaryCycleId,
    };
  }
}
