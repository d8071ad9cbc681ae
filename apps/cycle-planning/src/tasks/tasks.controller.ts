import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { dayOf } from '../cycles/dto/cycle.view';
import { MAX_ROWS_DEEP, TasksQueryDto } from './dto/tasks-query.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@Controller('v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Open activities and tasks across all concurrent cycles, sorted by due date (C9)' })
  async list(@Query() query: TasksQueryDto) {
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
