import type { CalendarReplica } from '@lifecycle/messaging';
import { MONDAY_TO_FRIDAY_UTC } from '@lifecycle/rules';
import type { StageEntriesRepository } from '../accounts/stage-entries.repository';
import type { AccountFacts, AccountRepository } from '../accounts/account.repository';
import { instantiateCycle, type AccountCycle } from '../domain';
import { assignInput, onboardingTemplate } from '../domain/cycle.fixture';
import type {
  AccountCyclesRecord,
  AccountCyclesRepository,
  AccountCyclesWrite,
  PreparedCyclesWrite,
  StoredAccountCycles,
} from './account-cycles.repository';
import { AccountCyclesWriter, unchanged, type CycleChange, type CycleChangeContext } from './account-cycles.writer';
import { AggregateLock, type Outbox } from '@lifecycle/storage';

/** The cycles documents in memory, versioned like the real ones; a write with a stale version is refused. */
class FakeCyclesStore {
  readonly docs = new Map<string, AccountCyclesRecord>();
  readonly reads: string[][] = [];
  readonly batches: number[] = [];
  readonly singleWrites: string[] = [];
  /** Written by "another instance" just before the next batch write lands. */
  raceBeforeBatch: string[] = [];
  /** Delay of the next batch read (to let other work queue meanwhile). */
  slowRead = 0;
  /** Events left in a document's outbox (unpublished), as a batch read reports them. */
  readonly pending = new Map<string, number>();
  /** As `AccountCyclesRepository.batchWritesCheckVersion` (MongoDB, mongo-java-server: true). */
  batchWritesCheckVersion = true;

  seed(accountId: string, cycles: AccountCycle[]): void {
    this.docs.set(accountId, { accountId, version: 1, cycles, ownerId: 'owner-1', canceled: false });
  }

  get(accountId: string): Promise<AccountCyclesRecord | undefined> {
    return Promise.resolve(this.docs.get(accountId));
  }

  async getManyStored(accountIds: readonly string[]): Promise<Map<string, StoredAccountCycles>> {
    this.reads.push([...accountIds]);
    if (this.slowRead > 0) await new Promise((r) => setTimeout(r, this.slowRead));
    return new Map(
      accountIds
        .filter((id) => this.docs.has(id))
        .map((id) => [id, storedOf({ ...this.docs.get(id)!, pendingEvents: this.pending.get(id) ?? 0 })]),
    );
  }

  /** What the real repository's `prepareWrite` encodes, kept as it is. */
  prepareWrite(expected: AccountCyclesRecord, next: AccountCyclesWrite): PreparedCyclesWrite {
    return { accountId: expected.accountId, expectedVersion: expected.version, update: next as never };
  }

  write(accountId: string, expected: AccountCyclesRecord | undefined, next: AccountCyclesWrite): Promise<boolean> {
    this.singleWrites.push(accountId);
    return Promise.resolve(this.apply(accountId, expected, next));
  }

  writeMany(writes: readonly PreparedCyclesWrite[]): Promise<Set<string>> {
    for (const id of this.raceBeforeBatch) {
      const doc = this.docs.get(id)!;
      this.docs.set(id, { ...doc, version: doc.version + 1 });
    }
    this.raceBeforeBatch = [];
    this.batches.push(writes.length);
    const conflicts = new Set<string>();
    for (const { accountId, expectedVersion, update } of writes) {
      if (!this.apply(accountId, { version: expectedVersion } as AccountCyclesRecord, update as unknown as AccountCyclesWrite))
        conflicts.add(accountId);
    }
    return Promise.resolve(conflicts);
  }

  private apply(accountId: string, expected: AccountCyclesRecord | undefined, next: AccountCyclesWrite): boolean {
    const current = this.docs.get(accountId);
    if (current?.version !== expected?.version) return false;
    this.docs.set(accountId, {
      accountId,
      version: (current?.version ?? 0) + 1,
      cycles: [...next.cycles],
      ownerId: next.ownerId,
      canceled: next.canceled,
    });
    return true;
  }
}

