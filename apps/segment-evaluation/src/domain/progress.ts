import type { AccountProjection, AttributeProjection, AttributeTransition } from './account-projection';
import { attributeOf, daysFromMs, msInStage } from './account-projection';
import type { CatalogStage } from './criteria-validation';
import { SegmentError, SegmentErrorCode } from './segment-errors';

/**
 * S4 progress view: the accounts of a segment grouped by their stage of one attribute, in
 * stage order, plus "None", with day statistics per group — now, or `asOf` a past date by
 * replaying the attribute's transitions (history is the source of truth, L11).
 * `canceled` is the account's current flag, also for `asOf` (there is no cancel history).
 * Segment membership itself is taken as given (today's members), also for `asOf`.
 */

export interface ProgressItem {
  accountId: string;
  canceled: boolean;
  /** The account's state of the attribute; absent = never had a value. */
  state: AttributeProjection | null | undefined;
}

export interface DayStatistics {
  /** Accounts the figures are computed from (non-canceled, with a known clock). */
  accounts: number;
  /** Rounded to 2 decimals. */
  avg: number | null;
  median: number | null;
  max: number | null;
}

export interface ProgressGroup {
  /** null = the "None" group (no value). */
  stageId: string | null;
  name: string;
  order: number | null;
  endStage: boolean;
  disabled: boolean;
  /** False for a stage id the catalog does not (or no longer) know; such groups come after the known ones. */
  known: boolean;
  count: number;
  accountIds: string[];
  /** Whole days in the current stage (L9); canceled accounts are counted but not measured (L10). */
  daysInStage: DayStatistics;
}

export interface ProgressBoard {
  /** The instant the board describes: `asOf` or `now`. */
  at: Date;
  asOf: Date | null;
  total: number;
  groups: ProgressGroup[];
}

export const NONE_GROUP_NAME = 'None';

export function progressItemOf(account: AccountProjection, attributeKey: string): ProgressItem {
  return { accountId: account._id, canceled: account.canceled, state: attributeOf(account, attributeKey) };
}

export function progressBoard(stages: readonly CatalogStage[], items: Iterable<ProgressItem>, now: Date, asOf?: Date): ProgressBoard {
  const builder = new ProgressBoardBuilder(stages, now, asOf);
  for (const item of items) builder.add(item);
  return builder.build();
}

/**
 * The board folded one account at a time, in any order, in memory bounded by the number of
 * groups and distinct day values — not by the number of accounts (a board over 1M accounts is
 * one pass over a cursor): per group the count, the `accountIdsPerGroup` smallest ids, and a
 * histogram of whole days (L9: integers, so the median from it is exact).
 */
export class ProgressBoardBuilder {
  private readonly ordered: CatalogStage[];
  private readonly groups = new Map<string | null, GroupAccumulator>();
  private readonly none: GroupAccumulator;
  private readonly unknown = new Map<string, GroupAccumulator>();
  private total = 0;

  constructor(
    stages: readonly CatalogStage[],
    private readonly now: Date,
    private readonly asOf?: Date,
    /** Ids listed per group (the smallest); counts and statistics always cover every account. */
    private readonly accountIdsPerGroup = Number.POSITIVE_INFINITY,
  ) {
    if (asOf !== undefined && (Number.isNaN(asOf.getTime()) || asOf.getTime() > now.getTime())) {
      throw new SegmentError(SegmentErrorCode.InvalidAsOf, `asOf must be a valid date not after now (${now.toISOString()})`);
    }
    this.ordered = [...stages].sort((a, b) => a.order - b.order);
    for (const stage of this.ordered) {
      this.groups.set(
        stage.id,
        new GroupAccumulator(emptyGroup(stage.id, stage.name, stage.order, stage.endStage, stage.disabled, true), accountIdsPerGroup),
      );
    }
    this.none = new GroupAccumulator(emptyGroup(null, NONE_GROUP_NAME, null, false, false, true), accountIdsPerGroup);
  }

