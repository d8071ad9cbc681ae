import type { ConsumedEvent } from '@lifecycle/messaging';
import type { StageEntry } from '../accounts/stage-entries.repository';
import { StageEntriesHandler } from './stage-entries.handler';
import type { StageEntrySyncService } from './stage-entry-sync.service';

const changed = (accountId: string, stageId: string | null, offset: number): ConsumedEvent =>
  ({
    offset: String(offset),
    envelope: {
      type: 'status.changed',
      data: { accountId, attributeKey: 'onboarding-status', to: stageId === null ? null : { id: stageId }, at: '2026-01-01T00:00:00.000Z' },
    },
  }) as unknown as ConsumedEvent;

describe('StageEntriesHandler', () => {
  it("hands a run's entries on in order and fails an account whose settling failed at its first event, its later ones waiting", async () => {
    const seen: StageEntry[][] = [];
    const refused = new Error('cycles of b unreadable');
    const sync = {
      enteredMany: (entries: readonly StageEntry[]) => {
        seen.push([...entries]);
        return Promise.resolve(new Map([['b', refused]]));
      },
    } as unknown as StageEntrySyncService;
    const outcomes = await new StageEntriesHandler(sync).onStatusChanges([
      changed('a', 'live', 1),
      changed('b', 'kickoff', 2),
      changed('a', null, 3),
      changed('b', 'live', 4),
    ]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.map((e) => `${e.accountId}:${e.stageId}`)).toEqual(['a:live', 'b:kickoff', 'b:live']);
    expect(outcomes).toEqual([{ kind: 'applied' }, { kind: 'failed', error: refused }, { kind: 'applied' }, { kind: 'blocked' }]);
  });
});
