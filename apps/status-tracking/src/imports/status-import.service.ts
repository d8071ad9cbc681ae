import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { initialLifecycleState, type LifecycleState } from '@lifecycle/rules';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import type { LifecycleDefinition } from '../domain/lifecycle-definition';
import { attributeUnknown, LifecycleError } from '../domain/lifecycle-errors';
import { decideChange } from '../domain/status-command';
import { importTooLarge, isRefusal, TrackingError } from '../domain/tracking-errors';
import { ShutdownSignal } from '../jobs/shutdown-signal';
import { ImportStatusesJob, JOB_RETENTION, type ImportStatusesJobData } from '../jobs/tracking-jobs';
import { LifecycleStateRepository } from '../statuses/lifecycle-state.repository';
import { lifecycleStateId, noopKeyId } from '../statuses/lifecycle-state.schema';
import { SetStatusCommand } from '../statuses/set-status.command';
import { SetStatusUseCase } from '../statuses/set-status.use-case';
import { NoopKeysRepository } from '../statuses/noop-keys.repository';
import { parseImportRow, reportRow, type ImportReportRow, type ImportRowStatus } from './import-row';
import { ImportRepository } from './import.repository';
import { emptyCounts, type ImportCounts, type ImportDocument, type ImportPhase } from './import.schema';
import { readStatusRows, type CsvStatusRow } from './status-csv.reader';

export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
/**
 * How long a synchronous import runs before the rest goes on as a job and the request answers
 * 202 with it: well inside the gateway's 120 s proxy timeout (a chunk takes seconds at most).
 */
export const SYNC_IMPORT_BUDGET_MS = 60_000;

/** A request-bound import reached its budget at a checkpoint: the rest continues as a job. */
class HandOff extends Error {
  override readonly name = 'HandOff';
}
const UPLOAD_CHUNK_BYTES = 256 * 1024;
/** Rows per chunk: one `executeMany`, one report write and one checkpoint each. */
const ROWS_PER_CHUNK = 500;

export interface ImportOptions {
  dryRun: boolean;
  atomic: boolean;
  async: boolean;
  /** The caller's Idempotency-Key; default: the file's SHA-256. */
  idempotencyKey: string | null;
  actor: string | null;
  requestId: string | null;
}

export interface ImportProgress {
  phase: ImportPhase;
  rowsDone: number;
  totalRows: number | null;
  counts: ImportCounts;
}

/** A chunk of rows on its way through a pass: its (account, attribute) pairs and its report to come. */
interface ChunkRun {
  chunk: CsvStatusRow[];
  pairs: Set<string>;
  report: Promise<ImportReportRow[]>;
}

/** What a dry run or an atomic validation assumes about one (account, attribute) after earlier rows. */
interface Simulated {
  stageId: string | null;
  lastChangedAt: Date | null;
}

interface RunContext {
  doc: ImportDocument;
  definitions: Map<string, LifecycleDefinition | undefined>;
  activeKeys: string[] | null;
  simulated: Map<string, Simulated>;
  onProgress: (progress: ImportProgress) => Promise<void>;
  handOffAt?: number;
}

/**
 * L13: a status CSV, streamed. The upload is stored in chunks (so its hash is known before any
 * row gets its idempotency key, and a second pass or another instance's worker can read it),
 * then processed in passes of bounded chunks:
 * 1. `checking`: CSV syntax and row count — a broken file is refused whole, before any change;
 * 2. `validating` (dry run, atomic): every row through the same decision as every source (L1),
 *    simulating earlier rows of the file, without writing;
 * 3. `applying`: every row through `SetStatusUseCase`, the one command path (L12).
 * The per-row report is stored, not held in memory; the response carries the first rows.
 */
@Injectable()
export class StatusImportService {
  /** See `SYNC_IMPORT_BUDGET_MS`; tests shorten it. */
  syncBudgetMs = SYNC_IMPORT_BUDGET_MS;

