/**
 * The format 1 store (history and keys in their own collections, the fold as subdocuments) is
 * rewritten packed: the history endpoint, the fold, repeats of applied and no-op keys and the
 * next change all behave as if the pairs had been written packed.
 */
import { Storage } from '@lifecycle/storage';
import { MS_PER_DAY, replay, type HistoryEntry } from '@lifecycle/rules';
import { ONBOARDING, StatusTrackingHarness } from '../testing/status-tracking.harness';
import { LifecycleStateRepository } from './lifecycle-state.repository';
import { SetStatusCommand } from './set-status.command';
import { SetStatusUseCase } from './set-status.use-case';
import { FORMAT_1_HISTORY, FORMAT_1_KEYS, StoredFormatMigration } from './stored-format.migration';

const NOW = Date.now();
const STAGES = [
  { id: 'stg-kickoff', name: 'Kickoff', order: 1, endStage: false, disabled: false },
  { id: 'stg-configuration', name: 'Configuration', order: 2, endStage: false, disabled: false },
];

describe('stored format 1 of status-tracking, rewritten packed at start', () => {
  const h = new StatusTrackingHarness('format1');
  const account = 'acct-format1';
  const pair = `${account}|${ONBOARDING}`;

  beforeAll(async () => {
    await h.start();
    await h.seedAttribute();
  });

  afterAll(() => h.stop());

  it('keeps every folded change with its key, the no-op keys and the fold, and drops the old collections', async () => {
    const storage = h.get(Storage as unknown as new () => Storage);
    const entry = (seq: number, to: string, days: number) => ({
      _id: `${pair}|${seq}`,
      changeId: `change-${seq}`,
      accountId: account,
      attributeKey: ONBOARDING,
      seq,
      to,
      at: new Date(NOW - days * MS_PER_DAY),
      source: 'crm' as const,
      actor: 'crm',
      requestId: `event-${seq}`,
      idempotencyKey: `crm:event-${seq}`,
      recordedAt: new Date(NOW - days * MS_PER_DAY),
    });
    // Two folded changes, and a third its writer never folded (it crashed before the state write).
    const entries = [entry(1, 'stg-kickoff', 6), entry(2, 'stg-configuration', 3), entry(3, 'stg-kickoff', 1)];
    const folded: HistoryEntry[] = entries.slice(0, 2).map((e) => ({ changeId: e.changeId, seq: e.seq, to: e.to, at: e.at }));
    const state = replay(STAGES, folded).state;
    await storage.db.collection(FORMAT_1_HISTORY).insertMany(entries as never[]);
    await storage.db.collection(FORMAT_1_KEYS).insertMany([
      { _id: 'crm:event-1', accountId: account, attributeKey: ONBOARDING, seq: 1, recordedAt: new Date() },
      { _id: 'crm:event-2', accountId: account, attributeKey: ONBOARDING, seq: 2, recordedAt: new Date() },
      { _id: 'crm:event-noop', accountId: account, attributeKey: ONBOARDING, seq: 0, recordedAt: new Date() },
    ] as never[]);
    await storage.db.collection('lifecycle_states').insertOne({
      _id: pair,
      accountId: account,
      attributeKey: ONBOARDING,
      version: 2,
      historyCount: 2,
      lastEntryAt: entries[1]!.at,
      changes: folded,
      lifecycle: {
        ...state,
        stageMs: Object.entries(state.stageMs).map(([stageId, ms]) => ({ stageId, ms })),
        totalMs: Object.entries(state.totalMs).map(([stageId, ms]) => ({ stageId, ms })),
      },
      outbox: [],
      updatedAt: new Date(),
    } as never);

    expect(await h.get(StoredFormatMigration).run()).toBe(1);

    const record = (await h.get(LifecycleStateRepository).get(account, ONBOARDING))!;
    expect(record.version).toBe(3);
    expect(record.state).toEqual(state);
    expect(record.history.map((e) => [e.seq, e.to, e.idempotencyKey])).toEqual([
      [1, 'stg-kickoff', 'crm:event-1'],
      [2, 'stg-configuration', 'crm:event-2'],
    ]);
    const names = (await storage.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).not.toContain(FORMAT_1_HISTORY);
    expect(names).not.toContain(FORMAT_1_KEYS);
    // Nothing left to do at the next start.
    expect(await h.get(StoredFormatMigration).run()).toBe(0);

    // Repeats of the applied and the no-op keys are duplicates; the unfolded change, retried by its
    // source, and a new one are applied.
    const command = (key: string, stage: string, days: number) =>
      SetStatusCommand.create({
        accountId: account,
        attributeKey: ONBOARDING,
        stage,
        at: new Date(NOW - days * MS_PER_DAY),
        source: 'crm',
        idempotencyKey: key,
        actor: 'crm',
        requestId: null,
      });
    const outcomes = await h
      .get(SetStatusUseCase)
      .executeMany([
        command('crm:event-1', 'Kickoff', 6),
        command('crm:event-noop', 'Configuration', 2),
        command('crm:event-3', 'Kickoff', 1),
        command('crm:event-4', 'Configuration', 0),
      ]);
    expect(outcomes.map((o) => (o.ok ? [o.result.outcome, o.result.changeId] : ['failed', null]))).toEqual([
      ['duplicate', 'change-1'],
      ['duplicate', null],
      ['applied', expect.any(String)],
      ['applied', expect.any(String)],
    ]);
    expect((await h.get(LifecycleStateRepository).get(account, ONBOARDING))!.history.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });
});
