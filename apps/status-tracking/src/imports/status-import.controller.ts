import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiRefusals } from '@lifecycle/http';
import { importNotFound, importWrongMediaType } from '../domain/tracking-errors';
import { actorOf, HEADER_VALUE, optionalHeader, requestIdOf } from '../statuses/request-identity';
import { ImportParams, ImportQuery, ImportRowsQuery } from './dto/import.request';
import { ImportReportResponse, ImportRowsPageResponse, ImportSummaryResponse } from './dto/import.response';
import type { ImportDocument } from './import.schema';
import { StatusImportService } from './status-import.service';

/** Where an import's id and job id lead. */
const IMPORT_LINKS = {
  GetImport: { operationId: 'StatusImportController_get', parameters: { importId: '$response.body#/importId' } },
  GetImportRows: { operationId: 'StatusImportController_rows', parameters: { importId: '$response.body#/importId' } },
  GetImportJob: { operationId: 'JobStatusController_get', parameters: { jobId: '$response.body#/jobId' } },
};

/** Rows listed in the answer to an import; the full report is paged at `reportUrl`. */
const ROWS_IN_ANSWER = 1_000;

@ApiTags('imports')
@Controller('v1/imports/statuses')
export class StatusImportController {
  constructor(private readonly imports: StatusImportService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Import statuses from CSV (accountId,attributeKey,stage[,at]) with a per-row report (L13)' })
  @ApiConsumes('text/csv')
  @ApiBody({
    required: true,
    description: 'A CSV file: a header naming accountId, attributeKey, stage (and optionally at), then one row per status.',
    schema: { type: 'string', example: 'accountId,attributeKey,stage,at\nacme,onboarding-status,Kickoff,2025-03-01T09:00:00Z\n' },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Row keys become <key>+row; default: the file SHA-256 + row, so the same file twice changes nothing.',
    schema: { type: 'string', pattern: HEADER_VALUE.source },
  })
  @ApiOkResponse({ type: ImportReportResponse, description: 'Imported (or validated) now.', links: IMPORT_LINKS })
  @ApiAcceptedResponse({
    type: ImportSummaryResponse,
    description: 'async=true: queued; follow GET /v1/jobs/{jobId}.',
    links: IMPORT_LINKS,
  })
  @ApiRefusals(413, 415, 422)
  async import(
    @Query() query: ImportQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportReportResponse | ImportSummaryResponse> {
    const contentType = req.headers['content-type'];
    if (!contentType || !/^text\/csv\b/i.test(contentType)) throw importWrongMediaType(contentType);
    const doc = await this.imports.receive(req, {
      dryRun: query.dryRun === 'true',
      atomic: query.atomic === 'true',
      async: query.async === 'true',
      idempotencyKey: optionalHeader(req, 'idempotency-key'),
      actor: actorOf(req),
      requestId: requestIdOf(req),
    });
    if (doc.async) {
      res.status(HttpStatus.ACCEPTED);
      return summary(doc);
    }
    const { rows, total } = await this.imports.reportPage(doc, undefined, 0, ROWS_IN_ANSWER);
    return { ...summary(doc), rows, truncated: total > rows.length };
  }

  @Get(':importId')
  @ApiOperation({ summary: 'Progress and counts of an import' })
  @ApiOkResponse({ type: ImportSummaryResponse })
  async get(@Param() params: ImportParams): Promise<ImportSummaryResponse> {
    const doc = await this.imports.get(params.importId);
    if (!doc) throw importNotFound(params.importId);
    return summary(doc);
  }

  @Get(':importId/rows')
  @ApiOperation({ summary: 'The per-row report of an import, paged, optionally one status (e.g. invalid)' })
  @ApiOkResponse({ type: ImportRowsPageResponse })
  async rows(@Param() params: ImportParams, @Query() query: ImportRowsQuery): Promise<ImportRowsPageResponse> {
    const doc = await this.imports.get(params.importId);
    if (!doc) throw importNotFound(params.importId);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 500;
    const { rows, total } = await this.imports.reportPage(doc, query.status, (page - 1) * pageSize, pageSize);
    return { rows, page, pageSize, total };
  }
}

function summary(doc: ImportDocument): ImportSummaryResponse {
  return {
    importId: doc._id,
    jobId: doc.jobId,
    status: doc.status,
    phase: doc.phase,
    dryRun: doc.dryRun,
    atomic: doc.atomic,
    rejected: doc.rejected,
    totalRows: doc.totalRows,
    summary: doc.counts,
    error: doc.error,
    fileSha256: doc.fileSha256,
    reportUrl: `/v1/imports/statuses/${doc._id}/rows`,
  };
}
