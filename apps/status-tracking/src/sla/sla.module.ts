import { Module, type OnModuleInit } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { CalendarReplica } from '@lifecycle/messaging';
import { AggregateLock, OUTBOX_SINK, Storage, type EnvelopeSink } from '@lifecycle/storage';
import { AccountChanges } from '../accounts/account-changes';
import { AccountsModule } from '../accounts/accounts.module';
import { AttributeReplicaModule } from '../attribute-replica/attribute-replica.module';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { CalendarReplicaModule } from '../calendar-replica/calendar-replica.module';
import { SlaCheckJob } from '../jobs/tracking-jobs';
import { StatusesModule } from '../statuses/statuses.module';
import { SlaOutbox } from './sla-outbox';
import { SlaProcessor } from './sla.processor';
import { SlaSweepRunner } from './sla-sweep.runner';
import { SlaTimersQueue } from './sla-timers.queue';
import { SlaTrackerService } from './sla-tracker.service';
import { SlaTriggersHandler } from './sla-triggers.handler';
import { SLA_WATCH_COLLECTION } from './sla-watch.schema';
import { SlaWatchRepository } from './sla-watch.repository';

/**
 * B3/B4: stage SLA tracking, beside the command path. Its triggers: this service's own
 * `lifecycle.status` (status changes and refolds) and `lifecycle.ticks` (the daily sweep), account
 * fact changes (`AccountChanges`), attribute and calendar changes (the replicas' listeners), and
 * its own timers at crossing instants (`tracking-sla`). It reads states, never writes them.
 */
@Module({
  imports: [
    StatusesModule,
    AccountsModule,
    AttributeReplicaModule,
    CalendarReplicaModule,
    BullModule.registerQueue({ name: SlaCheckJob.queue }),
  ],
  controllers: [SlaTriggersHandler],
  providers: [
    SlaWatchRepository,
    SlaTimersQueue,
    SlaTrackerService,
    SlaSweepRunner,
    SlaProcessor,
    {
      // What a crash left in `sla_watches.outbox` is swept every 10 minutes, like the states'.
      provide: SlaOutbox,
      inject: [Storage, OUTBOX_SINK, AggregateLock],
      useFactory: (storage: Storage, sink: EnvelopeSink, lock: AggregateLock) =>
        new SlaOutbox(storage.collection(SLA_WATCH_COLLECTION), sink, lock, { sweepEveryMs: 10 * 60_000 }),
    },
  ],
  exports: [SlaTrackerService],
})
export class SlaModule implements OnModuleInit {
  constructor(
    private readonly tracker: SlaTrackerService,
    private readonly timers: SlaTimersQueue,
    private readonly accountChanges: AccountChanges,
    private readonly attributes: AttributeReplicaRepository,
    private readonly calendars: CalendarReplica,
  ) {}

  onModuleInit(): void {
    // Cancellation and calendar are the account's facts that change its SLA status (B1, B3).
    this.accountChanges.subscribe((accountId) => this.tracker.lookAtAccount(accountId));
    // A changed SLA or calendar changes the status of every pair it applies to: sweep (by version, once each).
    this.attributes.onChange(async (key) => {
      const replicated = (await this.attributes.list()).find((a) => a.key === key);
      if (replicated?.stages.some((s) => s.sla)) await this.timers.sweep(`attribute-${key}-v${replicated.version}`, { attributeKey: key });
    });
    this.calendars.onChange(async (key) => {
      const resolved = await this.calendars.resolve(key);
      await this.timers.sweep(`calendar-${key}-v${resolved.version}`);
    });
  }
}
