import { Module } from '@nestjs/common';
import { OutboxModule } from '@lifecycle/storage';
import { CalendarReplica } from '@lifecycle/messaging';
import { AccountRepository } from '../accounts/account.repository';
import { StageEntriesRepository } from '../accounts/stage-entries.repository';
import { ClientTypeRepository } from '../client-types/client-type.repository';
import { AccountCyclesRepository } from '../cycles/account-cycles.repository';
import { ACCOUNT_CYCLES_COLLECTION } from '../cycles/account-cycles.schema';
import { PlayFiringRepository } from '../plays/play-firing.repository';
import { PlayRepository } from '../plays/play.repository';
import { SavedSegmentRepository } from '../segments/saved-segment.repository';
import { SegmentMembershipRepository } from '../segments/segment-membership.repository';
import { CycleTemplateRepository } from '../templates/cycle-template.repository';
import { SettingsRepository } from '../templates/settings.repository';

const REPOSITORIES = [
  CycleTemplateRepository,
  SettingsRepository,
  ClientTypeRepository,
  AccountRepository,
  SegmentMembershipRepository,
  AccountCyclesRepository,
  StageEntriesRepository,
  CalendarReplica,
  PlayRepository,
  PlayFiringRepository,
  SavedSegmentRepository,
];

/**
 * The repositories of the service database (each lives beside its feature) and the outbox of
 * `account_cycles`, provided once so the feature modules depend on storage, not on each other.
 */
@Module({
  // The events cycle writes leave in `account_cycles.outbox`; what a crash left is swept every 10 minutes.
  imports: [OutboxModule.forCollection({ collection: ACCOUNT_CYCLES_COLLECTION, sweepEveryMs: 10 * 60_000 })],
  providers: REPOSITORIES,
  exports: [...REPOSITORIES, OutboxModule],
})
export class RepositoriesModule {}
