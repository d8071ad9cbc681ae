import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientTypesService } from './client-types.service';
import { ClientTypeBodyDto, ClientTypeParamsDto, clientTypeView, CreateClientTypeDto, type ClientTypeView } from './dto/client-type.dto';

@ApiTags('client-types')
@Controller('v1/client-types')
export class ClientTypesController {
  constructor(private readonly clientTypes: ClientTypesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a client type with its available templates and default template (C3)' })
  async create(@Body() body: CreateClientTypeDto): Promise<ClientTypeView> {
    const { key, ...input } = body;
    return clientTypeView(await this.clientTypes.create(key, input));
  }

  @Get()
  async list(): Promise<{ items: ClientTypeView[] }> {
    return { items: (await this.clientTypes.list()).map(clientTypeView) };
  }

  @Get(':key')
  async get(@Param() params: ClientTypeParamsDto): Promise<ClientTypeView> {
    return clientTypeView(await this.clientTypes.get(params.key));
  }

  @Put(':key')
  async update(@Param() params: ClientTypeParamsDto, @Body() body: ClientTypeBodyDto): Promise<ClientTypeView> {
    return clientTypeView(await this.clientTypes.update(params.key, body));
  }

  @Delete(':key')
  @HttpCode(204)
  async remove(@Param() params: ClientTypeParamsDto): Promise<void> {
    await this.clientTypes.remove(params.key);
  }
}
