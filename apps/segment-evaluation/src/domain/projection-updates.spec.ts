import { MS_PER_DAY } from '@lifecycle/rules';
import { msInAttribute, msInStage } from './account-projection';
import {
  applyAccountCanceled,
  applyAccountFacts,
  applyLifecycleCompleted,
  applyStatusChanged,
  applyStatusRecomputed,
  emptyAccount,
  MAX_TRANSITIONS,
  normalizeTransitions,
  type ClockInput,
  type ProjectedAccount,
  type StatusChangedInput,
} from './projection-updates';
import { withQueryKeys } from '../projection/query-keys';

const NOW = new Date('2024-06-15T12:00:00.000Z');
const ago = (days: number) => new Date(NOW.getTime() - days * MS_PER_DAY);
const KEY = 'onboarding';

const clock = (overrides: Partial<ClockInput> = {}): ClockInput => ({
  stageId: 'kickoff',
  cycle: 1,
  completedCycles: 0,
  completed: false,
  cycleStartedAt: ago(10).toISOString(),
  stageEnteredAt: ago(10).toISOString(),
  stageMsBefore: 0,
  frozenStageMs: null,
  frozenAttributeMs: null,
  ...overrides,
});

const change = (changeId: string, from: string | null, to: string | null, at: Date, c: ClockInput = clock()): StatusChangedInput => ({
  attributeKey: KEY,
  changeId,
  fromStageId: from,
  toStageId: to,
  at,
  clock: c,
});

const apply = (account: ProjectedAccount, input: StatusChangedInput): ProjectedAccount => {
  const next = applyStatusChanged(account, input);
  if (next === null) throw new Error('expected a change');
  return next;
};

