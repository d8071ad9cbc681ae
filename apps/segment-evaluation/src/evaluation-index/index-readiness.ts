import { Controller, Get, Injectable, Res, type NestMiddleware } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { errorBody } from '@lifecycle/http';
import { SegmentErrorCode } from '../domain/segment-errors';
import { EvaluationIndexService, RETRY_AFTER_SECONDS } from './evaluation-index.service';

/**
 * The reads the index answers (previews, members, progress, the lifecycle report): while it
 * loads they get 503 with `Retry-After`, before any other work, never a partial count.
 */
@Injectable()
export class IndexReadinessMiddleware implements NestMiddleware {
  constructor(private readonly index: EvaluationIndexService) {}

  use(_request: Request, response: Response, next: NextFunction): void {
    if (this.index.ready) {
      next();
      return;
    }
    const { accounts } = this.index.status();
    response
      .status(503)
      .setHeader('Retry-After', String(RETRY_AFTER_SECONDS))
      .json(
        errorBody(503, `The segment index is loading (${accounts} accounts so far); retry in ${RETRY_AFTER_SECONDS} s`, {
          code: SegmentErrorCode.IndexNotReady,
        }),
      );
  }
}

/** `GET /health/ready`: 200 once the index answers for every account, 503 with `Retry-After` before. */
@ApiExcludeController()
@Controller('health')
export class IndexReadinessController {
  constructor(private readonly index: EvaluationIndexService) {}

  @Get('ready')
  ready(@Res({ passthrough: true }) response: Response): ReturnType<EvaluationIndexService['status']> {
    if (!this.index.ready) response.status(503).setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    return this.index.status();
  }
}
