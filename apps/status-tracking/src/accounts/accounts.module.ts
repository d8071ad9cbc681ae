import { Module } from '@nestjs/common';
import { AccountChanges } from './account-changes';
import { AccountFactsHandler } from './account-facts.handler';
import { AccountFactsRepository } from './account-facts.repository';

@Module({
  controllers: [AccountFactsHandler],
  providers: [AccountFactsRepository, AccountChanges],
  exports: [AccountFactsRepository, AccountChanges],
})
export class AccountsModule {}
