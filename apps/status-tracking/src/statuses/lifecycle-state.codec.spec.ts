import fc from 'fast-check';
import { Binary } from 'mongodb';
import { replay } from '@lifecycle/rules';
import { onboardingStatus } from '../domain/lifecycle.fixture';
import { packPair, unpackPair, unpackState } from './lifecycle-state.codec';
import { CHANGE_SOURCES, type StatusHistoryEntry } from './lifecycle-state.schema';

const stages = onboardingStatus().stages;
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms));
const text = fc.string({ minLength: 1, maxLength: 30 });
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

  it('names a format it does not know instead of reading it wrongly', () => {
    const packed = packPair({ state: replay(stages, []).state, history: [] });
    const bytes = Buffer.from(packed.buffer);
    bytes[0] = 9;
    expect(() => unpackPair(new Binary(bytes))).toThrow('lifecycle state in an unknown packed format 9');
  });
});
