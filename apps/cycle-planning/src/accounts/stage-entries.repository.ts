import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { AggregateLock, Storage, writeVersioned, type VersionedWrite } from '@lifecycle/storage';
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

/** One stage entry: the account entered `stageId` of `attributeKey` at `at`. */
export interface StageEntry {
  accountId: string;
  attributeKey: string;
  stageId: string;
  at: Date;
}

/** `entries` with `entry` kept if it is the latest of its stage (else the same array). */
function withEntry(entries: StageEntriesDocument['entries'], entry: StageEntry): StageEntriesDocument['entries'] {
  const held = entries.find((e) => e.attributeKey === entry.attributeKey && e.stageId === entry.stageId);
  if (held && held.at.getTime() >= entry.at.getTime()) return entries;
  return [...entries.filter((e) => e !== held), { attributeKey: entry.attributeKey, stageId: entry.stageId, at: entry.at }];
}

@Injectable()
export class StageEntriesRepository {
  private readonly collection: Collection<StageEntriesDocument>;

  constructor(
    private readonly storage: Storage,
    private readonly lock: AggregateLock,
  ) {
    this.collection = storage.collection<StageEntriesDocument>(STAGE_ENTRIES_COLLECTION);
  }

  /**
   * Keeps each entry that is the latest of its stage (entries of many accounts, each account's in
   * order): per attempt one read of the documents and one versioned bulk write; documents a rival
   * wrote meanwhile are redone from a fresh read.
   */
  async recordMany(entries: readonly StageEntry[]): Promise<void> {
    const byAccount = new Map<string, StageEntry[]>();
    for (const entry of entries) {
      const list = byAccount.get(entry.accountId);
      if (list === undefined) byAccount.set(entry.accountId, [entry]);
      else list.push(entry);
    }
    let pending = [...byAccount.keys()];
    if (pending.length === 0) return;
    await this.lock.runAll(
      pending.map((id) => `stage-entries:${id}`),
      async () => {
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          const docs = new Map((await this.storage.findByIds(this.collection, pending)).map((doc) => [doc._id, doc]));
          const writes: VersionedWrite[] = [];
          for (const id of pending) {
            const doc = docs.get(id);
            const held = doc?.entries ?? [];
            // The same array back: nothing newer (a first document always gets its entries).
            const kept = byAccount.get(id)!.reduce(withEntry, held);
            if (kept === held) continue;
            writes.push(
              doc === undefined
                ? { id, expected: undefined, insert: { entries: kept } }
                : { id, expected: doc.version, update: { $set: { entries: kept } } },
            );
          }
          const written = await writeVersioned(this.storage, this.collection, 'version', writes);
          pending = writes.filter((w) => !written.has(w.id)).map((w) => w.id);
          if (pending.length === 0) return;
        }
        throw new Error(`stage entries of ${pending.length} account(s) kept changing`); // retried by the consumer
      },
    );
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
