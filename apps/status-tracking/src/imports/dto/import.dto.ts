import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

const FLAG = ['true', 'false'] as const;
type Flag = (typeof FLAG)[number];

export class ImportQueryDto {
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

export class ImportParamsDto {
  @ApiProperty({ example: '9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10' })
  @IsUUID('4', { message: 'importId must be a UUID' })
  importId!: string;
}

const ROW_STATUSES = ['applied', 'noop', 'duplicate', 'invalid', 'valid', 'failed'] as const;

export class ImportRowsQueryDto {
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

export class ImportReportRowDto {
  @ApiProperty({ example: 3, description: 'Line number in the file (the header is line 1).' }) row!: number;
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'onboarding-status' }) attributeKey!: string;
  @ApiProperty({ example: 'Kickof', description: 'The stage as written (empty = clear).' }) value!: string;
  @ApiProperty({
    enum: ROW_STATUSES,
    example: 'invalid',
    description:
      'applied | noop (same value, L8) | duplicate (imported before, L12) | invalid (refused, see reason) | valid (would apply: dry run or refused atomic import) | failed (contention; import again)',
  })
  status!: (typeof ROW_STATUSES)[number];
  @ApiProperty({
    example:
      'Stage "Kickof" is not a stage of attribute "onboarding-status"; allowed stages: Kickoff, Configuration, Implementation, Go Live',
    nullable: true,
    type: String,
  })
  reason!: string | null;
}

export class ImportCountsDto {
  @ApiProperty({ example: 4 }) rows!: number;
  @ApiProperty({ example: 3 }) applied!: number;
  @ApiProperty({ example: 0 }) noop!: number;
  @ApiProperty({ example: 0 }) duplicate!: number;
  @ApiProperty({ example: 1 }) invalid!: number;
  @ApiProperty({ example: 0 }) valid!: number;
  @ApiProperty({ example: 0 }) failed!: number;
}

export class ImportSummaryDto {
  @ApiProperty({ example: '9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10' }) importId!: string;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'Background job (async imports).' }) jobId!: string | null;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status!: string;
  @ApiProperty({ enum: ['checking', 'validating', 'applying', 'done'] }) phase!: string;
  @ApiProperty({ example: false }) dryRun!: boolean;
  @ApiProperty({ example: false }) atomic!: boolean;
  @ApiProperty({ example: false, description: 'Atomic import refused because some rows are invalid: nothing was applied.' })
  rejected!: boolean;
  @ApiProperty({ example: 4, nullable: true, type: Number }) totalRows!: number | null;
  @ApiProperty({ type: ImportCountsDto }) summary!: ImportCountsDto;
  @ApiProperty({ example: null, nullable: true, type: String }) error!: string | null;
  @ApiProperty({ example: 'e3b0c442…' }) fileSha256!: string;
  @ApiProperty({ example: '/v1/imports/statuses/9b2f…/rows' }) reportUrl!: string;
}

export class ImportReportDto extends ImportSummaryDto {
  @ApiProperty({ type: [ImportReportRowDto], description: 'The first rows of the report, in file order; the rest at reportUrl.' })
  rows!: ImportReportRowDto[];
  @ApiProperty({ example: false, description: 'More rows than listed here.' }) truncated!: boolean;
}

export class ImportRowsPageDto {
  @ApiProperty({ type: [ImportReportRowDto] }) rows!: ImportReportRowDto[];
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 500 }) pageSize!: number;
  @ApiProperty({ example: 4 }) total!: number;
}
