import { Injectable } from '@nestjs/common';
import { AggregateLock } from '@lifecycle/messaging';

/**
 * Every write to one `lifecycle_states` document in this process goes through here, one at a
 * time: the command path (read, decide, append, fold, write) and the outbox relay's removal of
 * published events. The version condition alone is not enough on FerretDB v1.24: checked against
 * the real server here, concurrent updates of one document lose writes (400 concurrent `$inc`
 * left 160; two version-guarded updates from the same version both report a match).
 */
@Injectable()
export class LifecycleStateLocks extends AggregateLock {}
