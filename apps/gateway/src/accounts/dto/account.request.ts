import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ACCOUNT_ID_MESSAGE, ACCOUNT_ID_PATTERN } from '@lifecycle/contracts';

export class AccountOverviewParams {
  @ApiProperty({ example: 'acme' })
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;
}
