import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRefusals } from '@lifecycle/http';
import type { PlayAction, PlayTrigger } from '../domain';
import {
  AccountFiringsParams,
  CompletePlayTaskBody,
  CreatePlayBody,
  PlayTaskParams,
  PageQuery,
  PlayParams,
  UpdatePlayBody,
  type PlayActionBody,
  type PlayTriggerBody,
} from './dto/play.request';
import {
  PlayFiringPageResponse,
  PlayFiringResponse,
  PlayListResponse,
  PlayResponse,
  toFiringResponse,
  toPlayResponse,
} from './dto/play.response';
import { PlaysService } from './plays.service';

const DEFAULT_PAGE_SIZE = 50;

/** What a play body can be refused for, in the document (docs/bad-input.md shows each answer). */
const PLAY_REFUSALS =
  '**400** `INVALID_REQUEST` (`details.fields` names each field): an unknown `trigger.type` or `action.type` (the message lists the allowed ones), ' +
  '`dueInBusinessDays` not a whole number from 0 to 365, a field of another type, an unknown field, a reference that is not a slug. ' +
  '**422** `INVALID_PLAY` (`details.problems`, one line per problem, each naming what is allowed): fields that do not go with the ' +
  'trigger or action type (`segmentId` for `segment.entered`; `attributeKey`, `stageId?` for the SLA triggers; `templateId` for ' +
  '`assign-template`; `taskName` and `dueInBusinessDays` for `create-task`), an attribute or a stage id the catalog does not have, an ' +
  'end stage (it has no SLA), a saved segment or a template that does not exist.';

const PLAY_LINKS = {
  GetPlay: { operationId: 'PlaysController_get', parameters: { playId: '$response.body#/id' } },
  UpdatePlay: { operationId: 'PlaysController_update', parameters: { playId: '$response.body#/id' } },
  ListPlayFirings: { operationId: 'PlaysController_firings', parameters: { playId: '$response.body#/id' } },
  DeletePlay: { operationId: 'PlaysController_remove', parameters: { playId: '$response.body#/id' } },
};

@ApiTags('plays')
@Controller('v1')
export class PlaysController {
  constructor(private readonly plays: PlaysService) {}

  @Post('plays')
  @ApiOperation({
    summary: 'Define a play (P1): a trigger (segment.entered of a saved segment, or a stage SLA at risk / breached) and one action',
    description: PLAY_REFUSALS,
  })
  @ApiCreatedResponse({ type: PlayResponse, links: PLAY_LINKS })
  @ApiRefusals(422)
  async create(@Body() body: CreatePlayBody): Promise<PlayResponse> {
    return toPlayResponse(
      await this.plays.create({ name: body.name, trigger: triggerOf(body.trigger), action: actionOf(body.action), paused: body.paused }),
    );
  }

  @Get('plays')
  @ApiOperation({ summary: 'Every play, oldest first, paged' })
  @ApiOkResponse({ type: PlayListResponse })
  async list(@Query() query: PageQuery): Promise<PlayListResponse> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const { items, total } = await this.plays.list(page, pageSize);
    return { items: items.map(toPlayResponse), total, page, pageSize };
  }

  @Get('plays/:playId')
  @ApiOperation({ summary: 'One play' })
  @ApiOkResponse({ type: PlayResponse })
  @ApiRefusals(404)
  async get(@Param() params: PlayParams): Promise<PlayResponse> {
    return toPlayResponse(await this.plays.get(params.playId));
  }

  @Patch('plays/:playId')
  @ApiOperation({
    summary: 'Edit a play, or pause / resume it (`paused`); a paused play records nothing (P2)',
    description: `The edited play is checked whole, as when it is created. ${PLAY_REFUSALS} **404** \`PLAY_NOT_FOUND\`; **409** \`CONCURRENT_UPDATE\` when other edits of the play kept winning (retry).`,
  })
  @ApiOkResponse({ type: PlayResponse })
  @ApiRefusals(404, 409, 422)
  async update(@Param() params: PlayParams, @Body() body: UpdatePlayBody): Promise<PlayResponse> {
    return toPlayResponse(
      await this.plays.update(params.playId, {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.trigger === undefined ? {} : { trigger: triggerOf(body.trigger) }),
        ...(body.action === undefined ? {} : { action: actionOf(body.action) }),
        ...(body.paused === undefined ? {} : { paused: body.paused }),
      }),
    );
  }

  @Delete('plays/:playId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a play; its firings stay listed' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiRefusals(404)
  async remove(@Param() params: PlayParams): Promise<void> {
    await this.plays.remove(params.playId);
  }

  @Get('plays/:playId/firings')
  @ApiOperation({ summary: 'The firings of a play, newest first (P2)' })
  @ApiOkResponse({ type: PlayFiringPageResponse })
  @ApiRefusals(404)
  async firings(@Param() params: PlayParams, @Query() query: PageQuery): Promise<PlayFiringPageResponse> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const { items, total } = await this.plays.firingsOfPlay(params.playId, page, pageSize);
    return { items: items.map(toFiringResponse), total, page, pageSize };
  }

  @Post('accounts/:accountId/play-tasks/:taskId/complete')
  @HttpCode(200)
  @ApiOperation({
    summary: "Complete a play's one-off task (P1); once only: a second completion is a 409 TASK_ALREADY_COMPLETED, like a cycle task",
  })
  @ApiOkResponse({ type: PlayFiringResponse, description: 'The firing that made the task, with `action.completedAt`.' })
  @ApiRefusals(404, 409, 422)
  async completeTask(@Param() params: PlayTaskParams, @Body() body: CompletePlayTaskBody): Promise<PlayFiringResponse> {
    const at = body?.at === undefined ? undefined : new Date(body.at);
    return toFiringResponse(await this.plays.completeTask(params.accountId, params.taskId, at));
  }

  @Get('accounts/:accountId/play-firings')
  @ApiOperation({ summary: 'The plays that fired for an account, newest first (P2); empty for an account no play fired for' })
  @ApiOkResponse({ type: PlayFiringPageResponse })
  async accountFirings(@Param() params: AccountFiringsParams, @Query() query: PageQuery): Promise<PlayFiringPageResponse> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const { items, total } = await this.plays.firingsOfAccount(params.accountId, page, pageSize);
    return { items: items.map(toFiringResponse), total, page, pageSize };
  }
}

/** The request's shape as the domain's union; wrong combinations are the rules' 422 (`validatePlay`). */
function triggerOf(body: PlayTriggerBody): PlayTrigger {
  return { ...body } as PlayTrigger;
}

function actionOf(body: PlayActionBody): PlayAction {
  return { ...body } as PlayAction;
}
