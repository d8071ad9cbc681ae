import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AttributeReplicaModule } from '../attribute-replica/attribute-replica.module';
import { AccountViewController } from './account-view.controller';
import { AccountViewService } from './account-view.service';
import { CrmStatusHandler } from './crm-status.handler';
import { LifecycleStateLocks } from './lifecycle-state-locks';
import { LifecycleStateRepository } from './lifecycle-state.repository';
import { SetStatusUseCase } from './set-status.use-case';
import { StatusHistoryRepository } from './status-history.repository';
import { StatusOutbox } from './status-outbox';
import { StatusesController } from './statuses.controller';

@Module({
  imports: [AttributeReplicaModule, AccountsModule],
  controllers: [StatusesController, AccountViewController, CrmStatusHandler],
  providers: [StatusHistoryRepository, LifecycleStateRepository, LifecycleStateLocks, StatusOutbox, SetStatusUseCase, AccountViewService],
  exports: [SetStatusUseCase, StatusHistoryRepository, LifecycleStateRepository],
})
export class StatusesModule {}
