import { Body, Controller, Delete, Get, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiRefusals } from '@lifecycle/http';
import { CalendarsService } from './calendars.service';
import { CalendarParams, CreateCalendarBody, UpdateCalendarBody } from './dto/calendar.request';
import { CalendarResponse, toCalendarResponse } from './dto/calendar.response';

/** A calendar's key, from an answer that carries the calendar. */
const CALENDAR_LINKS = {
  GetCalendar: { operationId: 'CalendarsController_get', parameters: { key: '$response.body#/key' } },
  UpdateCalendar: { operationId: 'CalendarsController_update', parameters: { key: '$response.body#/key' } },
  DeleteCalendar: { operationId: 'CalendarsController_delete', parameters: { key: '$response.body#/key' } },
};

/** B1: business calendars. Thin: validate, call one use case, answer the full calendar. */
@ApiTags('calendars')
@Controller('v1/calendars')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a business calendar (working weekdays, holidays, IANA time zone)' })
  @ApiCreatedResponse({
    type: CalendarResponse,
    headers: { Location: { description: 'The new calendar.', schema: { type: 'string', example: '/v1/calendars/germany' } } },
    links: CALENDAR_LINKS,
  })
  @ApiRefusals(409, 422)
  async create(@Body() body: CreateCalendarBody, @Res({ passthrough: true }) res: Response): Promise<CalendarResponse> {
    const calendar = await this.calendars.create(body);
    res.setHeader('Location', `/v1/calendars/${calendar.key}`);
    return toCalendarResponse(calendar);
  }

  @Get()
  @ApiOperation({ summary: 'List the calendars, by key (the default calendar among them)' })
  @ApiOkResponse({ type: [CalendarResponse] })
  async list(): Promise<CalendarResponse[]> {
    return (await this.calendars.list()).map(toCalendarResponse);
  }

  @Get(':key')
  @ApiOperation({ summary: 'One calendar' })
  @ApiOkResponse({ type: CalendarResponse })
  @ApiRefusals(404)
  async get(@Param() params: CalendarParams): Promise<CalendarResponse> {
    return toCalendarResponse(await this.calendars.get(params.key));
  }

  @Patch(':key')
  @ApiOperation({ summary: 'Change name, working weekdays, holidays (the whole list) or time zone; what counts on it is derived again' })
  @ApiOkResponse({ type: CalendarResponse })
  @ApiRefusals(404, 409, 422)
  async update(@Param() params: CalendarParams, @Body() body: UpdateCalendarBody): Promise<CalendarResponse> {
    return toCalendarResponse(await this.calendars.update(params.key, body));
  }

  @Delete(':key')
  @ApiOperation({ summary: 'Delete a calendar; accounts naming it are counted on the default calendar' })
  @ApiOkResponse({ type: CalendarResponse })
  @ApiRefusals(404, 409)
  async delete(@Param() params: CalendarParams): Promise<CalendarResponse> {
    return toCalendarResponse(await this.calendars.delete(params.key));
  }
}
