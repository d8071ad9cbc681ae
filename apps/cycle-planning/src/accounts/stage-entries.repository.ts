import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { AggregateLock, insertUnique, Storage } from '@lifecycle/storage';
import { stageEntryKey } from '../domain';

/**
 * `stage_entries`: per account, the latest time it entered each lifecycle stage (B6: due dates
 * that count from a stage entry), from status tracking's `status.changed`. One document per
 * account (`_id` = account id), the entry of a stage kept only if later than the one held, so
 * redeliveries and out-of-order events change nothing.
 */
export const STAGE_ENTRIES_COLLECTION = 'stage_entries';

interface StageEntriesDocument {
  _id: string;
  version: number;
  entries: { attributeKey: string; stageId: string; at: Date }[];
}

const MAX_ATTEMPTS = 8;

@Injectable()
export class StageEntriesRepository {
  private readonly collection: Collection<StageEntriesDocument>;

  constructor(
    private readonly storage: Storage,
    private readonly lock: AggregateLock,
  ) {
    this.collection = storage.collection<StageEntriesDocument>(STAGE_ENTRIES_COLLECTION);
  }

  /** Keeps the entry if it is the latest of that stage; whether it changed anything. */
  async record(accountId: string, attributeKey: string, stageId: string, at: Date): Promise<boolean> {
    return this.lock.run(`stage-entries:${accountId}`, async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const doc = await this.collection.findOne({ _id: accountId });
        const held = doc?.entries.find((e) => e.attributeKey === attributeKey && e.stageId === stageId);
        if (held && held.at.getTime() >= at.getTime()) return false;
        const entries = [...(doc?.entries ?? []).filter((e) => e !== held), { attributeKey, stageId, at }];
        if (doc === undefined || doc === null) {
          if (await insertUnique(this.collection, { _id: accountId, version: 1, entries })) return true;
          continue;
        }
        const result = await this.collection.updateOne(
          { _id: accountId, version: doc.version },
          { $set: { entries }, $inc: { version: 1 } },
        );
        if (result.matchedCount === 1) return true;
      }
      throw new Error(`stage entries of account ${accountId} kept changing`); // retried by the consumer
    });
  }

  /** The account's latest entry per `stageEntryKey(attribute, stage)`. */
  async get(accountId: string): Promise<Map<string, Date>> {
    return toMap(await this.collection.findOne({ _id: accountId }));
  }

  async getMany(accountIds: readonly string[]): Promise<Map<string, Map<string, Date>>> {
    const docs = await this.storage.findByIds(this.collection, accountIds);
    return new Map(docs.map((doc) => [doc._id, toMap(doc)]));
  }
}

function toMap(doc: StageEntriesDocument | null): Map<string, Date> {
  return new Map((doc?.entries ?? []).map((e) => [stageEntryKey(e.attributeKey, e.stageId), e.at]));
}
