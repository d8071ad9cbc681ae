import { Module } from '@nestjs/common';
import { RepositoriesModule } from '../storage/repositories.module';
import { TemplatesModule } from '../templates/templates.module';
import { AccountCyclesController } from './account-cycles.controller';
import { AccountCyclesService } from './account-cycles.service';
import { AccountCyclesWriter } from './account-cycles.writer';
import { AccountSyncService } from './account-sync.service';
import { CrmAccountHandler } from './crm-account.handler';
import { CycleCompletion } from './cycle-completion';

@Module({
  imports: [RepositoriesModule, TemplatesModule],
  controllers: [AccountCyclesController, CrmAccountHandler],
  providers: [AccountCyclesWriter, CycleCompletion, AccountCyclesService, AccountSyncService],
  exports: [AccountCyclesWriter, CycleCompletion],
})
export class CyclesModule {}
