import { Injectable } from '@nestjs/common';
import { AggregateLock } from '@lifecycle/messaging';

/**
 * Serializes the writes of one account document within this process: cycle changes, jobs' batch
 * writes (`runAll`) and the outbox relay's removal of published events. The versioned update is
 * the real guard between processes on MongoDB, but FerretDB v1 (SQLite) runs an update as
 * read-modify-write in separate transactions, so two concurrent updates of one document can lose
 * one of them (a `$pullAll` of published events racing a write that pushes new ones would drop
 * the new events, or publish the old ones twice); queuing them here prevents that within a
 * process and spares the retries.
 */
@Injectable()
export class AccountWriteLock extends AggregateLock {}
