import { ApiProperty } from '@nestjs/swagger';
import type { ClientType } from '../client-type.repository';

/** A client type (C3): the CRM's `clientType` value, its templates and its default. */
export class ClientTypeResponse {
  @ApiProperty({ example: 'enterprise' }) key!: string;
  @ApiProperty({ example: 'Enterprise' }) name!: string;
  @ApiProperty({ example: ['enterprise-onboarding', 'renewal'], type: [String] }) templateIds!: string[];
  @ApiProperty({ example: 'enterprise-onboarding', nullable: true, type: String }) defaultTemplateId!: string | null;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', format: 'date-time' }) createdAt!: string;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', format: 'date-time' }) updatedAt!: string;
}

export class ClientTypeListResponse {
  @ApiProperty({ type: [ClientTypeResponse] }) items!: ClientTypeResponse[];
}

export function toClientTypeResponse(type: ClientType): ClientTypeResponse {
  return {
    key: type.key,
    name: type.name,
    templateIds: type.templateIds,
    defaultTemplateId: type.defaultTemplateId,
    createdAt: type.createdAt.toISOString(),
    updatedAt: type.updatedAt.toISOString(),
  };
}
