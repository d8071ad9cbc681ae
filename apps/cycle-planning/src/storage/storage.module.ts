import { Module } from '@nestjs/common';
import { AccountRepository } from '../accounts/account.repository';
import { ClientTypeRepository } from '../client-types/client-type.repository';
import { AccountCyclesRepository } from '../cycles/account-cycles.repository';
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
];

/**
 * The repositories of the service database (each lives beside its feature), provided once so
 * the feature modules depend on storage, not on each other.
 */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class StorageModule {}
