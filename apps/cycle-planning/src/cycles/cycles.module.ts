import { Module } from '@nestjs/common';
import { RepositoriesModule } from '../storage/repositories.module';
import { TemplatesModule } from '../templates/templates.module';
import { AccountCyclesController } from './account-cycles.controller';
import { AccountCyclesService } from './account-cycles.service';
import { AccountCyclesWriter } from './account-cycles.writer';
import { AccountSyncService } from './account-sync.service';
import { CrmAccountHandler } from './crm-account.handler';
import { CycleCompletionService } from './cycle-completion.service';

@Module({
  imports: [RepositoriesModule, TemplatesModule],
  controllers: [AccountCyclesController, CrmAccountHandler],
  providers: [AccountCyclesWriter, CycleCompletionService, AccountCyclesService, AccountSyncService],
  exports: [AccountCyclesWriter, CycleCompletionService],
})
export class CyclesModule {}
