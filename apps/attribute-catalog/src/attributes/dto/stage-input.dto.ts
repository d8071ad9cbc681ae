import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, Matches, MaxLength } from 'class-validator';
import { COLOR_PATTERN } from '@lifecycle/contracts';
import { LIMITS } from '../../domain/attribute';
import { PresentIfGiven } from './present-if-given.decorator';

export const NOT_BLANK = /\S/;
export const COLOR_MESSAGE = '$property must be a colour #RRGGBB, e.g. #1E88E5';

/** A new stage (on create, or appended with POST /v1/attributes/{key}/stages). Its id is generated. */
export class StageInputDto {
  @ApiProperty({ example: 'Kickoff', maxLength: LIMITS.stageNameLength, description: 'Unique within the attribute, ignoring case.' })
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be empty' })
  @MaxLength(LIMITS.stageNameLength)
  name!: string;

  @ApiProperty({ example: '#1E88E5', pattern: '^#[0-9A-Fa-f]{6}$' })
  @IsString()
  @Matches(COLOR_PATTERN, { message: COLOR_MESSAGE })
  color!: string;

  @ApiPropertyOptional({ example: false, default: false, description: 'Reaching an end stage completes the cycle (L5).' })
  @PresentIfGiven()
  @IsBoolean()
  endStage?: boolean;

  @ApiPropertyOptional({ example: false, default: false, description: 'A disabled stage cannot be set on new accounts (A5).' })
  @PresentIfGiven()
  @IsBoolean()
  disabled?: boolean;
}
