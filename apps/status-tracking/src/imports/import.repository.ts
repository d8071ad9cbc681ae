import { Injectable } from '@nestjs/common';
import type { Binary, Collection } from 'mongodb';
import type { ImportReportRow, ImportRowStatus } from './import-row';
import {
  IMPORT_REPORT_CHUNKS_COLLECTION,
  IMPORT_UPLOADS_COLLECTION,
  IMPORTS_COLLECTION,
  reportChunkId,
  type ImportCounts,
  type ImportDocument,
  type ImportPhase,
  type ImportReportChunkDocument,
  type ImportUploadDocument,
} from './import.schema';
import { Storage } from '@lifecycle/storage';

@Injectable()
export class ImportRepository {
  private readonly imports: Collection<ImportDocument>;
  private readonly uploads: Collection<ImportUploadDocument>;
  private readonly reportChunks: Collection<ImportReportChunkDocument>;

  constructor(storage: Storage) {
    this.imports = storage.collection<ImportDocument>(IMPORTS_COLLECTION);
    this.uploads = storage.collection<ImportUploadDocument>(IMPORT_UPLOADS_COLLECTION);
    this.reportChunks = storage.collection<ImportReportChunkDocument>(IMPORT_REPORT_CHUNKS_COLLECTION);
  }

  async create(doc: ImportDocument): Promise<void> {
    await this.imports.insertOne(doc);
  }

  async get(importId: string): Promise<ImportDocument | undefined> {
    return (await this.imports.findOne({ _id: importId })) ?? undefined;
  }

  async update(importId: string, fields: Partial<Omit<ImportDocument, '_id'>>): Promise<void> {
    await this.imports.updateOne({ _id: importId }, { $set: { ...fields, updatedAt: new Date() } });
  }

  /**
   * After a chunk: its report first, then the cursor, so a resume never skips an unreported row
   * (a chunk redone after a crash replaces its report document).
   */
  async checkpoint(
    importId: string,
    phase: ImportPhase,
    chunk: number,
    afterRow: number,
    counts: ImportCounts,
    rows: readonly ImportReportRow[],
  ): Promise<void> {
    await this.reportChunks.replaceOne({ _id: reportChunkId(importId, chunk) }, { importId, chunk, rows: [...rows] }, { upsert: true });
    await this.update(importId, { phase, afterRow, chunks: chunk + 1, counts });
  }

  async saveUploadChunk(importId: string, n: number, data: Buffer): Promise<void> {
    await this.uploads.insertOne({ _id: `${importId}:${n}`, importId, n, data });
  }

  /** The upload, chunk by chunk (primary-key lookups: the embedded engine would scan for `importId`). */
  async *readUpload(importId: string): AsyncGenerator<Buffer> {
    for (let n = 0; ; n++) {
      const doc = await this.uploads.findOne({ _id: `${importId}:${n}` });
      if (!doc) return;
      const data = doc.data as Buffer | Binary;
      yield Buffer.isBuffer(data) ? data : Buffer.from(data.buffer);
    }
  }

  async deleteUpload(importId: string): Promise<void> {
    for (let n = 0; ; n++) {
      const { deletedCount } = await this.uploads.deleteOne({ _id: `${importId}:${n}` });
      if (deletedCount === 0) return;
    }
  }

  /** A page of the report of `doc`, optionally rows of one status, read chunk by chunk. */
  async reportPage(
    doc: ImportDocument,
    status: ImportRowStatus | undefined,
    skip: number,
    limit: number,
  ): Promise<{ rows: ImportReportRow[]; total: number }> {
    const rows: ImportReportRow[] = [];
    let matched = 0;
    for (let chunk = 0; chunk < doc.chunks; chunk++) {
      // Without a filter the total is known and chunks past the page need not be read.
      if (status === undefined && matched >= skip + limit) break;
      const stored = await this.reportChunks.findOne({ _id: reportChunkId(doc._id, chunk) });
      for (const row of stored?.rows ?? []) {
        if (status !== undefined && row.status !== status) continue;
        if (matched >= skip && rows.length < limit) rows.push(row);
        matched++;
      }
    }
    return { rows, total: status === undefined ? doc.counts.rows : matched };
  }
}
