import { Module } from '@nestjs/common';
import { AccountFactsHandler } from './account-facts.handler';
import { AccountFactsRepository } from './account-facts.repository';

@Module({
  controllers: [AccountFactsHandler],
  providers: [AccountFactsRepository],
  exports: [AccountFactsRepository],
})
export class AccountsModule {}
