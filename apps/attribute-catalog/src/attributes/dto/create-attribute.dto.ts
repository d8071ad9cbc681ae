import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ATTRIBUTE_KEY_PATTERN } from '@lifecycle/contracts';
import { LIMITS } from '../../domain/attribute';
import { PresentIfGiven } from './present-if-given.decorator';
import { NOT_BLANK, StageInputDto } from './stage-input.dto';

export class CreateAttributeDto {
  @ApiProperty({
    example: 'onboarding-status',
    pattern: ATTRIBUTE_KEY_PATTERN.source,
    maxLength: LIMITS.keyLength,
    description: 'Slug; unique and immutable (A1).',
  })
  @IsString()
  @Length(1, LIMITS.keyLength)
  @Matches(ATTRIBUTE_KEY_PATTERN, {
    message: '$property must be a lowercase slug (letters, digits, single dashes), e.g. onboarding-status',
  })
  key!: string;

  @ApiProperty({ example: 'Onboarding Status', maxLength: LIMITS.nameLength })
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be empty' })
  @MaxLength(LIMITS.nameLength)
  name!: string;

  @ApiPropertyOptional({ example: 'Tracks onboarding from kickoff to go-live', maxLength: LIMITS.descriptionLength })
  @PresentIfGiven()
  @IsString()
  @MaxLength(LIMITS.descriptionLength)
  description?: string;

  @ApiPropertyOptional({
    example: 'Onboarding',
    maxLength: LIMITS.flowLength,
    description: 'Free text: Onboarding, Escalation, Adoption, Renewal, Upsell …',
  })
  @PresentIfGiven()
  @IsString()
  @MaxLength(LIMITS.flowLength)
  flow?: string;

  @ApiPropertyOptional({
    type: [StageInputDto],
    description: 'Initial stages, in order.',
    example: [
      { name: 'Kickoff', color: '#1E88E5' },
      { name: 'Configuration', color: '#43A047' },
      { name: 'Go Live', color: '#8E24AA', endStage: true },
    ],
  })
  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(LIMITS.stages)
  @ValidateNested({ each: true })
  @Type(() => StageInputDto)
  stages?: StageInputDto[];
}
