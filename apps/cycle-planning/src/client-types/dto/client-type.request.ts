import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PresentIfGiven } from '@lifecycle/http';
import { ID_MESSAGE, ID_PATTERN } from '../../templates/dto/template.request';

/** The CRM's `clientType` values are 1-100 characters. */
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._:@-]{0,99}$/;
const KEY_MESSAGE = '$property must be the client type as the CRM sends it (1-100 letters, digits, spaces, . _ : @ -)';

export class ClientTypeBody {
  @ApiProperty({ example: 'Enterprise' })
  @IsString()
  @Matches(/\S/, { message: '$property must not be empty' })
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: ['enterprise-onboarding', 'renewal'], description: 'Templates available to accounts of this type (C7).' })
  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(ID_PATTERN, { each: true, message: ID_MESSAGE })
  templateIds?: string[];

  @ApiPropertyOptional({ example: 'enterprise-onboarding', nullable: true, description: 'A new account of this type starts it (C3).' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  defaultTemplateId?: string | null;
}

export class CreateClientTypeBody extends ClientTypeBody {
  @ApiProperty({ example: 'enterprise', description: 'The `clientType` the CRM sends.' })
  @Matches(KEY_PATTERN, { message: KEY_MESSAGE })
  key!: string;
}

export class ClientTypeParams {
  @Matches(KEY_PATTERN, { message: KEY_MESSAGE })
  key!: string;
}
