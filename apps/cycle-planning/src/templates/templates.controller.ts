import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateTemplateDto, TemplateBodyDto, TemplateParamsDto } from './dto/template-input.dto';
import { templateView, type TemplateView } from './dto/template.view';
import { TemplatesService, type TemplateEditPreview } from './templates.service';

@ApiTags('cycle-templates')
@Controller('v1/cycle-templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a template with its whole tree in one request (C1 quick entry)' })
  async create(@Body() body: CreateTemplateDto): Promise<TemplateView> {
    const { id, ...input } = body;
    const record = await this.templates.create(input, id ?? `tpl-${randomUUID().slice(0, 12)}`);
    return templateView(record, await this.templates.defaultTemplateId());
  }

  @Get()
  @ApiOperation({ summary: 'Every template, current version' })
  async list(): Promise<{ items: TemplateView[] }> {
    const [records, defaultId] = await Promise.all([this.templates.list(), this.templates.defaultTemplateId()]);
    return { items: records.map((r) => templateView(r, defaultId)) };
  }

  @Get(':templateId')
  async get(@Param() params: TemplateParamsDto): Promise<TemplateView> {
    return templateView(await this.templates.get(params.templateId), await this.templates.defaultTemplateId());
  }

  @Put(':templateId')
  @ApiOperation({ summary: 'Edit a template: saves a new version and queues its propagation to the active cycles (C10)' })
  async update(
    @Param() params: TemplateParamsDto,
    @Body() body: TemplateBodyDto,
  ): Promise<{ template: TemplateView; propagationJobId: string }> {
    const edit = await this.templates.update(params.templateId, body);
    return { template: templateView(edit.template, await this.templates.defaultTemplateId()), propagationJobId: edit.propagationJobId };
  }

  @Post(':templateId/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'What an edit would do (cycles reached; items added, renamed, removed) without applying it (C10)' })
  preview(@Param() params: TemplateParamsDto, @Body() body: TemplateBodyDto): Promise<TemplateEditPreview> {
    return this.templates.preview(params.templateId, body);
  }

  @Delete(':templateId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a template; refused (409) while active cycles use it or it is a default' })
  async remove(@Param() params: TemplateParamsDto): Promise<void> {
    await this.templates.remove(params.templateId);
  }
}
