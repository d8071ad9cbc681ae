import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString } from 'class-validator';
import { LIMITS } from '../../domain/attribute';

/** PUT /v1/attributes/{key}/stage-order: every stage id exactly once, in the new order. */
export class StageOrderDto {
  @ApiProperty({ type: [String], example: ['0b6c…-kickoff-id', '5d1e…-configuration-id', '9f3a…-go-live-id'] })
  @IsArray()
  @ArrayMaxSize(LIMITS.stages)
  @IsString({ each: true })
  stageIds!: string[];
}
