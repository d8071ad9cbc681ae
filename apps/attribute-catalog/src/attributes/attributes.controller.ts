import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiRefusals } from '@lifecycle/http';
import type { Attribute } from '../domain/attribute';
import { AttributesService } from './attributes.service';
import {
  AttributeParams,
  CreateAttributeBody,
  ListAttributesQuery,
  StageBody,
  StageOrderBody,
  StageParams,
  UpdateAttributeBody,
  UpdateStageBody,
} from './dto/attribute.request';
import { AttributeResponse, DaysInFieldResponse, toAttributeResponse } from './dto/attribute.response';
import { etagOf, parseIfMatch } from './if-match';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description:
    'The version (ETag) the change is based on, e.g. "3"; a stale one gives 409. Without it (or `*`) the server checks the version it read.',
  schema: { type: 'string', pattern: '^\\s*(\\*|(W/)?("\\d{1,15}"|\\d{1,15}))?\\s*$' },
} as const;

const ETAG = { ETag: { description: 'The version of the attribute, for If-Match.', schema: { type: 'string', example: '"3"' } } };

/** An attribute's key, from an answer that carries the attribute. */
const ATTRIBUTE_LINKS = {
  GetAttribute: { operationId: 'AttributesController_get', parameters: { key: '$response.body#/key' } },
  UpdateAttribute: { operationId: 'AttributesController_update', parameters: { key: '$response.body#/key' } },
  AddStage: { operationId: 'AttributesController_addStage', parameters: { key: '$response.body#/key' } },
  ReorderStages: { operationId: 'AttributesController_reorderStages', parameters: { key: '$response.body#/key' } },
  ActivateAttribute: { operationId: 'AttributesController_activate', parameters: { key: '$response.body#/key' } },
  GetDaysInFields: { operationId: 'AttributesController_daysInFields', parameters: { key: '$response.body#/key' } },
  UpdateFirstStage: {
    operationId: 'AttributesController_updateStage',
    parameters: { key: '$response.body#/key', stageId: '$response.body#/stages/0/id' },
  },
  RemoveFirstStage: {
    operationId: 'AttributesController_removeStage',
    parameters: { key: '$response.body#/key', stageId: '$response.body#/stages/0/id' },
  },
};

/** SPEC 5.3, attributes. Thin: validate, call one use case, answer the full attribute with its version as ETag. */
@ApiTags('attributes')
@Controller('v1/attributes')
export class AttributesController {
  constructor(private readonly attributes: AttributesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a draft attribute, optionally with its initial stages' })
  @ApiCreatedResponse({
    type: AttributeResponse,
    headers: {
      ...ETAG,
      Location: { description: 'The new attribute.', schema: { type: 'string', example: '/v1/attributes/onboarding-status' } },
    },
    links: ATTRIBUTE_LINKS,
  })
  @ApiRefusals(409, 422)
  async create(@Body() body: CreateAttributeBody, @Res({ passthrough: true }) res: Response): Promise<AttributeResponse> {
    const attribute = await this.attributes.create(body);
    res.setHeader('Location', `/v1/attributes/${attribute.key}`);
    return answer(res, attribute);
  }

  @Get()
  @ApiOperation({ summary: 'List attributes (ordered by key), optionally by state and flow' })
  @ApiOkResponse({ type: [AttributeResponse] })
  async list(@Query() query: ListAttributesQuery): Promise<AttributeResponse[]> {
    return (await this.attributes.list(query)).map(toAttributeResponse);
  }

  @Get(':key')
  @ApiOperation({ summary: 'One attribute' })
  @ApiOkResponse({ type: AttributeResponse, headers: ETAG })
  async get(@Param() params: AttributeParams, @Res({ passthrough: true }) res: Response): Promise<AttributeResponse> {
    return answer(res, await this.attributes.get(params.key));
  }

  @Patch(':key')
  @ApiOperation({ summary: 'Change name, description or flow (the key is immutable)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AttributeResponse, headers: ETAG })
  @ApiRefusals(409, 422)
  async update(
    @Param() params: AttributeParams,
    @Body() body: UpdateAttributeBody,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.updateDetails(params.key, body, parseIfMatch(ifMatch)));
  }

  @Get(':key/days-in-fields')
  @ApiOperation({ summary: 'The "Days in" fields of the attribute and of each stage (disabled stages included)' })
  @ApiOkResponse({ type: [DaysInFieldResponse] })
  async daysInFields(@Param() params: AttributeParams): Promise<DaysInFieldResponse[]> {
    return this.attributes.daysInFields(params.key);
  }

  @Post(':key/stages')
  @ApiOperation({ summary: 'Append a stage (also to an active attribute: it goes last)' })
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ type: AttributeResponse, headers: ETAG, links: ATTRIBUTE_LINKS })
  @ApiRefusals(409, 422)
  async addStage(
    @Param() params: AttributeParams,
    @Body() body: StageBody,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.addStage(params.key, body, parseIfMatch(ifMatch)));
  }

  @Patch(':key/stages/:stageId')
  @ApiOperation({ summary: 'Rename, recolour, disable/enable a stage; change its end-stage flag while draft' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AttributeResponse, headers: ETAG })
  @ApiRefusals(409, 422)
  async updateStage(
    @Param() params: StageParams,
    @Body() body: UpdateStageBody,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.updateStage(params.key, params.stageId, body, parseIfMatch(ifMatch)));
  }

  @Put(':key/stage-order')
  @ApiOperation({ summary: 'Reorder the stages of a draft attribute (a permutation of all stage ids)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AttributeResponse, headers: ETAG })
  @ApiRefusals(409, 422)
  async reorderStages(
    @Param() params: AttributeParams,
    @Body() body: StageOrderBody,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.reorderStages(params.key, body.stageIds, parseIfMatch(ifMatch)));
  }

  @Delete(':key/stages/:stageId')
  @ApiOperation({ summary: 'Remove a stage from a draft attribute' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AttributeResponse, headers: ETAG })
  @ApiRefusals(409)
  async removeStage(
    @Param() params: StageParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.removeStage(params.key, params.stageId, parseIfMatch(ifMatch)));
  }

  @Post(':key/activate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Activate (A3: needs an enabled non-end stage and an enabled end stage); no-op when active' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AttributeResponse, headers: ETAG })
  @ApiRefusals(409)
  async activate(
    @Param() params: AttributeParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.activate(params.key, parseIfMatch(ifMatch)));
  }
}

function answer(res: Response, attribute: Attribute): AttributeResponse {
  res.setHeader('ETag', etagOf(attribute.version));
  return toAttributeResponse(attribute);
}
