import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, Matches, MaxLength } from 'class-validator';
import { COLOR_PATTERN } from '@lifecycle/contracts';
import { LIMITS } from '../../domain/attribute';
import { PresentIfGiven } from './present-if-given.decorator';
import { COLOR_MESSAGE, NOT_BLANK } from './stage-input.dto';

/** PATCH /v1/attributes/{key}/stages/{stageId}: absent fields stay as they are. */
export class UpdateStageDto {
  @ApiPropertyOptional({ example: 'Kick-off', maxLength: LIMITS.stageNameLength })
  @PresentIfGiven()
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be empty' })
  @MaxLength(LIMITS.stageNameLength)
  name?: string;

  @ApiPropertyOptional({ example: '#FB8C00', pattern: '^#[0-9A-Fa-f]{6}$' })
  @PresentIfGiven()
  @IsString()
  @Matches(COLOR_PATTERN, { message: COLOR_MESSAGE })
  color?: string;

  @ApiPropertyOptional({ example: true, description: 'Allowed in any state (A4, A5).' })
  @PresentIfGiven()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ example: false, description: 'May change only while the attribute is a draft (409 once active).' })
  @PresentIfGiven()
  @IsBoolean()
  endStage?: boolean;
}
