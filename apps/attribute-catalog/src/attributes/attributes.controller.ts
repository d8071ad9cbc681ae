import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Attribute } from '../domain/attribute';
import { AttributesService } from './attributes.service';
import { AttributeResponse, DaysInFieldResponse, toResponse } from './dto/attribute.response';
import { CreateAttributeDto } from './dto/create-attribute.dto';
import { ListAttributesQuery } from './dto/list-attributes.query';
import { StageInputDto } from './dto/stage-input.dto';
import { StageOrderDto } from './dto/stage-order.dto';
import { UpdateAttributeDto } from './dto/update-attribute.dto';
import { UpdateStageDto } from './dto/update-stage.dto';
import { etagOf, parseIfMatch } from './if-match';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The version (ETag) the change is based on; a stale one gives 409. Without it the server checks the version it read.',
} as const;

/** SPEC 5.3, attributes. Thin: validate, call one use case, answer the full attribute with its version as ETag. */
@ApiTags('attributes')
@ApiBadRequestResponse({ description: 'Invalid input; `details` names the offending field.' })
@Controller('v1/attributes')
export class AttributesController {
  constructor(private readonly attributes: AttributesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a draft attribute, optionally with its initial stages' })
  @ApiCreatedResponse({ type: AttributeResponse })
  @ApiConflictResponse({ description: 'The key is taken.' })
  async create(@Body() body: CreateAttributeDto, @Res({ passthrough: true }) res: Response): Promise<AttributeResponse> {
    const attribute = await this.attributes.create(body);
    res.setHeader('Location', `/v1/attributes/${attribute.key}`);
    return answer(res, attribute);
  }

  @Get()
  @ApiOperation({ summary: 'List attributes (ordered by key), optionally by state and flow' })
  @ApiOkResponse({ type: [AttributeResponse] })
  async list(@Query() query: ListAttributesQuery): Promise<AttributeResponse[]> {
    return (await this.attributes.list(query)).map(toResponse);
  }

  @Get(':key')
  @ApiOperation({ summary: 'One attribute' })
  @ApiOkResponse({ type: AttributeResponse })
  @ApiNotFoundResponse()
  async get(@Param('key') key: string, @Res({ passthrough: true }) res: Response): Promise<AttributeResponse> {
    return answer(res, await this.attributes.get(key));
  }

  @Patch(':key')
  @ApiOperation({ summary: 'Change name, description or flow (the key is immutable)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AttributeResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Modified concurrently.' })
  async update(
    @Param('key') key: string,
    @Body() body: UpdateAttributeDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.updateDetails(key, body, parseIfMatch(ifMatch)));
  }

  @Get(':key/days-in-fields')
  @ApiOperation({ summary: 'The "Days in" fields of the attribute and of each stage (disabled stages included)' })
  @ApiOkResponse({ type: [DaysInFieldResponse] })
  @ApiNotFoundResponse()
  async daysInFields(@Param('key') key: string): Promise<DaysInFieldResponse[]> {
    return this.attributes.daysInFields(key);
  }

  @Post(':key/stages')
  @ApiOperation({ summary: 'Append a stage (also to an active attribute: it goes last)' })
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ type: AttributeResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Too many stages, or modified concurrently.' })
  async addStage(
    @Param('key') key: string,
    @Body() body: StageInputDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.addStage(key, body, parseIfMatch(ifMatch)));
  }

  @Patch(':key/stages/:stageId')
  @ApiOperation({ summary: 'Rename, recolour, disable/enable a stage; change its end-stage flag while draft' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AttributeResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'End-stage flag of an active attribute, or modified concurrently.' })
  async updateStage(
    @Param('key') key: string,
    @Param('stageId') stageId: string,
    @Body() body: UpdateStageDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.updateStage(key, stageId, body, parseIfMatch(ifMatch)));
  }

  @Put(':key/stage-order')
  @ApiOperation({ summary: 'Reorder the stages of a draft attribute (a permutation of all stage ids)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AttributeResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The attribute is active (A4), or modified concurrently.' })
  async reorderStages(
    @Param('key') key: string,
    @Body() body: StageOrderDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.reorderStages(key, body.stageIds, parseIfMatch(ifMatch)));
  }

  @Delete(':key/stages/:stageId')
  @ApiOperation({ summary: 'Remove a stage from a draft attribute' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AttributeResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The attribute is active (A4): disable the stage instead; or modified concurrently.' })
  async removeStage(
    @Param('key') key: string,
    @Param('stageId') stageId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.removeStage(key, stageId, parseIfMatch(ifMatch)));
  }

  @Post(':key/activate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Activate (A3: needs an enabled non-end stage and an enabled end stage); no-op when active' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AttributeResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Not activatable (the message lists why), or modified concurrently.' })
  async activate(
    @Param('key') key: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttributeResponse> {
    return answer(res, await this.attributes.activate(key, parseIfMatch(ifMatch)));
  }
}

function answer(res: Response, attribute: Attribute): AttributeResponse {
  res.setHeader('ETag', etagOf(attribute.version));
  return toResponse(attribute);
}
