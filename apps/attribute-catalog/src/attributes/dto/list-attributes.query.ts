import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { LIMITS, type AttributeState } from '../../domain/attribute';

export class ListAttributesQuery {
  @ApiPropertyOptional({ enum: ['draft', 'active'], example: 'active' })
  @IsOptional()
  @IsIn(['draft', 'active'])
  state?: AttributeState;

  @ApiPropertyOptional({ example: 'Onboarding', description: 'Exact flow, ignoring case and surrounding spaces.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.flowLength)
  flow?: string;
}
