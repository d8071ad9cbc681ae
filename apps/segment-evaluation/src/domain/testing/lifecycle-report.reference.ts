import {
  calendarMs,
  sortHistory,
  stageMsAtIntervalEnds,
  stagesInOrder,
  traceCycles,
  type CycleTrace,
  type HistoryEntry,
} from '@lifecycle/rules';
import type { AttributeTransition } from '../account-projection';
import { historyOf } from '../account-projection';
import type { CatalogStage } from '../criteria-validation';
import { durationStatistics, timelinePoints, type LifecycleReport, type ReportQuery, type StageReport } from '../lifecycle-report';

/**
 * The lifecycle report's definition written plainly, as the oracle of the property tests: each
 * history sorted, traced by `traceCycles` and measured by `stageMsAtIntervalEnds` of
 * `@lifecycle/rules`, the figures kept in maps. `LifecycleReportBuilder` must answer the same.
 */
export class TracedReportBuilder {
  private readonly byId: Map<string, CatalogStage>;
  private readonly ordered: CatalogStage[];
  private readonly points: Date[];
  private readonly pointCounts: Map<string | null, number>[];
  private readonly atTo = new Map<string | null, number>();
  private readonly entered = new Map<string, number>();
  private readonly advanced = new Map<string, number>();
  private readonly stageSamples = new Map<string, number[]>();
  private readonly cycleSamples: number[] = [];
  private readonly cycles = { inScope: 0, completed: 0, running: 0, cleared: 0, restarted: 0, movedBack: 0 };
  private accounts = 0;

  constructor(private readonly query: ReportQuery) {
    this.ordered = stagesInOrder(query.stages);
    this.byId = new Map(this.ordered.map((s) => [s.id, s]));
    this.points = timelinePoints(query.from, query.to, query.interval);
    this.pointCounts = this.points.map(() => new Map());
  }

  add(transitions: readonly AttributeTransition[]): void {
    const to = this.query.to.getTime();
    // As of `to`: what happened before it (L11).
    const history = sortHistory(historyOf(transitions).filter((entry) => entry.at.getTime() < to));
    if (history.length === 0) return;
    this.countTimeline(history);
    const inScope = traceCycles(this.query.stages, history).filter((c) => this.isInScope(c));
    if (inScope.length > 0) this.accounts += 1;
    for (const cycle of inScope) this.aggregate(cycle);
  }

  build(): LifecycleReport {
    const stages: StageReport[] = this.ordered.map((s) => {
      const entered = this.entered.get(s.id) ?? 0;
      const advanced = this.advanced.get(s.id) ?? 0;
      return {
        stageId: s.id,
        name: s.name,
        order: s.order,
        endStage: s.endStage,
        disabled: s.disabled,
        accounts: this.atTo.get(s.id) ?? 0,
        entered,
        advanced,
        conversion: s.endStage || entered === 0 ? null : Math.round((advanced / entered) * 10_000) / 10_000,
        days: durationStatistics(this.stageSamples.get(s.id) ?? []),
      };
    });
    return {
      attribute: this.query.attribute,
      from: new Date(this.query.from.getTime()),
      to: new Date(this.query.to.getTime()),
      interval: this.query.interval,
      accounts: this.accounts,
      accountsWithoutValue: this.atTo.get(null) ?? 0,
      cycles: { ...this.cycles },
      stages,
      cycleDays: durationStatistics(this.cycleSamples),
      timeline: this.points.map((at, i) => {
        const counts = this.pointCounts[i] ?? new Map<string | null, number>();
        return {
          at: new Date(at.getTime()),
          stages: Object.fromEntries(this.ordered.map((s) => [s.id, counts.get(s.id) ?? 0])),
          none: counts.get(null) ?? 0,
        };
      }),
    };
  }

  /**
   * The stage at each point (and at `to`) is the stage the last change before it set: an
   * unknown stage clears the value (L7) and a repeat keeps it (L8), so that is where the fold
   * stands. An account is on the timeline from its first change on ("None" = cleared).
   */
  private countTimeline(sorted: readonly HistoryEntry[]): void {
    const stageOf = (entry: HistoryEntry | undefined): string | null =>
      entry?.to !== undefined && entry.to !== null && this.byId.has(entry.to) ? entry.to : null;
    let index = 0;
    let stage: string | null | undefined = undefined;
    this.points.forEach((point, i) => {
      while (index < sorted.length && (sorted[index]?.at.getTime() ?? Infinity) < point.getTime()) {
        stage = stageOf(sorted[index]);
        index += 1;
      }
      const counts = this.pointCounts[i];
      if (counts !== undefined && stage !== undefined) counts.set(stage, (counts.get(stage) ?? 0) + 1);
    });
    const last = stageOf(sorted[sorted.length - 1]);
    this.atTo.set(last, (this.atTo.get(last) ?? 0) + 1);
  }

  private isInScope(cycle: CycleTrace): boolean {
    return (
      cycle.startedAt.getTime() < this.query.to.getTime() && (cycle.end === null || cycle.end.at.getTime() >= this.query.from.getTime())
    );
  }

  private aggregate(cycle: CycleTrace): void {
    const from = this.query.from.getTime();
    this.cycles.inScope += 1;
    if (cycle.end === null) this.cycles.running += 1;
    else if (cycle.end.kind === 'completed') {
      this.cycles.completed += 1;
      this.cycleSamples.push(calendarMs(cycle.startedAt, cycle.end.at));
    } else this.cycles.cleared += 1;
    // L6: restarts, L4: moves back, both in the window.
    if (cycle.restarted && cycle.startedAt.getTime() >= from) this.cycles.restarted += 1;
    this.cycles.movedBack += cycle.intervals.filter((interval) => interval.resets && interval.from.getTime() >= from).length;

    // Conversion: a stage advanced when a later entry of the cycle has a higher order.
    const orders = cycle.entered.map((id) => this.byId.get(id)?.order ?? Number.NEGATIVE_INFINITY);
    const laterMax: number[] = new Array<number>(orders.length).fill(Number.NEGATIVE_INFINITY);
    for (let i = orders.length - 2; i >= 0; i--)
      laterMax[i] = Math.max(laterMax[i + 1] ?? Number.NEGATIVE_INFINITY, orders[i + 1] ?? Number.NEGATIVE_INFINITY);
    const entered = new Set<string>();
    const advanced = new Set<string>();
    cycle.entered.forEach((id, i) => {
      entered.add(id);
      if ((laterMax[i] ?? Number.NEGATIVE_INFINITY) > (orders[i] ?? Number.NEGATIVE_INFINITY)) advanced.add(id);
    });
    for (const id of entered) this.entered.set(id, (this.entered.get(id) ?? 0) + 1);
    for (const id of advanced) this.advanced.set(id, (this.advanced.get(id) ?? 0) + 1);

    // Days per stage: the stage's counter (L3/L4) when its clock last stopped in the cycle; a
    // stretch still running at `to` is not measured.
    const counters = stageMsAtIntervalEnds(cycle.intervals, this.query.to);
    const leftMs = new Map<string, number>();
    cycle.intervals.forEach((interval, i) => {
      if (interval.to !== null) leftMs.set(interval.stageId, counters[i] ?? 0);
    });
    for (const [id, ms] of leftMs) {
      const samples = this.stageSamples.get(id) ?? [];
      samples.push(ms);
      this.stageSamples.set(id, samples);
    }
  }
}
