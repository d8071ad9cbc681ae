import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Logger,
  Res,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Request, Response } from 'express';
import { isLoopback } from './loopback';

export const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');

export interface MetricsOptions {
  /** `METRICS_TOKEN`: the bearer token a scraper off loopback presents; null: loopback only. */
  token: string | null;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `/metrics` answers a caller on this machine, or one presenting `Authorization: Bearer
 * <METRICS_TOKEN>` (what Prometheus's scrape config sends). A scraper cannot mint the gateway's
 * short-lived internal credential, so the scrape has its own static token; without one configured,
 * `/metrics` answers on loopback alone.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly logger = new Logger('Metrics');
  private readonly token: Buffer | null;

  constructor(@Inject(METRICS_OPTIONS) options: MetricsOptions) {
    this.token = options.token === null ? null : digest(options.token);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (isLoopback(req.socket.remoteAddress)) return true;
    const [scheme, value] = (req.headers.authorization ?? '').split(' ', 2);
    if (this.token !== null && scheme?.toLowerCase() === 'bearer' && value && timingSafeEqual(digest(value.trim()), this.token))
      return true;
    this.logger.warn(`/metrics refused to ${req.socket.remoteAddress ?? 'an unknown address'}: no valid METRICS_TOKEN`);
    throw new UnauthorizedException('/metrics off loopback needs Authorization: Bearer <METRICS_TOKEN>');
  }
}

/** Prometheus's text format of the default registry (the willsoto controller), outside the API document. */
@ApiExcludeController()
@Controller()
@UseGuards(MetricsAccessGuard)
export class MetricsController extends PrometheusController {
  @Get()
  override index(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }
}
