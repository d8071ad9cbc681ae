import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { MembershipSettingsRepository } from '../projection/membership-settings.repository';
import { MembershipJobs } from './membership-jobs.service';

export class MembershipSettingsBody {
  @ApiProperty({ description: 'Whether projection updates keep saved segments\u2019 membership current (S5).' })
  @IsBoolean()
  live!: boolean;
}

export class MembershipSettingsResponse {
  @ApiProperty() live!: boolean;
  @ApiPropertyOptional({ description: 'The full re-evaluation started by switching back on.', type: String })
  jobId?: string;
}

/**
 * Operators' switch for projection rebuilds (README). Under `/v1/internal`: the gateway does not
 * route it; it is reached on the service's own (loopback) port.
 */
@ApiTags('internal')
@Controller('v1/internal/membership')
export class MembershipController {
  constructor(
    private readonly settings: MembershipSettingsRepository,
    private readonly jobs: MembershipJobs,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Is live membership on?' })
  async get(): Promise<MembershipSettingsResponse> {
    return { live: await this.settings.isLive() };
  }

  @Put()
  @ApiOperation({ summary: 'Pause live membership (before a rebuild) or resume it (re-evaluates every saved segment)' })
  async set(@Body() body: MembershipSettingsBody): Promise<MembershipSettingsResponse> {
    await this.settings.setLive(body.live);
    if (!body.live) return { live: false };
    return { live: true, jobId: await this.jobs.all(randomUUID()) };
  }
}
