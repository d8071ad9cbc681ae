import { Module } from '@nestjs/common';
import { OutboxModule } from '@lifecycle/storage';
import { AccountsModule } from '../accounts/accounts.module';
import { AttributeReplicaModule } from '../attribute-replica/attribute-replica.module';
import { CalendarReplicaModule } from '../calendar-replica/calendar-replica.module';
import { AccountViewController } from './account-view.controller';
import { AccountViewService } from './account-view.service';
import { CrmStatusHandler } from './crm-status.handler';
import { LifecycleStateRepository } from './lifecycle-state.repository';
import { LIFECYCLE_STATE_COLLECTION } from './lifecycle-state.schema';
import { SetStatusUseCase } from './set-status.use-case';
import { NoopKeysRepository } from './noop-keys.repository';
import { StoredFormatMigration } from './stored-format.migration';
import { StatusCommandQueue } from './status-command.queue';
import { StatusesController } from './statuses.controller';

/**
 * How long published events stay in a pair's document: a pair written again within it (under load
 * most are) drops them in that write, so their removal costs the server no rewrite of its own.
 */
const REMOVAL_DELAY_MS = 500;

@Module({
  imports: [
    AttributeReplicaModule,
    AccountsModule,
    CalendarReplicaModule,
    // The events state writes leave in `lifecycle_states.outbox`; what a crash left is swept every 10 minutes.
    OutboxModule.forCollection({ collection: LIFECYCLE_STATE_COLLECTION, sweepEveryMs: 10 * 60_000, removalDelayMs: REMOVAL_DELAY_MS }),
  ],
  controllers: [StatusesController, AccountViewController, CrmStatusHandler],
  providers: [
    StoredFormatMigration,
    NoopKeysRepository,
    LifecycleStateRepository,
    SetStatusUseCase,
    StatusCommandQueue,
    AccountViewService,
  ],
  exports: [SetStatusUseCase, NoopKeysRepository, LifecycleStateRepository, AccountViewService],
})
export class StatusesModule {}