/** A record as a batch read hands it over (`StoredAccountCycles`). */
const storedOf = (record: AccountCyclesRecord): StoredAccountCycles => ({
  accountId: record.accountId,
  version: record.version,
  record: () => record,
});

const facts = (accountId: string): AccountFacts => ({
  accountId,
  name: accountId,
  clientType: null,
  ownerId: 'owner-1',
  canceled: false,
  subscription: null,
  createdAt: new Date('2025-01-01T00:00:00Z'),
});

// Ports the domain defines for due dates (B6): the default calendar, no stage entries.
const calendars = {
  resolve: () => Promise.resolve({ key: 'default', calendar: MONDAY_TO_FRIDAY_UTC, version: 0 }),
  snapshot: () => Promise.resolve(() => ({ key: 'default', calendar: MONDAY_TO_FRIDAY_UTC, version: 0 })),
};
const stageEntries = { get: () => Promise.resolve(new Map()), getMany: () => Promise.resolve(new Map()) };

function setup() {
  const store = new FakeCyclesStore();
  const flushed: string[] = [];
  /** What `flushWrittenSoon` was handed: the events as the writer knows them, no read. */
  const flushedKnown: { id: string; events: readonly { id: string }[]; guard?: { version: number } }[] = [];
  const accounts = {
    get: (id: string) => Promise.resolve(facts(id)),
    getMany: (ids: readonly string[]) => Promise.resolve(new Map(ids.map((id) => [id, facts(id)]))),
  };
  const writer = new AccountCyclesWriter(
    new AggregateLock(),
    store as unknown as AccountCyclesRepository,
    accounts as unknown as AccountRepository,
    {
      flushSoon: (id: string) => flushed.push(id),
      flushManySoon: (ids: readonly string[]) => flushed.push(...ids),
      flushWrittenSoon: (written: { id: string; events: readonly { id: string }[]; guard?: { version: number } }[]) =>
        flushedKnown.push(...written),
    } as unknown as Outbox,
    calendars as unknown as CalendarReplica,
    stageEntries as unknown as StageEntriesRepository,
  );
  return { store, writer, flushed, flushedKnown };
}

const template = onboardingTemplate();
const cycleOf = (accountId: string) => instantiateCycle(template, { ...assignInput(), accountId, cycleId: `cycle-${accountId}` });

/** Renames every cycle once (a write with one event), leaves an already renamed one alone. */
function rename(ctx: CycleChangeContext): CycleChange<string> {
  if (ctx.cycles.every((c) => c.name === 'Renamed')) return unchanged('already');
  return { cycles: ctx.cycles.map((c) => ({ ...c, name: 'Renamed' })), events: [{ id: `e-${ctx.accountId}` } as never], result: 'renamed' };
}

const unprimary = ({ cycles }: CycleChangeContext): CycleChange<null> => ({
  cycles: cycles.map((c) => ({ ...c, primary: false })),
  events: [],
  result: null,
});

