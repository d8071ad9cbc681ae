import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRefusals } from '@lifecycle/http';
import { CreateTemplateBody, TemplateBody, TemplateParams } from './dto/template.request';
import {
  TemplateEditPreviewResponse,
  TemplateEditResponse,
  TemplateListResponse,
  TemplateResponse,
  toTemplateResponse,
} from './dto/template.response';
import { TemplatesService } from './templates.service';

const TEMPLATE_LINKS = {
  GetTemplate: { operationId: 'TemplatesController_get', parameters: { templateId: '$response.body#/id' } },
  UpdateTemplate: { operationId: 'TemplatesController_update', parameters: { templateId: '$response.body#/id' } },
  PreviewTemplateEdit: { operationId: 'TemplatesController_preview', parameters: { templateId: '$response.body#/id' } },
  DeleteTemplate: { operationId: 'TemplatesController_remove', parameters: { templateId: '$response.body#/id' } },
};

@ApiTags('cycle-templates')
@Controller('v1/cycle-templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a template with its whole tree in one request (C1 quick entry)' })
  @ApiCreatedResponse({ type: TemplateResponse, links: TEMPLATE_LINKS })
  @ApiRefusals(409, 422)
  async create(@Body() body: CreateTemplateBody): Promise<TemplateResponse> {
    const { id, ...input } = body;
    const record = await this.templates.create(input, id ?? `tpl-${randomUUID().slice(0, 12)}`);
    return toTemplateResponse(record, await this.templates.defaultTemplateId());
  }

  @Get()
  @ApiOperation({ summary: 'Every template, current version' })
  @ApiOkResponse({ type: TemplateListResponse })
  async list(): Promise<TemplateListResponse> {
    const [records, defaultId] = await Promise.all([this.templates.list(), this.templates.defaultTemplateId()]);
    return { items: records.map((r) => toTemplateResponse(r, defaultId)) };
  }

  @Get(':templateId')
  @ApiOperation({ summary: 'One template, current version' })
  @ApiOkResponse({ type: TemplateResponse })
  async get(@Param() params: TemplateParams): Promise<TemplateResponse> {
    return toTemplateResponse(await this.templates.get(params.templateId), await this.templates.defaultTemplateId());
  }

  @Put(':templateId')
  @ApiOperation({ summary: 'Edit a template: saves a new version and queues its propagation to the active cycles (C10)' })
  @ApiOkResponse({
    type: TemplateEditResponse,
    links: {
      GetPropagationJob: { operationId: 'JobStatusController_get', parameters: { jobId: '$response.body#/propagationJobId' } },
    },
  })
  @ApiRefusals(409, 422)
  async update(@Param() params: TemplateParams, @Body() body: TemplateBody): Promise<TemplateEditResponse> {
    const edit = await this.templates.update(params.templateId, body);
    return {
      template: toTemplateResponse(edit.template, await this.templates.defaultTemplateId()),
      propagationJobId: edit.propagationJobId,
    };
  }

  @Post(':templateId/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'What an edit would do (cycles reached; items added, renamed, removed) without applying it (C10)' })
  @ApiOkResponse({ type: TemplateEditPreviewResponse })
  @ApiRefusals(422)
  preview(@Param() params: TemplateParams, @Body() body: TemplateBody): Promise<TemplateEditPreviewResponse> {
    return this.templates.preview(params.templateId, body);
  }

  @Delete(':templateId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a template; refused (409) while active cycles use it or it is a default' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiRefusals(409)
  async remove(@Param() params: TemplateParams): Promise<void> {
    await this.templates.remove(params.templateId);
  }
}
