import { ApiProperty } from '@nestjs/swagger';

export const ROW_STATUSES = ['applied', 'noop', 'duplicate', 'invalid', 'valid', 'failed'] as const;

export class ImportReportRowResponse {
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

export class ImportCountsResponse {
  @ApiProperty({ example: 4 }) rows!: number;
  @ApiProperty({ example: 3 }) applied!: number;
  @ApiProperty({ example: 0 }) noop!: number;
  @ApiProperty({ example: 0 }) duplicate!: number;
  @ApiProperty({ example: 1 }) invalid!: number;
  @ApiProperty({ example: 0 }) valid!: number;
  @ApiProperty({ example: 0 }) failed!: number;
}

export class ImportSummaryResponse {
  @ApiProperty({ example: '9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10' }) importId!: string;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'Background job (async imports).' }) jobId!: string | null;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status!: string;
  @ApiProperty({ enum: ['checking', 'validating', 'applying', 'done'] }) phase!: string;
  @ApiProperty({ example: false }) dryRun!: boolean;
  @ApiProperty({ example: false }) atomic!: boolean;
  @ApiProperty({ example: false, description: 'Atomic import refused because some rows are invalid: nothing was applied.' })
  rejected!: boolean;
  @ApiProperty({ example: 4, nullable: true, type: Number }) totalRows!: number | null;
  @ApiProperty({ type: ImportCountsResponse }) summary!: ImportCountsResponse;
  @ApiProperty({ example: null, nullable: true, type: String }) error!: string | null;
  @ApiProperty({ example: 'e3b0c442…' }) fileSha256!: string;
  @ApiProperty({ example: '/v1/imports/statuses/9b2f…/rows' }) reportUrl!: string;
}

export class ImportReportResponse extends ImportSummaryResponse {
  @ApiProperty({ type: [ImportReportRowResponse], description: 'The first rows of the report, in file order; the rest at reportUrl.' })
  rows!: ImportReportRowResponse[];
  @ApiProperty({ example: false, description: 'More rows than listed here.' }) truncated!: boolean;
}

export class ImportRowsPageResponse {
  @ApiProperty({ type: [ImportReportRowResponse] }) rows!: ImportReportRowResponse[];
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 500 }) pageSize!: number;
  @ApiProperty({ example: 4 }) total!: number;
}
