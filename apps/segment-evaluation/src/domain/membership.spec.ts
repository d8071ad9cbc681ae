import { applyVerdicts, membershipEventId } from './membership';

describe('membership (S5)', () => {
  it('turns verdicts into entered / exited changes with counters; unchanged verdicts change nothing', () => {
    const entered = applyVerdicts('acme', { segments: [], membershipSeq: {} }, [
      { segmentId: 's1', member: true },
      { segmentId: 's2', member: false },
    ]);
    expect(entered.segments).toEqual(['s1']);
    expect(entered.changes).toEqual([{ segmentId: 's1', kind: 'entered', seq: 1, eventId: membershipEventId('s1', 'acme', 1, 'entered') }]);

    const again = applyVerdicts('acme', entered, [{ segmentId: 's1', member: true }]);
    expect(again.changes).toEqual([]);

    const exited = applyVerdicts('acme', entered, [{ segmentId: 's1', member: false }]);
    expect(exited).toMatchObject({ segments: [], membershipSeq: { s1: 2 }, changes: [{ segmentId: 's1', kind: 'exited', seq: 2 }] });
    const back = applyVerdicts('acme', exited, [{ segmentId: 's1', member: true }]);
    expect(back.changes[0]).toMatchObject({ kind: 'entered', seq: 3 });
  });

  it('keeps memberships of segments without a verdict', () => {
    expect(applyVerdicts('acme', { segments: ['s9'], membershipSeq: { s9: 1 } }, [{ segmentId: 's1', member: true }]).segments).toEqual([
      's1',
      's9',
    ]);
  });

  it('derives deterministic, distinct UUIDs', () => {
    const id = membershipEventId('s1', 'acme', 1, 'entered');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(membershipEventId('s1', 'acme', 1, 'entered')).toBe(id);
    expect(
      new Set([
        id,
        membershipEventId('s1', 'acme', 2, 'exited'),
        membershipEventId('s1', 'acme2', 1, 'entered'),
        membershipEventId('s2', 'acme', 1, 'entered'),
      ]).size,
    ).toBe(4);
  });
});
