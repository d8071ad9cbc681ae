import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { validationException } from '@lifecycle/http';
import { assertNoBulkStageEdit, CycleError, CycleErrorCode } from '../domain';
import { BulkPrimaryService } from './bulk-primary.service';
import { BulkPrimaryDto } from './dto/bulk-primary.dto';

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
  @ApiBody({ type: BulkPrimaryDto })
  @ApiOperation({ summary: 'Set the primary cycle of many accounts (by ids or segment) as a job (C13); stages are not bulk-editable' })
  async setPrimary(@Body() raw: Record<string, unknown>): Promise<{ jobId: string; templateId: string }> {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new CycleError(CycleErrorCode.InvalidBulkRequest, 'The body must be a JSON object', {});
    }
    assertNoBulkStageEdit(raw);
    const body = plainToInstance(BulkPrimaryDto, raw);
    const errors = await validate(body, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw validationException(errors);
    return this.bulk.request(body);
  }
}
