import { currentCountersAt, daysFromMs, stagesInOrder, stateAsOf, type SlaStatus } from '@lifecycle/rules';
import type { AccountProjection, AttributeProjection, AttributeTransition } from './account-projection';
import { attributeOf, historyOf, msInStage } from './account-projection';
import type { CatalogStage } from './criteria-validation';
import { SegmentError, SegmentErrorCode } from './segment-errors';
import { businessReadingAt, type BusinessContext } from './business-context';

/**
 * S4 progress view: the accounts of a segment grouped by their stage of one attribute, in
 * stage order, plus "None", with day statistics per group — now, from the projection's clocks,
 * or `asOf` a past date by folding the attribute's transitions with the "Days in" rules
 * (history is the source of truth, L11).
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
  /** B3: the group's accounts by the SLA status of their stage (`none` ones are not counted: no SLA, canceled). */
  sla: SlaCounts;
}

export interface SlaCounts {
  onTrack: number;
  atRisk: number;
  overdue: number;
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
    /** B3: the SLA statuses of `asOf` boards are read from the transitions with this (attribute, context). */
    private readonly business?: { attributeKey: string; context: BusinessContext },
  ) {
    if (asOf !== undefined && (Number.isNaN(asOf.getTime()) || asOf.getTime() > now.getTime())) {
      throw new SegmentError(SegmentErrorCode.InvalidAsOf, `asOf must be a valid date not after now (${now.toISOString()})`);
    }
    this.ordered = stagesInOrder(stages);
    for (const stage of this.ordered) {
      this.groups.set(
        stage.id,
        new GroupAccumulator(emptyGroup(stage.id, stage.name, stage.order, stage.endStage, stage.disabled, true), accountIdsPerGroup),
      );
    }
    this.none = new GroupAccumulator(emptyGroup(null, NONE_GROUP_NAME, null, false, false, true), accountIdsPerGroup);
  }

  add(item: ProgressItem): void {
    const { stageId, ms } =
      this.asOf === undefined ? currentPosition(item.state, this.now) : pastPosition(this.ordered, item.state, this.asOf);
    this.addPosition(item.accountId, item.canceled, stageId, ms);
  }

  /** `asOf` boards: one account by its transitions of the attribute (replayed up to `asOf`). */
  addTransitions(
    accountId: string,
    canceled: boolean,
    transitions: readonly AttributeTransition[],
    calendarKey: string | null = null,
  ): void {
    if (this.asOf === undefined) {
      this.addPosition(accountId, canceled, null, null);
      return;
    }
    const { stageId, ms } = pastPosition(this.ordered, { transitions } as Pick<AttributeProjection, 'transitions'>, this.asOf);
    const sla =
      this.business === undefined
        ? 'none'
        : businessReadingAt(this.business.context, this.business.attributeKey, transitions, calendarKey, canceled, this.asOf).sla;
    this.addPosition(accountId, canceled, stageId, ms, sla);
  }

  /**
   * One account already placed: its stage at the board's instant, its exact ms in it (null =
   * unknown) and the SLA status of that stage (B3).
   */
  addPosition(accountId: string, canceled: boolean, stageId: string | null, ms: number | null, sla: SlaStatus = 'none'): void {
    this.total += 1;
    // L10: canceled accounts stay in their stage but have no "Days in" values.
    this.bucketOf(stageId).add(
      accountId,
      stageId !== null && !canceled && ms !== null ? daysFromMs(ms) : null,
      stageId === null ? 'none' : sla,
    );
  }

  private bucketOf(stageId: string | null): GroupAccumulator {
    if (stageId === null) return this.none;
    let bucket = this.groups.get(stageId) ?? this.unknown.get(stageId);
    if (bucket === undefined) {
      bucket = new GroupAccumulator(emptyGroup(stageId, stageId, null, false, false, false), this.accountIdsPerGroup);
      this.unknown.set(stageId, bucket);
    }
    return bucket;
  }

  /**
   * A group already counted elsewhere (the evaluation index): `count` accounts at `stageId`, the
   * group's smallest ids among `accountIds`, and the whole days of its measured accounts
   * (days → accounts; canceled accounts and unknown clocks already left out, L10).
   */
  addGroup(stageId: string | null, count: number, accountIds: readonly string[], days: ReadonlyMap<number, number>): void {
    this.total += count;
    const bucket = this.bucketOf(stageId);
    bucket.addIds(accountIds);
    bucket.addCounted(count, stageId === null ? new Map() : days);
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
  private cutoff: string | null = null;
  /** whole days → accounts */
  private readonly days = new Map<number, number>();
  private readonly sla: SlaCounts = { onTrack: 0, atRisk: 0, overdue: 0 };

  constructor(
    private readonly group: ProgressGroup,
    private readonly idLimit: number,
  ) {}

  add(accountId: string, days: number | null, sla: SlaStatus): void {
    this.count += 1;
    if (sla === 'on-track') this.sla.onTrack += 1;
    else if (sla === 'at-risk') this.sla.atRisk += 1;
    else if (sla === 'overdue') this.sla.overdue += 1;
    this.addId(accountId);
    if (days !== null) this.days.set(days, (this.days.get(days) ?? 0) + 1);
  }

  addIds(accountIds: readonly string[]): void {
    for (const id of accountIds) this.addId(id);
  }

  /** `count` accounts whose ids were given apart, `days` their histogram of whole days. */
  addCounted(count: number, days: ReadonlyMap<number, number>): void {
    this.count += count;
    for (const [d, n] of days) this.days.set(d, (this.days.get(d) ?? 0) + n);
  }

  private addId(accountId: string): void {
    // An id after the largest one kept at the last cut can never be among the smallest.
    if (this.idLimit > 0 && (this.cutoff === null || accountId < this.cutoff)) {
      this.ids.push(accountId);
      // Amortized: sort and cut only when twice the limit has piled up.
      if (this.ids.length >= 2 * this.idLimit) {
        this.ids = sortedIds(this.ids).slice(0, this.idLimit);
        this.cutoff = this.ids[this.ids.length - 1] ?? null;
      }
    }
  }

  build(): ProgressGroup {
    return {
      ...this.group,
      count: this.count,
      accountIds: sortedIds(this.ids).slice(0, this.idLimit),
      daysInStage: statistics(this.days),
      sla: { ...this.sla },
    };
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
  return {
    stageId,
    name,
    order,
    endStage,
    disabled,
    known,
    count: 0,
    accountIds: [],
    daysInStage: statistics(new Map()),
    sla: { onTrack: 0, atRisk: 0, overdue: 0 },
  };
}

function currentPosition(state: AttributeProjection | null | undefined, now: Date): { stageId: string | null; ms: number | null } {
  const stageId = state?.stageId ?? null;
  return { stageId, ms: state === null || state === undefined || stageId === null ? null : msInStage(state, now) };
}

function pastPosition(
  stages: readonly CatalogStage[],
  state: Pick<AttributeProjection, 'transitions'> | null | undefined,
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
 * L11: the "Days in" rules (`@lifecycle/rules`) over the transitions with `at <= instant`, read
 * at the instant. A stage id `stages` does not have clears the value (L7, "the stage removed").
 */
export function replayAttributeState(
  stages: readonly CatalogStage[],
  transitions: readonly AttributeTransition[],
  instant: Date,
): ReplayedAttributeState {
  const state = stateAsOf(stages, historyOf(transitions), instant);
  const counters = currentCountersAt(state, instant);
  return {
    stageId: state.stageId,
    cycle: state.cycle,
    completedCycles: state.completedCycles,
    running: state.stageId !== null && !state.completed,
    msInStage: counters.msInStage,
    msInAttribute: counters.msInAttribute,
  };
}