  add(item: ProgressItem): void {
    this.total += 1;
    const { stageId, ms } =
      this.asOf === undefined ? currentPosition(item.state, this.now) : pastPosition(this.ordered, item.state, this.asOf);
    let bucket = stageId === null ? this.none : this.groups.get(stageId);
    if (bucket === undefined && stageId !== null) {
      bucket =
        this.unknown.get(stageId) ?? new GroupAccumulator(emptyGroup(stageId, stageId, null, false, false, false), this.accountIdsPerGroup);
      this.unknown.set(stageId, bucket);
    }
    if (bucket === undefined) return;
    // L10: canceled accounts stay in their stage but have no "Days in" values.
    bucket.add(item.accountId, stageId !== null && !item.canceled && ms !== null ? daysFromMs(ms) : null);
  }

  build(): ProgressBoard {
    const unknown = [...this.unknown.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, b]) => b);
    return {
      at: new Date((this.asOf ?? this.now).getTime()),
      asOf: this.asOf === undefined ? null : new Date(this.asOf.getTime()),
      total: this.total,
      groups: [...this.groups.values(), ...unknown, this.none].map((g) => g.build()),
    };
  }
}

class GroupAccumulator {
  private count = 0;
  private ids: string[] = [];
  /** whole days → accounts */
  private readonly days = new Map<number, number>();

  constructor(
    private readonly group: ProgressGroup,
    private readonly idLimit: number,
  ) {}

  add(accountId: string, days: number | null): void {
    this.count += 1;
    if (this.idLimit > 0) {
      this.ids.push(accountId);
      // Amortized: sort and cut only when twice the limit has piled up.
      if (this.ids.length >= 2 * this.idLimit) this.ids = sortedIds(this.ids).slice(0, this.idLimit);
    }
    if (days !== null) this.days.set(days, (this.days.get(days) ?? 0) + 1);
  }

  build(): ProgressGroup {
    return { ...this.group, count: this.count, accountIds: sortedIds(this.ids).slice(0, this.idLimit), daysInStage: statistics(this.days) };
  }
}

