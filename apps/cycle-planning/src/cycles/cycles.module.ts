import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { TemplatesModule } from '../templates/templates.module';
import { AccountCyclesController } from './account-cycles.controller';
import { AccountCyclesService } from './account-cycles.service';
import { AccountCyclesWriter } from './account-cycles.writer';
import { AccountSyncService } from './account-sync.service';
import { AccountWriteLock } from './account-write-lock';
import { CrmAccountHandler } from './crm-account.handler';
import { CycleCompletionService } from './cycle-completion.service';
import { CycleOutbox } from './cycle-outbox';

@Module({
  imports: [StorageModule, TemplatesModule],
  controllers: [AccountCyclesController, CrmAccountHandler],
  providers: [AccountWriteLock, CycleOutbox, AccountCyclesWriter, CycleCompletionService, AccountCyclesService, AccountSyncService],
  exports: [AccountCyclesWriter, CycleCompletionService, CycleOutbox],
})
export class CyclesModule {}