  constructor(
    private readonly imports: ImportRepository,
    private readonly setStatus: SetStatusUseCase,
    private readonly noopKeys: NoopKeysRepository,
    private readonly states: LifecycleStateRepository,
    private readonly replica: AttributeReplicaRepository,
    private readonly shutdown: ShutdownSignal,
    @InjectQueue(ImportStatusesJob.queue) private readonly queue: Queue<ImportStatusesJobData>,
  ) {}

  /** Stores the upload and registers the import; runs it now, or queues it (`async`). */
  async receive(body: AsyncIterable<Buffer | string>, options: ImportOptions): Promise<ImportDocument> {
    const importId = randomUUID();
    const { sha256, bytes } = await this.spool(importId, body);
    // An async import answers before the file is read: its header is checked now, so a file that
    // is not a status CSV is refused at once (422) instead of failing in the job later.
    if (options.async) await this.checkHeader(importId);
    const now = new Date();
    const doc: ImportDocument = {
      _id: importId,
      jobId: options.async ? ImportStatusesJob.jobId(importId) : null,
      status: 'queued',
      dryRun: options.dryRun,
      atomic: options.atomic,
      async: options.async,
      fileSha256: sha256,
      bytes,
      keyBase: options.idempotencyKey === null ? sha256 : `key:${options.idempotencyKey}`,
      totalRows: null,
      phase: 'checking',
      afterRow: 0,
      chunks: 0,
      counts: emptyCounts(),
      rejected: false,
      error: null,
      actor: options.actor,
      requestId: options.requestId,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      updatedAt: now,
    };
    await this.imports.create(doc);
    if (!options.async) {
      try {
        return await this.run(importId, undefined, { handOffAt: Date.now() + this.syncBudgetMs });
      } catch (e) {
        if (!(e instanceof HandOff)) throw e;
        // Still running when the answer is due: the rest goes on as a job, from the last checkpoint.
        await this.imports.update(importId, { async: true, jobId: ImportStatusesJob.jobId(importId), status: 'queued' });
        await this.enqueue(importId);
        return (await this.imports.get(importId))!;
      }
    }
    await this.enqueue(importId);
    return doc;
  }

  private async enqueue(importId: string): Promise<void> {
    await this.queue.add(
      ImportStatusesJob.name,
      { importId },
      {
        jobId: ImportStatusesJob.jobId(importId),
        attempts: 3,
        backoff: { type: 'exponential', delay: 1_000 },
        ...JOB_RETENTION,
      },
    );
  }

  async get(importId: string): Promise<ImportDocument | undefined> {
    return this.imports.get(importId);
  }

  reportPage(doc: ImportDocument, status: ImportRowStatus | undefined, skip: number, limit: number) {
    return this.imports.reportPage(doc, status, skip, limit);
  }

  /**
   * Runs (or resumes, after a crash or a failed attempt) an import from its stored phase and
   * cursor. A file that is not readable CSV ends the import as failed and rethrows.
   */
  async run(
    importId: string,
    onProgress: (progress: ImportProgress) => Promise<void> = async () => undefined,
    /** A request-bound run stops at the first checkpoint after this instant (`HandOff`). */
    limits: { handOffAt?: number } = {},
  ): Promise<ImportDocument> {
    let doc = await this.imports.get(importId);
    if (!doc) throw new Error(`import ${importId} is not registered`);
    if (doc.status === 'completed' || doc.status === 'failed') return doc;
    await this.imports.update(importId, { status: 'running', startedAt: doc.startedAt ?? new Date() });

    const ctx: RunContext = {
      doc,
      definitions: new Map(),
      activeKeys: null,
      simulated: new Map(),
      onProgress,
      handOffAt: limits.handOffAt,
    };
    try {
      if (doc.phase === 'checking') {
        const totalRows = await this.check(importId);
        const phase: ImportPhase = doc.dryRun || doc.atomic ? 'validating' : 'applying';
        await this.imports.update(importId, { totalRows, phase, afterRow: 0, chunks: 0, counts: emptyCounts() });
        doc = (await this.imports.get(importId))!;
        ctx.doc = doc;
      }
      if (doc.phase === 'validating') {
        const counts = await this.pass(ctx, 'validating');
        if (doc.dryRun || counts.invalid > 0) {
          // Dry run, or atomic with refused rows: the validation report is the result (L13).
          return await this.finish(importId, { rejected: !doc.dryRun && counts.invalid > 0 });
        }
        await this.imports.update(importId, { phase: 'applying', afterRow: 0, chunks: 0, counts: emptyCounts() });
        ctx.doc = doc = (await this.imports.get(importId))!;
      }
      if (doc.phase === 'applying') await this.pass(ctx, 'applying');
      return await this.finish(importId, { rejected: false });
    } catch (e) {
      if (e instanceof TrackingError && e.permanent) {
        await this.imports.update(importId, { status: 'failed', error: e.message, finishedAt: new Date() });
        await this.imports.deleteUpload(importId);
      }
      throw e;
    }
  }

