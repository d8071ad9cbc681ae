import { isISO8601 } from 'class-validator';
import { ACCOUNT_ID_MESSAGE, ACCOUNT_ID_PATTERN, ATTRIBUTE_KEY_PATTERN } from '@lifecycle/contracts';
import type { CsvStatusRow } from './status-csv.reader';

/**
 * - `applied`: written to the history; `noop`: same value (L8); `duplicate`: this file row was
 *   imported before (L12); `invalid`: refused (L1 or unreadable), with the reason;
 * - `valid`: would be applied (dry run, or an atomic import refused because of other rows);
 * - `failed`: not applied because of contention; importing the file again retries it.
 */
export type ImportRowStatus = 'applied' | 'noop' | 'duplicate' | 'invalid' | 'valid' | 'failed';

export interface ImportReportRow {
  row: number;
  accountId: string;
  attributeKey: string;
  /** The stage as written in the file (empty = clear). */
  value: string;
  status: ImportRowStatus;
  reason: string | null;
}

export type ParsedImportRow =
  { ok: true; accountId: string; attributeKey: string; stage: string | null; at: Date | null } | { ok: false; reason: string };

/** Field checks of one row; the rules (L1) come after, through the same decision as every source. */
export function parseImportRow(row: CsvStatusRow): ParsedImportRow {
  const problems: string[] = [];
  if (row.fieldCountMismatch) problems.push('the row does not have as many fields as the header');
  if (!ACCOUNT_ID_PATTERN.test(row.accountId)) problems.push(row.accountId === '' ? 'accountId is empty' : ACCOUNT_ID_MESSAGE);
  if (!ATTRIBUTE_KEY_PATTERN.test(row.attributeKey) || row.attributeKey.length > 64) {
    problems.push(row.attributeKey === '' ? 'attributeKey is empty' : 'attributeKey must be an attribute key (slug)');
  }
  if (row.stage.length > 100) problems.push('stage must be at most 100 characters');
  let at: Date | null = null;
  if (row.at !== '') {
    if (isISO8601(row.at, { strict: true })) at = new Date(row.at);
    else problems.push(`at "${row.at}" is not an ISO-8601 timestamp`);
  }
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  return { ok: true, accountId: row.accountId, attributeKey: row.attributeKey, stage: row.stage === '' ? null : row.stage, at };
}

export function reportRow(row: CsvStatusRow, status: ImportRowStatus, reason: string | null = null): ImportReportRow {
  return { row: row.row, accountId: row.accountId, attributeKey: row.attributeKey, value: row.stage, status, reason };
}