describe('projection updates (S6)', () => {
  describe('account facts', () => {
    it('keeps fields an event leaves out, clears on null, and ignores older facts', () => {
      const first = applyAccountFacts(
        emptyAccount('acme'),
        { name: 'Acme', clientType: 'enterprise', ownerId: 'u-1', subscription: { active: true, renewalDate: '2024-09-01' } },
        ago(2),
      )!;
      expect(first).toMatchObject({
        name: 'Acme',
        clientType: 'enterprise',
        ownerId: 'u-1',
        canceled: false,
        subscriptionActive: true,
        renewalDate: new Date('2024-09-01'),
      });
      const second = applyAccountFacts(first, { name: 'Acme Inc', ownerId: null }, ago(1))!;
      expect(second).toMatchObject({ name: 'Acme Inc', clientType: 'enterprise', ownerId: null, subscriptionActive: true });
      expect(applyAccountFacts(second, { name: 'Old' }, ago(3))).toBeNull();
      expect(applyAccountCanceled(second, ago(0))).toMatchObject({ canceled: true, name: 'Acme Inc' });
      expect(applyAccountCanceled(second, ago(5))).toBeNull();
    });
  });

  describe('status.changed', () => {
    it('takes over the clock: running clocks start at stageEnteredAt − stageMsBefore and cycleStartedAt (L3)', () => {
      const c = clock({
        stageId: 'config',
        stageEnteredAt: ago(4).toISOString(),
        stageMsBefore: 2 * MS_PER_DAY,
        cycleStartedAt: ago(10).toISOString(),
      });
      const state = apply(emptyAccount('acme'), change('c1', 'kickoff', 'config', ago(4), c)).lifecycle[KEY]!;
      expect(state).toMatchObject({
        stageId: 'config',
        running: true,
        stageClockStart: ago(6),
        attributeClockStart: ago(10),
        frozenStageMs: null,
      });
      expect(msInStage(state, NOW)).toBe(6 * MS_PER_DAY);
      expect(msInAttribute(state, NOW)).toBe(10 * MS_PER_DAY);
    });

    it('freezes the counters in an end stage (L5) and has none without a value (L7)', () => {
      const done = apply(
        emptyAccount('acme'),
        change(
          'c1',
          'config',
          'golive',
          ago(1),
          clock({ stageId: 'golive', completed: true, completedCycles: 1, frozenStageMs: 0, frozenAttributeMs: 9 * MS_PER_DAY }),
        ),
      );
      expect(done.lifecycle[KEY]).toMatchObject({
        running: false,
        stageClockStart: null,
        attributeClockStart: null,
        frozenStageMs: 0,
        frozenAttributeMs: 9 * MS_PER_DAY,
      });
      expect(msInAttribute(done.lifecycle[KEY]!, NOW)).toBe(9 * MS_PER_DAY);
      const cleared = apply(
        done,
        change('c2', 'golive', null, ago(0), clock({ stageId: null, cycleStartedAt: null, stageEnteredAt: null })),
      );
      expect(cleared.lifecycle[KEY]).toMatchObject({ stageId: null, running: false, frozenStageMs: null, frozenAttributeMs: null });
    });

    it('is idempotent by change id, and its transitions give the stored change keys', () => {
      const once = apply(emptyAccount('acme'), change('c1', null, 'kickoff', ago(10)));
      expect(applyStatusChanged(once, change('c1', null, 'kickoff', ago(10)))).toBeNull();
      expect(withQueryKeys(once.lifecycle[KEY]!).changeKeys).toEqual([
        `any|${ago(10).toISOString()}`,
        `to:kickoff|${ago(10).toISOString()}`,
        `from:|${ago(10).toISOString()}`,
        `from-to:>kickoff|${ago(10).toISOString()}`,
      ]);
    });

    it('inserts a backdated change in time order and never rolls the clock back (L11)', () => {
      const kickoff = apply(emptyAccount('acme'), change('c1', null, 'kickoff', ago(10)));
      const golive = clock({
        stageId: 'golive',
        completed: true,
        completedCycles: 1,
        frozenStageMs: 0,
        frozenAttributeMs: 10 * MS_PER_DAY,
      });
      const live = apply(kickoff, change('c3', 'kickoff', 'golive', ago(0), golive));
      // A late change between the two: its clock is older than the stored one.
      const late = apply(live, change('c2', 'kickoff', 'config', ago(5), clock({ stageId: 'config' })));
      const state = late.lifecycle[KEY]!;
      expect(state.transitions.map((t) => [t.changeId, t.from, t.to])).toEqual([
        ['c1', null, 'kickoff'],
        ['c2', 'kickoff', 'config'],
        ['c3', 'config', 'golive'], // `from` follows the history
      ]);
      expect(state.stageId).toBe('golive');
      expect(withQueryKeys(state).changeKeys).toContain(`from-to:config>golive|${ago(0).toISOString()}`);
      // status.recomputed carries the current clock whatever the order.
      const recomputed = applyStatusRecomputed(late, { attributeKey: KEY, clock: { ...golive, frozenAttributeMs: 10 * MS_PER_DAY + 1 } })!;
      expect(recomputed.lifecycle[KEY]).toMatchObject({ stageId: 'golive', frozenAttributeMs: 10 * MS_PER_DAY + 1, clockAt: ago(0) });
    });

    it('drops a change that a backdated insert made redundant (L8) and keeps the newest transitions only', () => {
      const transitions = normalizeTransitions([
        { changeId: 'a', from: null, to: 'kickoff', at: ago(10) },
        { changeId: 'c', from: 'kickoff', to: 'config', at: ago(3) },
        { changeId: 'b', from: 'kickoff', to: 'config', at: ago(5) },
      ]);
      expect(transitions.map((t) => t.changeId)).toEqual(['a', 'b']);
      const many = Array.from({ length: MAX_TRANSITIONS + 10 }, (_, i) => ({
        changeId: `t${i}`,
        from: null,
        to: i % 2 === 0 ? 'a' : 'b',
        at: new Date(i * 1000),
      }));
      const kept = normalizeTransitions(many);
      expect(kept).toHaveLength(MAX_TRANSITIONS);
      expect(kept[kept.length - 1]!.changeId).toBe(`t${MAX_TRANSITIONS + 9}`);
    });
  });

  describe('lifecycle.completed', () => {
    it('records each completion once, in time order, with its key', () => {
      let account = emptyAccount('acme');
      account = applyLifecycleCompleted(account, { attributeKey: KEY, changeId: 'c9', completedAt: ago(1) })!;
      account = applyLifecycleCompleted(account, { attributeKey: KEY, changeId: 'c2', completedAt: ago(100) })!;
      expect(applyLifecycleCompleted(account, { attributeKey: KEY, changeId: 'c9', completedAt: ago(1) })).toBeNull();
      expect(withQueryKeys(account.lifecycle[KEY]!)).toMatchObject({
        completions: [ago(100), ago(1)],
        completionKeys: [ago(100).toISOString(), ago(1).toISOString()],
        completionIds: ['c2', 'c9'],
      });
    });

    it('orders completions at the same time by change id, so a redelivery changes nothing whatever the arrival order', () => {
      const at = ago(5);
      for (const order of [
        ['cB', 'cA'],
        ['cA', 'cB'],
      ]) {
        let account = emptyAccount('acme');
        for (const changeId of order) account = applyLifecycleCompleted(account, { attributeKey: KEY, changeId, completedAt: at })!;
        expect(account.lifecycle[KEY]!.completionIds).toEqual(['cA', 'cB']);
        for (const changeId of order) expect(applyLifecycleCompleted(account, { attributeKey: KEY, changeId, completedAt: at })).toBeNull();
      }
    });
  });
});