  private async finish(importId: string, outcome: { rejected: boolean }): Promise<ImportDocument> {
    await this.imports.update(importId, { status: 'completed', phase: 'done', rejected: outcome.rejected, finishedAt: new Date() });
    await this.imports.deleteUpload(importId);
    return (await this.imports.get(importId))!;
  }

  private async spool(importId: string, body: AsyncIterable<Buffer | string>): Promise<{ sha256: string; bytes: number }> {
    const hash = createHash('sha256');
    let bytes = 0;
    let n = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await this.imports.saveUploadChunk(importId, n++, Buffer.concat(pending, pendingBytes));
      pending = [];
      pendingBytes = 0;
    };
    try {
      for await (const part of body) {
        const buffer = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
        bytes += buffer.length;
        if (bytes > MAX_IMPORT_BYTES) throw importTooLarge(MAX_IMPORT_BYTES);
        hash.update(buffer);
        for (let offset = 0; offset < buffer.length;) {
          const take = Math.min(UPLOAD_CHUNK_BYTES - pendingBytes, buffer.length - offset);
          pending.push(buffer.subarray(offset, offset + take));
          pendingBytes += take;
          offset += take;
          if (pendingBytes === UPLOAD_CHUNK_BYTES) await flush();
        }
      }
      await flush();
    } catch (e) {
      await this.imports.deleteUpload(importId);
      throw e;
    }
    return { sha256: hash.digest('hex'), bytes };
  }

  private async checkHeader(importId: string): Promise<void> {
    try {
      // The header is read (and checked) with the first data row; one row is enough.
      for await (const row of readStatusRows(this.imports.readUpload(importId))) {
        void row;
        break;
      }
    } catch (e) {
      await this.imports.deleteUpload(importId);
      throw e;
    }
  }

  /** Pass 1: the whole file parses; returns the number of data rows. */
  private async check(importId: string): Promise<number> {
    let rows = 0;
    for await (const row of readStatusRows(this.imports.readUpload(importId))) {
      void row;
      rows++;
    }
    return rows;
  }

  /**
   * One phase over the file, chunk by chunk, each followed by its checkpoint in file order. While
   * applying, the next chunk starts beside the one in flight when no (account, attribute) is in
   * both (rows of one pair apply in file order); the server then works on one chunk's writes while
   * the other's reads and checkpoint go on.
   */
  private async pass(ctx: RunContext, phase: 'validating' | 'applying'): Promise<ImportCounts> {
    const { doc } = ctx;
    const counts = { ...doc.counts };
    // A resumed phase goes on after its last stored chunk (afterRow > 0); a new one starts at 0.
    let chunkIndex = doc.afterRow > 0 ? doc.chunks : 0;
    let inFlight: ChunkRun | null = null;
    const settle = async (run: ChunkRun): Promise<void> => {
      const report = await run.report;
      for (const row of report) {
        counts.rows++;
        counts[row.status]++;
      }
      const afterRow = run.chunk[run.chunk.length - 1]!.row;
      await this.imports.checkpoint(doc._id, phase, chunkIndex++, afterRow, counts, report);
      await ctx.onProgress({ phase, rowsDone: counts.rows, totalRows: doc.totalRows, counts: { ...counts } });
    };
    /** Settles the chunk in flight, if any, and puts `next` in its place. */
    const settleInFlight = async (next: ChunkRun | null = null): Promise<void> => {
      const previous = inFlight;
      inFlight = next;
      if (previous) await settle(previous);
    };
    try {
      for await (const chunk of chunksAfter(readStatusRows(this.imports.readUpload(doc._id)), doc.afterRow, ROWS_PER_CHUNK)) {
        // Async imports stop at a checkpoint on shutdown and resume elsewhere; a request-bound one finishes.
        if (doc.async) this.shutdown.throwIfStopping();
        const pairs = new Set(chunk.map((row) => lifecycleStateId(row.accountId, row.attributeKey)));
        if (inFlight && (phase === 'validating' || [...pairs].some((pair) => inFlight!.pairs.has(pair)))) await settleInFlight();
        const started: ChunkRun = {
          chunk,
          pairs,
          report: phase === 'validating' ? this.validateChunk(ctx, chunk) : this.applyChunk(ctx, chunk),
        };
        started.report.catch(() => undefined); // awaited by settle, or below on the way out
        await settleInFlight(started);
        // A request-bound import whose answer is due hands the rest to a job, from a checkpoint.
        if (!doc.async && ctx.handOffAt !== undefined && Date.now() >= ctx.handOffAt) {
          await settleInFlight();
          throw new HandOff();
        }
      }
      await settleInFlight();
    } finally {
      // Leaving early (a failure, a shutdown): the chunk still running ends before the job does,
      // without a checkpoint; its rows are recognized by their keys when the import resumes.
      // (`settleInFlight` assigns it inside a closure, which the compiler's narrowing does not see.)
      const running = inFlight as ChunkRun | null;
      if (running) await running.report.catch(() => undefined);
    }
    return counts;
  }

  private rowKey(doc: ImportDocument, row: number): string {
    return `csv:${doc.keyBase}:${row}`;
  }

  /** L1 for a chunk without writing; earlier rows of the file are simulated per (account, attribute). */
  private async validateChunk(ctx: RunContext, chunk: readonly CsvStatusRow[]): Promise<ImportReportRow[]> {
    const parsed = chunk.map((row) => ({ row, parsed: parseImportRow(row) }));
    const valid = parsed.flatMap((p) => (p.parsed.ok ? [{ row: p.row, fields: p.parsed }] : []));
    await this.loadDefinitions(
      ctx,
      valid.map((v) => v.fields.attributeKey),
    );
    // The stored documents of the chunk's pairs and its rows' no-op keys, in one read each: a row
    // seen before (a resumed or re-uploaded import) is in its pair's history or among the no-ops.
    const keyed = valid.map((v) => ({
      accountId: v.fields.accountId,
      attributeKey: v.fields.attributeKey,
      idempotencyKey: this.rowKey(ctx.doc, v.row.row),
    }));
    const pairs = [...new Set(keyed.map((k) => lifecycleStateId(k.accountId, k.attributeKey)))];
    const [stored, seenNoops] = await Promise.all([this.states.getMany(pairs), this.noopKeys.seen(keyed)]);
    const historyKeys = new Map([...stored].map(([pair, record]) => [pair, new Set(record.history.map((e) => e.idempotencyKey))]));
    const seen = new Set(
      keyed
        .filter(
          (k) =>
            seenNoops.has(noopKeyId(k.accountId, k.attributeKey, k.idempotencyKey)) ||
            historyKeys.get(lifecycleStateId(k.accountId, k.attributeKey))?.has(k.idempotencyKey),
        )
        .map((k) => k.idempotencyKey),
    );
    // The stored state of each pair first met in this chunk.
    for (const pair of pairs.filter((p) => !ctx.simulated.has(p))) {
      const state = stored.get(pair)?.state;
      ctx.simulated.set(pair, { stageId: state?.stageId ?? null, lastChangedAt: state?.lastChangedAt ?? null });
    }

    const now = new Date();
    return parsed.map(({ row, parsed: fields }) => {
      if (!fields.ok) return reportRow(row, 'invalid', fields.reason);
      if (seen.has(this.rowKey(ctx.doc, row.row))) return reportRow(row, 'duplicate');
      const pair = lifecycleStateId(fields.accountId, fields.attributeKey);
      const simulated = ctx.simulated.get(pair)!;
      const at = fields.at ?? now;
      try {
        const def = ctx.definitions.get(fields.attributeKey);
        if (!def) throw attributeUnknown(fields.attributeKey, ctx.activeKeys ?? []);
        const assumed: LifecycleState = { ...initialLifecycleState(), stageId: simulated.stageId, lastChangedAt: simulated.lastChangedAt };
        const decision = decideChange(def, assumed, { attributeKey: fields.attributeKey, stage: fields.stage, at }, now);
        if (decision.kind === 'noop') return reportRow(row, 'noop');
        // A backdated row changes the past, not the current value (the replay decides what it means).
        if (simulated.lastChangedAt === null || at.getTime() >= simulated.lastChangedAt.getTime()) {
          ctx.simulated.set(pair, { stageId: decision.to, lastChangedAt: at });
        }
        return reportRow(row, 'valid');
      } catch (e) {
        if (e instanceof LifecycleError) return reportRow(row, 'invalid', e.message);
        throw e;
      }
    });
  }

  /**
   * Every row through the one command path, the chunk as one `executeMany` (bulk reads and
   * writes; each account's rows in file order). A refused row is reported `invalid` with the
   * reason; any other failure fails the chunk, which the job runs again (row keys make it safe).
   */
  private async applyChunk(ctx: RunContext, chunk: readonly CsvStatusRow[]): Promise<ImportReportRow[]> {
    const report: ImportReportRow[] = new Array<ImportReportRow>(chunk.length);
    const commands: SetStatusCommand[] = [];
    const positions: number[] = [];
    chunk.forEach((row, index) => {
      const fields = parseImportRow(row);
      if (!fields.ok) {
        report[index] = reportRow(row, 'invalid', fields.reason);
        return;
      }
      try {
        commands.push(
          SetStatusCommand.create({
            accountId: fields.accountId,
            attributeKey: fields.attributeKey,
            stage: fields.stage,
            at: fields.at ?? new Date(),
            source: 'csv',
            idempotencyKey: this.rowKey(ctx.doc, row.row),
            actor: ctx.doc.actor,
            requestId: `import:${ctx.doc._id}`,
          }),
        );
        positions.push(index);
      } catch (e) {
        report[index] = reportRow(row, 'invalid', (e as Error).message);
      }
    });
    const outcomes = await this.setStatus.executeMany(commands);
    outcomes.forEach((outcome, k) => {
      const index = positions[k]!;
      const row = chunk[index]!;
      if (outcome.ok) report[index] = reportRow(row, outcome.result.outcome);
      else if ('blocked' in outcome) throw new Error(`row ${row.row} was held back by a failed row of the same account`);
      else if (isRefusal(outcome.error)) report[index] = reportRow(row, 'invalid', (outcome.error as Error).message);
      else throw outcome.error;
    });
    return report;
  }

  private async loadDefinitions(ctx: RunContext, keys: readonly string[]): Promise<void> {
    const missing = [...new Set(keys)].filter((k) => !ctx.definitions.has(k));
    if (missing.length === 0) return;
    const found = await this.replica.getMany(missing);
    for (const key of missing) ctx.definitions.set(key, found.get(key));
    if (missing.some((k) => !found.has(k)) && ctx.activeKeys === null) ctx.activeKeys = await this.replica.activeKeys();
  }
}

/** Rows after `afterRow`, in chunks of `size`. */
async function* chunksAfter(rows: AsyncIterable<CsvStatusRow>, afterRow: number, size: number): AsyncGenerator<CsvStatusRow[]> {
  let chunk: CsvStatusRow[] = [];
  for await (const row of rows) {
    if (row.row <= afterRow) continue;
    chunk.push(row);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
