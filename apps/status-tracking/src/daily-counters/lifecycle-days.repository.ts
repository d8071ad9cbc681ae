import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { lifecycleStateId } from '../statuses/lifecycle-state.schema';
import { chunkedBulkWrite } from '../storage/mongo-bulk';
import { ensureIndexes } from '@lifecycle/http';
import {
  LIFECYCLE_DAYS_COLLECTION,
  LIFECYCLE_DAYS_INDEXES,
  type LifecycleDaysDocument,
  type MaterializedDays,
} from './lifecycle-days.schema';

@Injectable()
export class LifecycleDaysRepository implements OnModuleInit {
  private readonly collection: Collection<LifecycleDaysDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.collection = connection.collection<LifecycleDaysDocument>(LIFECYCLE_DAYS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.collection, LIFECYCLE_DAYS_INDEXES);
  }

  /** Replaces the figures of many states at once (bulk writes of plain documents, no hydration). */
  async saveMany(rows: readonly { accountId: string; attributeKey: string; days: MaterializedDays }[]): Promise<void> {
    const operations: AnyBulkWriteOperation<LifecycleDaysDocument>[] = rows.map((row) => {
      const _id = lifecycleStateId(row.accountId, row.attributeKey);
      return {
        replaceOne: {
          filter: { _id },
          replacement: { ...row.days, accountId: row.accountId, attributeKey: row.attributeKey },
          upsert: true,
        },
      };
    });
    await chunkedBulkWrite(this.collection, operations);
  }

  async get(accountId: string, attributeKey: string): Promise<MaterializedDays | undefined> {
    const doc = await this.collection.findOne({ _id: lifecycleStateId(accountId, attributeKey) });
    if (!doc) return undefined;
    const { _id, accountId: _accountId, attributeKey: _attributeKey, ...days } = doc;
    return days;
  }
}
