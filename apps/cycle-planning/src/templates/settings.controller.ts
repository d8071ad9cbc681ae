import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRefusals } from '@lifecycle/http';
import { SetDefaultTemplateBody } from './dto/template.request';
import { SettingsResponse } from './dto/template.response';
import { TemplatesService } from './templates.service';

@ApiTags('settings')
@Controller('v1/settings')
export class SettingsController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @ApiOperation({ summary: 'The global settings: the default cycle template (C2)' })
  @ApiOkResponse({ type: SettingsResponse })
  get(): Promise<SettingsResponse> {
    return this.templates.settingsView();
  }

  @Put('default-cycle-template')
  @ApiOperation({ summary: 'Make a template the global default cycle (C2)' })
  @ApiOkResponse({ type: SettingsResponse })
  @ApiRefusals(404)
  setDefault(@Body() body: SetDefaultTemplateBody): Promise<SettingsResponse> {
    return this.templates.setDefaultTemplate(body.templateId);
  }
}
