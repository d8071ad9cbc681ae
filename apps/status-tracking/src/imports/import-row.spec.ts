import { parseImportRow } from './import-row';
import type { CsvStatusRow } from './status-csv.reader';

const row = (fields: Partial<CsvStatusRow>): CsvStatusRow => ({
  row: 2,
  accountId: 'acme',
  attributeKey: 'onboarding-status',
  stage: 'Kickoff',
  at: '',
  fieldCountMismatch: false,
  ...fields,
});

describe('import row fields (L13)', () => {
  it('reads a stage, an empty stage as a clear (L7), and an optional ISO-8601 time', () => {
    expect(parseImportRow(row({}))).toEqual({ ok: true, accountId: 'acme', attributeKey: 'onboarding-status', stage: 'Kickoff', at: null });
    expect(parseImportRow(row({ stage: '', at: '2025-03-01T10:00:00Z' }))).toEqual({
      ok: true,
      accountId: 'acme',
      attributeKey: 'onboarding-status',
      stage: null,
      at: new Date('2025-03-01T10:00:00Z'),
    });
  });

  it('names every problem of a row', () => {
    expect(parseImportRow(row({ accountId: '', attributeKey: 'Onboarding Status', at: 'last monday', fieldCountMismatch: true }))).toEqual({
      ok: false,
      reason:
        'the row does not have as many fields as the header; accountId is empty; attributeKey must be an attribute key (slug); at "last monday" is not an ISO-8601 timestamp',
    });
  });
});
