import { LifecycleError } from '../domain/lifecycle-errors';
import { TrackingError, TrackingErrorCode } from '../domain/tracking-errors';
import { readStatusRows, type CsvStatusRow } from './status-csv.reader';

async function rows(text: string, chunkSize = 7): Promise<CsvStatusRow[]> {
  async function* chunks() {
    const buffer = Buffer.from(text, 'utf8');
    for (let i = 0; i < buffer.length; i += chunkSize) yield buffer.subarray(i, i + chunkSize);
  }
  const out: CsvStatusRow[] = [];
  for await (const row of readStatusRows(chunks())) out.push(row);
  return out;
}

describe('status CSV reader (L13)', () => {
  it('reads rows with their line numbers, any column order, optional at', async () => {
    const result = await rows('\uFEFFstage,AccountId,attributeKey\nKickoff,acme,onboarding-status\n\n"Go Live",globex,onboarding-status\n');
    expect(result).toEqual([
      { row: 2, accountId: 'acme', attributeKey: 'onboarding-status', stage: 'Kickoff', at: '', fieldCountMismatch: false },
      { row: 4, accountId: 'globex', attributeKey: 'onboarding-status', stage: 'Go Live', at: '', fieldCountMismatch: false },
    ]);
  });

  it('keeps the at column and flags records with a wrong number of fields', async () => {
    const result = await rows(
      'accountId,attributeKey,stage,at\nacme,onboarding-status,,2025-01-01T00:00:00Z\nacme,onboarding-status\nacme,onboarding-status,Kickoff\nacme,onboarding-status,Kickoff,,x\n',
    );
    expect(result[0]).toMatchObject({ row: 2, stage: '', at: '2025-01-01T00:00:00Z', fieldCountMismatch: false });
    expect(result[1]).toMatchObject({ row: 3, stage: '', fieldCountMismatch: true });
    expect(result[2]).toMatchObject({ row: 4, stage: 'Kickoff', at: '', fieldCountMismatch: false });
    expect(result[3]).toMatchObject({ row: 5, fieldCountMismatch: true });
  });

  it('refuses a header without the required columns or with unknown ones', async () => {
    await expect(rows('account,attributeKey,stage\n')).rejects.toThrow(/missing column\(s\) accountId; unexpected column\(s\) "account"/);
    await expect(rows('')).rejects.toMatchObject({ code: TrackingErrorCode.ImportUnreadable });
  });

  it('refuses broken CSV syntax as a whole', async () => {
    const failure = await rows('accountId,attributeKey,stage\nacme,"onboarding-status,Kickoff\n').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TrackingError);
    expect(failure).not.toBeInstanceOf(LifecycleError);
    expect((failure as TrackingError).message).toMatch(/cannot be imported/);
  });
});
