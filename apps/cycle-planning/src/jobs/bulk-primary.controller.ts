import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ApiRefusals, INVALID_REQUEST, validationException } from '@lifecycle/http';
import { assertNoBulkStageEdit } from '../domain';
import { BulkPrimaryService } from './bulk-primary.service';
import { BulkPrimaryBody } from './dto/bulk-primary.request';
import { BulkPrimaryResponse } from './dto/bulk-primary.response';

@ApiTags('bulk')
@Controller('v1/bulk')
export class BulkPrimaryController {
  constructor(private readonly bulk: BulkPrimaryService) {}

  /**
   * The body is taken raw (the global pipe would refuse a `stage` field as merely "should not
   * exist"): a stage bulk edit is refused first, with the rule's own message (C13), then the rest
   * is validated like any body.
   */
  @Post('primary-cycle')
  @HttpCode(202)
  @ApiBody({ type: BulkPrimaryBody })
  @ApiOperation({ summary: 'Set the primary cycle of many accounts (by ids or segment) as a job (C13); stages are not bulk-editable' })
  @ApiAcceptedResponse({
    type: BulkPrimaryResponse,
    links: { GetBulkPrimaryJob: { operationId: 'JobStatusController_get', parameters: { jobId: '$response.body#/jobId' } } },
  })
  @ApiRefusals(404, 422)
  async setPrimary(@Body() raw: Record<string, unknown>): Promise<BulkPrimaryResponse> {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new BadRequestException({ message: 'The body must be a JSON object', details: { code: INVALID_REQUEST, fields: [] } });
    }
    assertNoBulkStageEdit(raw);
    const body = plainToInstance(BulkPrimaryBody, raw);
    const errors = await validate(body, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw validationException(errors);
    return this.bulk.request(body);
  }
}
