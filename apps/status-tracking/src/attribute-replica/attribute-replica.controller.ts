import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AttributeReplicaRepository } from './attribute-replica.repository';
import { ReplicatedAttributeListDto } from './attribute-replica.dto';

/** For tests and operators: what this service believes the attributes are. */
@ApiTags('internal')
@Controller('v1/internal/attributes')
export class AttributeReplicaController {
  constructor(private readonly replica: AttributeReplicaRepository) {}

  @Get()
  @ApiOperation({ summary: "The status-tracking service's replica of the attribute catalog" })
  @ApiOkResponse({ type: ReplicatedAttributeListDto })
  async list(): Promise<ReplicatedAttributeListDto> {
    const items = await this.replica.list();
    return { items: items.map((a) => ({ ...a, replicatedAt: a.replicatedAt.toISOString() })) };
  }
}
