import { Module } from '@nestjs/common';
import { CalendarReplicaHandler } from '@lifecycle/messaging';
import { RepositoriesModule } from '../storage/repositories.module';
import { TemplatesModule } from '../templates/templates.module';
import { AccountCyclesController } from './account-cycles.controller';
import { AccountCyclesService } from './account-cycles.service';
import { AccountCyclesWriter } from './account-cycles.writer';
import { AccountSyncService } from './account-sync.service';
import { CrmAccountHandler } from './crm-account.handler';
import { StageEntriesHandler } from './stage-entries.handler';
import { StageEntrySyncService } from './stage-entry-sync.service';
import { CycleCompletionService } from './cycle-completion.service';

@Module({
  imports: [RepositoriesModule, TemplatesModule],
  // CalendarReplicaHandler (B1): the calendars business-day due dates count on.
  controllers: [AccountCyclesController, CrmAccountHandler, StageEntriesHandler, CalendarReplicaHandler],
  providers: [AccountCyclesWriter, CycleCompletionService, AccountCyclesService, AccountSyncService, StageEntrySyncService],
  exports: [AccountCyclesWriter, CycleCompletionService, AccountCyclesService],
})
export class CyclesModule {}
