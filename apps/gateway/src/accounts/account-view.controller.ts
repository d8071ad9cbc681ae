import { Controller, Get, HttpException, Inject, Logger, Param, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GATEWAY_CONFIG, type GatewayConfig } from '@lifecycle/config';
import { REQUEST_ID_HEADER } from '@lifecycle/http';
import { traceHeaders } from '@lifecycle/observability';
import type { AuthenticatedRequest } from '../auth/auth.middleware';
import { InternalCredential } from '../auth/internal-credential';
import { AccountOverviewParams } from './dto/account.request';
import { ACCOUNT_OVERVIEW_SCHEMA } from './dto/account-overview.response';
import { getUpstreamJson, type UpstreamJson } from '../proxy/upstream-http';

/** How long the view waits for each service. */
const UPSTREAM_TIMEOUT_MS = 10_000;

/**
 * `GET /v1/accounts/{accountId}` (SPEC 5.4): facts and lifecycle states from status-tracking, the
 * primary cycle from cycle-planning. If cycle planning is down the view still answers, with
 * `primaryCycle: null` and the service named in `degraded`.
 */
@ApiTags('accounts')
@Controller('v1/accounts')
export class AccountViewController {
  private readonly logger = new Logger(AccountViewController.name);

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly credential: InternalCredential,
  ) {}

  private call(url: string, requestId: string | undefined, principal: string): Promise<UpstreamJson> {
    const headers = {
      ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
      ...this.credential.headers(principal, requestId ?? null),
      ...traceHeaders(),
    };
    return getUpstreamJson(url, headers, UPSTREAM_TIMEOUT_MS);
  }

  @Get(':accountId')
  @ApiOperation({ summary: 'An account: facts, every lifecycle state with its counters, primary cycle' })
  @ApiOkResponse({ schema: ACCOUNT_OVERVIEW_SCHEMA })
  async view(@Param() params: AccountOverviewParams, @Req() req: AuthenticatedRequest & { id?: unknown }) {
    const { accountId } = params;
    const requestId = req.id === undefined ? undefined : String(req.id);
    const principal = InternalCredential.principalOf(req.principal);
    const id = encodeURIComponent(accountId);
    const [tracking, cycles] = await Promise.allSettled([
      this.call(`${this.config.upstreams.tracking}/v1/accounts/${id}`, requestId, principal),
      this.call(`${this.config.upstreams.cycles}/v1/accounts/${id}/primary-cycle`, requestId, principal),
    ]);
    if (tracking.status === 'rejected') {
      this.logger.warn(
        `status-tracking unreachable: ${tracking.reason instanceof Error ? tracking.reason.message : String(tracking.reason)}`,
      );
      throw new HttpException({ message: 'The status-tracking service is unavailable; retry shortly' }, 503);
    }
    if (tracking.value.status !== 200) {
      const body = tracking.value.body ?? {};
      throw new HttpException({ message: String(body.message ?? 'Upstream error'), details: body.details }, tracking.value.status);
    }
    const degraded: string[] = [];
    let primaryCycle: unknown = null;
    if (cycles.status === 'fulfilled' && cycles.value.status === 200) {
      primaryCycle = cycles.value.body?.primaryCycle ?? null;
    } else if (!(cycles.status === 'fulfilled' && cycles.value.status === 404)) {
      this.logger.warn(`primary cycle of ${accountId} unavailable`);
      degraded.push('cycle-planning');
    }
    return { ...tracking.value.body, primaryCycle, ...(degraded.length ? { degraded } : {}) };
  }
}
