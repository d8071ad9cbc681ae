import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRefusals } from '@lifecycle/http';
import { ClientTypesService } from './client-types.service';
import { ClientTypeBody, ClientTypeParams, CreateClientTypeBody } from './dto/client-type.request';
import { ClientTypeListResponse, ClientTypeResponse, toClientTypeResponse } from './dto/client-type.response';

const CLIENT_TYPE_LINKS = {
  GetClientType: { operationId: 'ClientTypesController_get', parameters: { key: '$response.body#/key' } },
  UpdateClientType: { operationId: 'ClientTypesController_update', parameters: { key: '$response.body#/key' } },
  DeleteClientType: { operationId: 'ClientTypesController_remove', parameters: { key: '$response.body#/key' } },
};

@ApiTags('client-types')
@Controller('v1/client-types')
export class ClientTypesController {
  constructor(private readonly clientTypes: ClientTypesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a client type with its available templates and default template (C3)' })
  @ApiCreatedResponse({ type: ClientTypeResponse, links: CLIENT_TYPE_LINKS })
  @ApiRefusals(404, 409, 422)
  async create(@Body() body: CreateClientTypeBody): Promise<ClientTypeResponse> {
    const { key, ...input } = body;
    return toClientTypeResponse(await this.clientTypes.create(key, input));
  }

  @Get()
  @ApiOperation({ summary: 'Every client type' })
  @ApiOkResponse({ type: ClientTypeListResponse })
  async list(): Promise<ClientTypeListResponse> {
    return { items: (await this.clientTypes.list()).map(toClientTypeResponse) };
  }

  @Get(':key')
  @ApiOperation({ summary: 'One client type' })
  @ApiOkResponse({ type: ClientTypeResponse })
  async get(@Param() params: ClientTypeParams): Promise<ClientTypeResponse> {
    return toClientTypeResponse(await this.clientTypes.get(params.key));
  }

  @Put(':key')
  @ApiOperation({ summary: 'Replace a client type’s name, templates and default (C3)' })
  @ApiOkResponse({ type: ClientTypeResponse })
  @ApiRefusals(409, 422)
  async update(@Param() params: ClientTypeParams, @Body() body: ClientTypeBody): Promise<ClientTypeResponse> {
    return toClientTypeResponse(await this.clientTypes.update(params.key, body));
  }

  @Delete(':key')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a client type' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiRefusals(409)
  async remove(@Param() params: ClientTypeParams): Promise<void> {
    await this.clientTypes.remove(params.key);
  }
}
