import { Type } from 'class-transformer';
import { IsBoolean, IsISO8601, IsOptional, IsString, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
export const ACCOUNT_ID_MESSAGE = 'accountId must be 1-128 characters of letters, digits and . _ : @ - (starting with a letter or digit)';

export class SubscriptionDto {
  @IsBoolean()
  active!: boolean;

  @ValidateIf((_o, v) => v !== null)
  @IsISO8601({ strict: true }, { message: 'subscription.renewalDate must be an ISO-8601 date or null' })
  renewalDate!: string | null;
}

/** `crm.account.upserted` */
export class CrmAccountUpserted {
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  clientType?: string | null;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  ownerId?: string | null;

  @IsOptional()
  @IsBoolean()
  canceled?: boolean;

  /** B1: the business calendar the account's business days are counted on; absent or null = the default calendar. */
  @IsOptional()
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'calendarKey must be a calendar key (lowercase letters, digits, dashes)' })
  @Length(1, 64)
  calendarKey?: string | null;

  /** When the account was created in the CRM; a new account's default cycle starts then (C3). */
  @IsOptional()
  @IsISO8601({ strict: true })
  createdAt?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => SubscriptionDto)
  subscription?: SubscriptionDto | null;
}

/** `crm.account.canceled` */
export class CrmAccountCanceled {
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;
}

/** `crm.account.status.set`: event time = the envelope's occurredAt. */
export class CrmAccountStatusSet {
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;

  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'attributeKey must be a slug (lowercase letters, digits, dashes)' })
  @Length(1, 64)
  attributeKey!: string;

  /** A stage name or id; null clears the value (L7). */
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'stage must be a stage name or id (string) or null' })
  @Length(1, 100)
  stage!: string | null;
}
