import type { ImportReportRow } from './import-row';

/**
 * An import of a status CSV (L13):
 * - `imports`: one document per upload: options, progress (phase + last row done, saved after
 *   every chunk so a retried job resumes there), counts, outcome;
 * - `import_uploads`: the file itself in chunks of ≤ 256 KiB, so any instance's worker can read
 *   it (and re-read it for the second pass of an atomic import); removed when the import ends;
 * - `import_report_chunks`: the full per-row report, one document per processed chunk of rows
 *   (`_id` = `${importId}:${chunk}`), so writing and paging it are primary-key operations.
 */
export const IMPORTS_COLLECTION = 'imports';
export const IMPORT_UPLOADS_COLLECTION = 'import_uploads';
export const IMPORT_REPORT_CHUNKS_COLLECTION = 'import_report_chunks';

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';
/** `checking`: CSV syntax and row count; `validating`: rules without writing; `applying`: the command per row. */
export type ImportPhase = 'checking' | 'validating' | 'applying' | 'done';

export interface ImportCounts {
  rows: number;
  applied: number;
  noop: number;
  duplicate: number;
  invalid: number;
  valid: number;
  failed: number;
}

export function emptyCounts(): ImportCounts {
  return { rows: 0, applied: 0, noop: 0, duplicate: 0, invalid: 0, valid: 0, failed: 0 };
}

export interface ImportDocument {
  _id: string;
  jobId: string | null;
  status: ImportStatus;
  dryRun: boolean;
  atomic: boolean;
  async: boolean;
  fileSha256: string;
  bytes: number;
  /** Idempotency keys of rows are `csv:<keyBase>:<row>` (file hash, or the caller's Idempotency-Key). */
  keyBase: string;
  totalRows: number | null;
  phase: ImportPhase;
  /** Last row (line number) of the current phase whose outcome is stored. */
  afterRow: number;
  /** Report chunks stored by the current phase. */
  chunks: number;
  counts: ImportCounts;
  /** Atomic import refused because some rows are invalid: nothing was applied. */
  rejected: boolean;
  error: string | null;
  actor: string | null;
  requestId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface ImportUploadDocument {
  _id: string;
  importId: string;
  n: number;
  data: Buffer;
}

export interface ImportReportChunkDocument {
  _id: string;
  importId: string;
  chunk: number;
  rows: ImportReportRow[];
}

export function reportChunkId(importId: string, chunk: number): string {
  return `${importId}:${chunk}`;
}
