import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LIMITS } from '../../domain/attribute';
import { PresentIfGiven } from './present-if-given.decorator';
import { NOT_BLANK } from './stage-input.dto';

/** PATCH /v1/attributes/{key}: absent fields stay as they are. The key and the state cannot be patched. */
export class UpdateAttributeDto {
  @ApiPropertyOptional({ example: 'Onboarding Status', maxLength: LIMITS.nameLength })
  @PresentIfGiven()
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be empty' })
  @MaxLength(LIMITS.nameLength)
  name?: string;

  @ApiPropertyOptional({ example: 'Tracks onboarding from kickoff to go-live', maxLength: LIMITS.descriptionLength })
  @PresentIfGiven()
  @IsString()
  @MaxLength(LIMITS.descriptionLength)
  description?: string;

  @ApiPropertyOptional({ example: 'Onboarding', nullable: true, maxLength: LIMITS.flowLength, description: '`null` unlinks the flow.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.flowLength)
  flow?: string | null;
}
