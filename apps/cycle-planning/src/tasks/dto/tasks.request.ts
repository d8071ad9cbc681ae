import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsIsoDate } from '@lifecycle/http';
import { ACCOUNT_ID_MESSAGE, ACCOUNT_ID_PATTERN } from '@lifecycle/contracts';

export const MAX_PAGE_SIZE = 200;
/** page × pageSize: the rows kept in memory while the sorted view is assembled. */
export const MAX_ROWS_DEEP = 10_000;

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

export class TasksQuery {
  @ApiPropertyOptional({ example: 'acme' })
  @IsOptional()
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId?: string;

  @ApiPropertyOptional({ example: 'user-7', description: 'Tasks of this owner (tasks without an owner are the account owner’s).' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ownerId?: string;

  @ApiPropertyOptional({ example: true, description: 'true: due day passed; false: not overdue (incl. no due date).' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: '$property must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ example: '2025-04-01', description: 'Due before this day (exclusive).' })
  @IsOptional()
  @IsIsoDate('$property must be an ISO-8601 date, e.g. 2025-04-01')
  dueBefore?: string;

  @ApiPropertyOptional({ example: 1, default: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: '$property must be a whole number' })
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ example: 50, default: 50, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: '$property must be a whole number' })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;
}
