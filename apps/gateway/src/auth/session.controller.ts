import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from './auth.middleware';
import { SessionResponse } from './session.response';

/**
 * `GET /v1/session`: the role of the presented key, so a client (the console) can sign in with a
 * key and offer only what that role may do. The gateway still checks every call itself.
 */
@ApiTags('session')
@ApiBearerAuth()
@Controller('v1/session')
export class SessionController {
  @Get()
  @ApiOperation({ summary: 'The role and key id of the presented API key' })
  @ApiOkResponse({ type: SessionResponse })
  session(@Req() req: AuthenticatedRequest): SessionResponse {
    // AuthMiddleware runs first on every /v1 path: a request without a principal never gets here.
    const principal = req.principal!;
    return { role: principal.role, keyId: principal.keyId };
  }
}
