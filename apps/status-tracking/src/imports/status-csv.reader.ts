import { Readable } from 'node:stream';
import { CsvError, parse, type Info } from 'csv-parse';
import { importUnreadable } from '../domain/tracking-errors';

/** L13: `accountId,attributeKey,stage[,at]` (header names case-insensitive, any order). */
export const REQUIRED_COLUMNS = ['accountId', 'attributeKey', 'stage'] as const;
export const OPTIONAL_COLUMNS = ['at'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** One data record as written in the file; `row` is its line number (the header is line 1). */
export interface CsvStatusRow {
  row: number;
  accountId: string;
  attributeKey: string;
  /** Empty = clear the value (L7). */
  stage: string;
  /** Empty = now. */
  at: string;
  /** The record had more fields than the header, or lacked a required one. */
  fieldCountMismatch: boolean;
}

/**
 * Streams the rows of a status CSV; the header is checked first (an unreadable header or broken
 * CSV syntax is a `TrackingError` for the whole file: nothing from it can be trusted).
 */
export async function* readStatusRows(source: AsyncIterable<Buffer>): AsyncGenerator<CsvStatusRow> {
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true, max_record_size: 64 * 1024 });
  const input = Readable.from(source);
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);

  let columns: Map<Column, number> | null = null;
  let width = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const { record, info } = item;
      if (columns === null) {
        columns = headerColumns(record);
        width = record.length;
        continue;
      }
      const field = (name: Column) => {
        const index = columns!.get(name);
        return index === undefined ? '' : (record[index] ?? '');
      };
      yield {
        row: info.lines,
        accountId: field('accountId'),
        attributeKey: field('attributeKey'),
        stage: field('stage'),
        at: field('at'),
        // A missing trailing `at` is an empty `at`; a missing required field or an extra one is not.
        fieldCountMismatch: record.length > width || REQUIRED_COLUMNS.some((c) => columns!.get(c)! >= record.length),
      };
    }
  } catch (e) {
    // Every csv-parse syntax error is a CsvError; not every code starts with CSV_ (INVALID_OPENING_QUOTE).
    if (e instanceof CsvError) {
      throw importUnreadable(e.message);
    }
    throw e;
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (columns === null)
    throw importUnreadable(`the file is empty; expected the header ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(',')}`);
}

function headerColumns(header: string[]): Map<Column, number> {
  const known = new Map<string, Column>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].map((c) => [c.toLowerCase(), c]));
  const columns = new Map<Column, number>();
  const unknown: string[] = [];
  header.forEach((name, index) => {
    const column = known.get(name.trim().toLowerCase());
    if (column === undefined || columns.has(column)) unknown.push(name);
    else columns.set(column, index);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length > 0 || unknown.length > 0) {
    const problems = [
      ...(missing.length > 0 ? [`missing column(s) ${missing.join(', ')}`] : []),
      ...(unknown.length > 0 ? [`unexpected column(s) ${unknown.map((u) => JSON.stringify(u)).join(', ')}`] : []),
    ];
    throw importUnreadable(
      `header ${JSON.stringify(header.join(','))}: ${problems.join('; ')}; expected accountId,attributeKey,stage[,at]`,
    );
  }
  return columns;
}
