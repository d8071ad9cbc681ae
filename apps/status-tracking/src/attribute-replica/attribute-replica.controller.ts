import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AttributeReplicaRepository } from './attribute-replica.repository';
import { ReplicatedAttributeListResponse } from './attribute-replica.response';

/** For tests and operators: what this service believes the attributes are. */
@ApiTags('internal')
@Controller('v1/internal/attributes')
export class AttributeReplicaController {
  constructor(private readonly replica: AttributeReplicaRepository) {}

  @Get()
  @ApiOperation({ summary: "The status-tracking service's replica of the attribute catalog" })
  @ApiOkResponse({ type: ReplicatedAttributeListResponse })
  async list(): Promise<ReplicatedAttributeListResponse> {
    const items = await this.replica.list();
    return { items: items.map((a) => ({ ...a, replicatedAt: a.replicatedAt.toISOString() })) };
  }
}
