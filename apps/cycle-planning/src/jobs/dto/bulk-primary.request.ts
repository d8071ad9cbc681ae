import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';
import { PresentIfGiven } from '@lifecycle/http';
import { ACCOUNT_ID_MESSAGE, ACCOUNT_ID_PATTERN } from '@lifecycle/contracts';
import { ID_MESSAGE, ID_PATTERN } from '../../templates/dto/template.request';

export const MAX_BULK_ACCOUNTS = 10_000;

export class BulkPrimaryBody {
  @ApiProperty({ example: 'enterprise-onboarding' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  templateId!: string;

  @ApiPropertyOptional({ example: ['acme', 'globex'], maxItems: MAX_BULK_ACCOUNTS })
  @PresentIfGiven()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ACCOUNTS)
  @Matches(ACCOUNT_ID_PATTERN, { each: true, message: ACCOUNT_ID_MESSAGE })
  accountIds?: string[];

  @ApiPropertyOptional({ example: 'stuck-in-kickoff', description: 'Every current member of this saved segment.' })
  @PresentIfGiven()
  @IsString()
  @Matches(/\S/, { message: '$property must not be empty' })
  @MaxLength(200)
  segmentId?: string;
}
