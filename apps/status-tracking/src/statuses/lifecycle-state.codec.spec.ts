import fc from 'fast-check';
import { Binary } from 'mongodb';
import { replay } from '@lifecycle/rules';
import { onboardingStatus } from '../domain/lifecycle.fixture';
import { appendPair, packPair, unpackPair, unpackState } from './lifecycle-state.codec';
import { CHANGE_SOURCES, type StatusHistoryEntry } from './lifecycle-state.schema';

const stages = onboardingStatus().stages;
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms));
// Quotes, backslashes, brackets and characters of several UTF-8 bytes, as actors and keys may hold.
const text = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.fullUnicodeString({ minLength: 1, maxLength: 12 }));
const change = fc.record({
  to: fc.constantFrom(null, ...stages.map((s) => s.id)),
  at: instant,
  source: fc.constantFrom(...CHANGE_SOURCES),
  actor: fc.option(text, { nil: null }),
  requestId: fc.option(text, { nil: null }),
  idempotencyKey: text,
  recordedAt: instant,
  changeId: fc.uuid(),
});

/** A history in insertion order and the fold the rules make of it (cycle records, moves back, clears). */
const pair = fc.array(change, { maxLength: 40 }).map((changes) => {
  const history: StatusHistoryEntry[] = changes.map((c, i) => ({ ...c, seq: i + 1 }));
  return { history, state: replay(stages, history).state };
});

describe('the packed form of a pair (lifecycle_states.packed)', () => {
  it('gives back the history and the fold it was given, dates as dates and seq as the position', () => {
    fc.assert(
      fc.property(pair, (p) => {
        const read = unpackPair(packPair(p));
        expect(read).toEqual(p);
        expect(unpackState(packPair(p))).toEqual(p.state);
        for (const e of read.history) expect(e.at).toBeInstanceOf(Date);
      }),
      { numRuns: 200 },
    );
  });

  it('appends to the stored bytes exactly what packing the whole history again gives', () => {
    fc.assert(
      fc.property(pair, fc.nat(), text, (p, cut, stageName) => {
        const before = p.history.slice(0, cut % (p.history.length + 1));
        const added = p.history.slice(before.length);
        // Stage ids in the state row with the characters a scanner of its JSON could trip on.
        const state = { ...p.state, stageId: stageName, stageMs: { ...p.state.stageMs, [stageName]: 1 } };
        const stored = packPair({ state: replay(stages, before).state, history: before });
        const appended = appendPair(stored, state, added);
        expect(Buffer.from(appended.buffer).equals(Buffer.from(packPair({ state, history: p.history }).buffer))).toBe(true);
        expect(unpackPair(appended)).toEqual({ state, history: p.history });
      }),
      { numRuns: 300 },
    );
  });

  it('appends to bytes read back from a larger buffer (a driver hands out views)', () => {
    const history: StatusHistoryEntry[] = [
      {
        changeId: 'c1',
        seq: 1,
        to: stages[0]!.id,
        at: new Date(1),
        source: 'crm',
        actor: 'a"]',
        requestId: null,
        idempotencyKey: 'k[1',
        recordedAt: new Date(2),
      },
      {
        changeId: 'c2',
        seq: 2,
        to: null,
        at: new Date(3),
        source: 'crm',
        actor: null,
        requestId: 'r',
        idempotencyKey: 'k2',
        recordedAt: new Date(4),
      },
    ];
    const stored = packPair({ state: replay(stages, history.slice(0, 1)).state, history: history.slice(0, 1) });
    const view = new Binary(
      Buffer.concat([Buffer.from('xx'), Buffer.from(stored.buffer), Buffer.from('yy')]).subarray(2, 2 + stored.buffer.length),
    );
    const state = replay(stages, history).state;
    expect(unpackPair(appendPair(view, state, history.slice(1)))).toEqual({ state, history });
  });

  it('names a format it does not know instead of reading it wrongly', () => {
    const packed = packPair({ state: replay(stages, []).state, history: [] });
    const bytes = Buffer.from(packed.buffer);
    bytes[0] = 9;
    expect(() => unpackPair(new Binary(bytes))).toThrow('lifecycle state in an unknown packed format 9');
  });
});