describe('AccountCyclesWriter.changeMany (batch writes of a job)', () => {
  it('reads the documents once, decides each account, and writes them in one bulk write', async () => {
    const { store, writer, flushedKnown } = setup();
    for (const id of ['a', 'b', 'c']) store.seed(id, [cycleOf(id)]);
    expect(await writer.changeMany(['c', 'a', 'b'], rename)).toEqual(['renamed', 'renamed', 'renamed']);
    expect(store.reads).toEqual([['c', 'a', 'b']]);
    expect(store.batches).toEqual([3]);
    expect(store.singleWrites).toEqual([]);
    expect([...store.docs.values()].map((d) => [d.accountId, d.version, d.cycles[0]!.name])).toEqual([
      ['a', 2, 'Renamed'],
      ['b', 2, 'Renamed'],
      ['c', 2, 'Renamed'],
    ]);
    // The outboxes held nothing else: the events go out as written, without reading them back, and
    // leave by emptying each outbox while its document is still at the version written.
    expect(flushedKnown).toEqual([
      { id: 'c', events: [{ id: 'e-c' }], guard: { version: 2 } },
      { id: 'a', events: [{ id: 'e-a' }], guard: { version: 2 } },
      { id: 'b', events: [{ id: 'e-b' }], guard: { version: 2 } },
    ]);
  });

  it('publishes from a fresh read the outbox of a document that held unpublished events', async () => {
    const { store, writer, flushed, flushedKnown } = setup();
    for (const id of ['a', 'b']) store.seed(id, [cycleOf(id)]);
    store.pending.set('b', 2);
    await writer.changeMany(['a', 'b'], rename);
    expect(flushedKnown.map((w) => w.id)).toEqual(['a']);
    expect(flushed).toEqual(['b']);
  });

  it('decides from the documents the caller streamed where a batch write finds a changed one; a changed one is decided again', async () => {
    const { store, writer, flushedKnown } = setup();
    for (const id of ['a', 'b']) store.seed(id, [cycleOf(id)]);
    const streamed = new Map(['a', 'b'].map((id) => [id, storedOf({ ...store.docs.get(id)!, pendingEvents: 0 })]));
    const b = store.docs.get('b')!;
    store.docs.set('b', { ...b, version: 2, cycles: b.cycles.map((c) => ({ ...c, primary: false })) }); // written since it was streamed
    expect(await writer.changeMany(['a', 'b'], rename, { records: streamed })).toEqual(['renamed', 'renamed']);
    expect(store.reads).toEqual([]); // no batch read
    expect(store.singleWrites).toEqual(['b']);
    const after = store.docs.get('b')!;
    expect([after.version, after.cycles[0]!.name, after.cycles[0]!.primary]).toEqual([3, 'Renamed', false]);
    expect(flushedKnown.map((w) => w.id)).toEqual(['a']);
  });

  it("reads the documents again under the accounts' locks where a batch write cannot find a changed one", async () => {
    const { store, writer } = setup();
    store.batchWritesCheckVersion = false;
    for (const id of ['a', 'b']) store.seed(id, [cycleOf(id)]);
    const streamed = new Map(['a', 'b'].map((id) => [id, storedOf({ ...store.docs.get(id)!, version: 0, pendingEvents: 0 })]));
    expect(await writer.changeMany(['a', 'b'], rename, { records: streamed })).toEqual(['renamed', 'renamed']);
    expect(store.reads).toEqual([['a', 'b']]);
    expect(store.singleWrites).toEqual([]);
  });

  it("holds the accounts' locks from the read to the write: a change arriving meanwhile waits and is kept", async () => {
    const { store, writer } = setup();
    for (const id of ['a', 'b']) store.seed(id, [cycleOf(id)]);
    store.slowRead = 20;
    const batch = writer.changeMany(['a', 'b'], rename);
    await new Promise((r) => setTimeout(r, 5)); // the batch holds the locks and is reading
    const single = writer.change('a', unprimary);
    await Promise.all([batch, single]);
    const a = store.docs.get('a')!;
    expect([a.version, a.cycles[0]!.name, a.cycles[0]!.primary]).toEqual([3, 'Renamed', false]);
    expect(store.singleWrites).toEqual(['a']); // the single change came after the batch, without a conflict
  });

  it('decides again, alone, an account whose version changed under the bulk write (another instance)', async () => {
    const { store, writer } = setup();
    for (const id of ['a', 'b']) store.seed(id, [cycleOf(id)]);
    store.raceBeforeBatch = ['b'];
    expect(await writer.changeMany(['a', 'b'], rename)).toEqual(['renamed', 'renamed']);
    expect(store.singleWrites).toEqual(['b']);
    expect(store.docs.get('b')!.version).toBe(3);
  });

  it('writes nothing for an unchanged account, and takes an id given twice once', async () => {
    const { store, writer } = setup();
    store.seed('a', [cycleOf('a')]);
    store.seed('b', [{ ...cycleOf('b'), name: 'Renamed' }]);
    expect(await writer.changeMany(['a', 'b', 'a'], rename)).toEqual(['renamed', 'already']);
    expect(store.batches).toEqual([1]);
    expect([store.docs.get('a')!.version, store.docs.get('b')!.version]).toEqual([2, 1]);
  });
});
