import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ROW_STATUSES } from './import.response';

/** Import ids are `randomUUID()`s: version 4. */
const IMPORT_ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;

const FLAG = ['true', 'false'] as const;
type Flag = (typeof FLAG)[number];

export class ImportQuery {
  @ApiProperty({
    required: false,
    enum: FLAG,
    description: 'Apply all rows or none: validate every row first, apply only if none is invalid (L13).',
  })
  @IsOptional()
  @IsIn(FLAG, { message: 'atomic must be true or false' })
  atomic?: Flag;

  @ApiProperty({ required: false, enum: FLAG, description: 'Validate and report, apply nothing (L13).' })
  @IsOptional()
  @IsIn(FLAG, { message: 'dryRun must be true or false' })
  dryRun?: Flag;

  @ApiProperty({
    required: false,
    enum: FLAG,
    description: 'Answer 202 at once and import in a background job (large files); progress at GET /v1/jobs/{jobId}.',
  })
  @IsOptional()
  @IsIn(FLAG, { message: 'async must be true or false' })
  async?: Flag;
}

export class ImportParams {
  @ApiProperty({ example: '9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10' })
  @Matches(IMPORT_ID_PATTERN, { message: 'importId must be a UUID (version 4)' })
  importId!: string;
}

export class ImportRowsQuery {
  @ApiProperty({ required: false, enum: ROW_STATUSES })
  @IsOptional()
  @IsIn(ROW_STATUSES)
  status?: (typeof ROW_STATUSES)[number];

  @ApiProperty({ required: false, example: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiProperty({ required: false, example: 500, default: 500, maximum: 5000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  pageSize?: number;
}
