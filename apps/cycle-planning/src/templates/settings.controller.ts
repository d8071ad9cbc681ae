import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SetDefaultTemplateDto } from './dto/template-input.dto';
import { TemplatesService, type SettingsView } from './templates.service';

@ApiTags('settings')
@Controller('v1/settings')
export class SettingsController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  get(): Promise<SettingsView> {
    return this.templates.settingsView();
  }

  @Put('default-cycle-template')
  @ApiOperation({ summary: 'Make a template the global default cycle (C2)' })
  setDefault(@Body() body: SetDefaultTemplateDto): Promise<SettingsView> {
    return this.templates.setDefaultTemplate(body.templateId);
  }
}