function sortedIds(ids: string[]): string[] {
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function emptyGroup(
  stageId: string | null,
  name: string,
  order: number | null,
  endStage: boolean,
  disabled: boolean,
  known: boolean,
): ProgressGroup {
  return { stageId, name, order, endStage, disabled, known, count: 0, accountIds: [], daysInStage: statistics(new Map()) };
}

function currentPosition(state: AttributeProjection | null | undefined, now: Date): { stageId: string | null; ms: number | null } {
  const stageId = state?.stageId ?? null;
  return { stageId, ms: state === null || state === undefined || stageId === null ? null : msInStage(state, now) };
}

function pastPosition(
  stages: readonly CatalogStage[],
  state: AttributeProjection | null | undefined,
  asOf: Date,
): { stageId: string | null; ms: number | null } {
  const replayed = replayAttributeState(stages, state?.transitions ?? [], asOf);
  return { stageId: replayed.stageId, ms: replayed.msInStage };
}

/** Statistics from a histogram of whole days (avg rounded to 2 decimals; the median of an even count is the mean of the middle two). */
function statistics(histogram: ReadonlyMap<number, number>): DayStatistics {
  const entries = [...histogram.entries()].sort(([a], [b]) => a - b);
  const accounts = entries.reduce((n, [, count]) => n + count, 0);
  if (accounts === 0) return { accounts: 0, avg: null, median: null, max: null };
  const sum = entries.reduce((acc, [days, count]) => acc + days * count, 0);
  const nth = (n: number): number => {
    let seen = 0;
    for (const [days, count] of entries) {
      seen += count;
      if (n < seen) return days;
    }
    return entries[entries.length - 1]?.[0] ?? 0;
  };
  const middle = Math.floor(accounts / 2);
  const median = accounts % 2 === 1 ? nth(middle) : (nth(middle - 1) + nth(middle)) / 2;
  return {
    accounts,
    avg: Math.round((sum / accounts) * 100) / 100,
    median,
    max: entries[entries.length - 1]?.[0] ?? null,
  };
}

// ---------------------------------------------------------------------------------------------

/** The state of one attribute at an instant, rebuilt from its transitions. */
export interface ReplayedAttributeState {
  stageId: string | null;
  cycle: number;
  completedCycles: number;
  running: boolean;
  /** ms in the current stage in the current cycle at the instant; null without a value. */
  msInStage: number | null;
  /** ms of the current cycle at the instant; null without a value. */
  msInAttribute: number | null;
}

/**
 * Replays the "Days in" rules over the transitions with `at <= instant` (in time order; equal
 * times keep their given order):
 * - L2 a value set on an empty attribute starts a new cycle, clocks from zero;
 * - L3 forward / sideways (target order ≥ current): the current stage's time is kept, the
 *   target's clock resumes from what it had in this cycle;
 * - L4 back (target order < current): the target's time in this cycle restarts from zero;
 * - L5 an end stage stops both clocks and completes the cycle; the values freeze (the end
 *   stage itself never runs, so its "days in stage" is 0);
 * - L6 leaving an end stage for a non-end stage starts a new cycle; end → end starts nothing;
 * - L7 clearing (to = null, or a stage id `stages` does not have: "the stage removed")
 *   empties the value and drops the running cycle's counters;
 * - L8 a transition to the current value changes nothing.
 * Only `to` is trusted (`from` is implied by the replay). A value set directly to an end stage
 * starts a cycle that is completed at once. These are the decisions of status-tracking's fold
 * (`apps/status-tracking/src/domain/lifecycle-fold.ts`), which this replay mirrors.
 */
export function replayAttributeState(
  stages: readonly CatalogStage[],
  transitions: readonly AttributeTransition[],
  instant: Date,
): ReplayedAttributeState {
  const byId = new Map(stages.map((s) => [s.id, s]));
  const until = instant.getTime();
  const ordered = transitions
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.at instanceof Date && t.at.getTime() <= until)
    .sort((a, b) => a.t.at.getTime() - b.t.at.getTime() || a.i - b.i);

  let stageId: string | null = null;
  let cycle = 0;
  let completedCycles = 0;
  let running = false;
  let enteredAt = 0;
  let cycleStartedAt = 0;
  let frozenStageMs = 0;
  let frozenAttributeMs = 0;
  const stageMs = new Map<string, number>();

  const isEnd = (id: string): boolean => byId.get(id)?.endStage === true;
  const startCycle = (to: string, at: number): void => {
    cycle += 1;
    stageMs.clear();
    stageId = to;
    cycleStartedAt = at;
    if (isEnd(to)) complete(at);
    else {
      running = true;
      enteredAt = at;
    }
  };
  const complete = (at: number): void => {
    completedCycles += 1;
    running = false;
    frozenStageMs = stageId === null ? 0 : (stageMs.get(stageId) ?? 0);
    frozenAttributeMs = at - cycleStartedAt;
  };

  for (const { t } of ordered) {
    const to = t.to !== null && byId.has(t.to) ? t.to : null;
    const at = t.at.getTime();
    const current: string | null = stageId;
    if (to === current) continue; // L8
    if (to === null) {
      // L7
      stageId = null;
      running = false;
      stageMs.clear();
      continue;
    }
    if (current === null) {
      startCycle(to, at); // L2
      continue;
    }
    if (!running) {
      // Sitting in an end stage.
      if (isEnd(to))
        stageId = to; // L6: end → end starts nothing
      else startCycle(to, at); // L6
      continue;
    }
    stageMs.set(current, (stageMs.get(current) ?? 0) + (at - enteredAt));
    stageId = to;
    if (isEnd(to)) {
      complete(at); // L5
      continue;
    }
    const fromOrder = byId.get(current)?.order ?? Number.NEGATIVE_INFINITY;
    if ((byId.get(to)?.order ?? 0) < fromOrder) stageMs.set(to, 0); // L4
    enteredAt = at; // L3 / L4: the target's clock (re)starts from its kept time
  }

  const finalStage: string | null = stageId;
  if (finalStage === null) {
    return { stageId: null, cycle, completedCycles, running: false, msInStage: null, msInAttribute: null };
  }
  return {
    stageId: finalStage,
    cycle,
    completedCycles,
    running,
    msInStage: running ? (stageMs.get(finalStage) ?? 0) + (until - enteredAt) : frozenStageMs,
    msInAttribute: running ? until - cycleStartedAt : frozenAttributeMs,
  };
}
