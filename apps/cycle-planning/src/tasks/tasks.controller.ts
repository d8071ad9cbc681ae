import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRefusals } from '@lifecycle/http';
import { dayOf } from '../cycles/dto/cycle.response';
import { MAX_ROWS_DEEP, TasksQuery } from './dto/tasks.request';
import { TaskPageResponse } from './dto/tasks.response';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@Controller('v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Open activities and tasks across all concurrent cycles, sorted by due date (C9)' })
  @ApiOkResponse({ type: TaskPageResponse })
  @ApiRefusals(422)
  async list(@Query() query: TasksQuery): Promise<TaskPageResponse> {
    const page = await this.tasks.list({
      ...(query.accountId === undefined ? {} : { accountId: query.accountId }),
      ...(query.ownerId === undefined ? {} : { ownerId: query.ownerId }),
      ...(query.overdue === undefined ? {} : { overdue: query.overdue }),
      ...(query.dueBefore === undefined ? {} : { dueBefore: new Date(query.dueBefore) }),
      page: query.page ?? 1,
      pageSize: query.pageSize ?? 50,
      maxRowsDeep: MAX_ROWS_DEEP,
    });
    return { ...page, items: page.items.map((item) => ({ ...item, dueDate: dayOf(item.dueDate) })) };
  }
}
