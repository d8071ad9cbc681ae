import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { AccountCyclesRepository, type StoredAccountCycles } from '../cycles/account-cycles.repository';
import { AccountCyclesWriter, unchanged, type CycleChange, type CycleChangeContext } from '../cycles/account-cycles.writer';
import { ownersByRoleOf } from '../cycles/cycle-assignment';
import { awaitsVersion } from '../cycles/cycle-query-fields';
import { CycleCompletionService } from '../cycles/cycle-completion.service';
import { CycleEvents } from '../cycles/cycle-events';
import { applyTemplateEdit, awaitsPropagation, templateEdit, type CycleEvent, type CycleTemplate, type TemplateEdit } from '../domain';
import { CycleTemplateRepository } from '../templates/cycle-template.repository';
import type { PropagateTemplateJobData, PropagateTemplateJobResult } from './cycle-jobs';
import { YIELDED, type JobHooks } from './job-hooks';

/**
 * Accounts changed together: one page of the pass, one bulk write, one producer send, one
 * checkpoint. Memory holds the pages in flight (encoded documents and writes, not decoded cycles)
 * and the events of at most `PAGES_IN_FLIGHT` pages waiting for the broker.
 */
export const PROPAGATION_CHUNK = 500;
/**
 * Pages of a pass in flight at once: while one is being written (the database's work) the next is
 * read and decided (this process's), so both keep busy. A third measured no faster
 * (docs/benchmarks.md, "Template propagation").
 */
export const PAGES_IN_FLIGHT = 2;
/** A pass normally finds nothing after the first; more than this means a write keeps failing silently. */
const MAX_PASSES = 10;

interface Counts {
  updated: number;
  changed: number;
}

/**
 * C10: applies a saved template version to every active cycle of the template.
 *
 * A pass streams the accounts running the template on another version
 * (`AccountCyclesRepository.streamAwaitingVersion`: a single cursor, no sort, no query per page;
 * an account already reached does not come back) and changes them `PROPAGATION_CHUNK` at a time as
 * they arrive (`AccountCyclesWriter.changeMany`): under the accounts' locks, each account decided
 * from the document as streamed (`applyTemplateEdit` on each cycle still on an older version, the
 * events in its outbox), one bulk write by `_id` that finds a document changed since it was
 * streamed (that account is decided again from a fresh read), the events published in one send
 * without reading the documents again. Where a bulk write cannot find that (the embedded FerretDB)
 * the page's documents are read again by `_id` under the locks. The next page is read while the
 * current one is decided, publishes run beside the changes, and the counts are saved in the job
 * after every page. Every step costs the same per account whatever their number (on the embedded
 * engines only an exact `_id` is served by an index): each document is read once, written once,
 * and its outbox emptied once. Passes repeat until one finds nothing to do, which also catches an
 * account that started running an older version meanwhile (an assignment that read the template
 * just before the edit); that last pass is one count on the server.
 *
 * Resuming (after a shutdown, a crash or an outage) is the same: the pass skips the accounts already
 * on the version, so nothing is done twice and no position is kept or looked up (on the embedded
 * engines a position query, `_id > cursor` sorted, reads and sorts the collection for every page;
 * the pass reads it once per resumption).
 * Events: `cycle.due-dates-recalculated` (reason `template-edited`) for each cycle the edit
 * changed, and the roll-up (stage/cycle completed, C8 chaining) when a removal completed something.
 */
@Injectable()
export class TemplatePropagationRunner {
  private readonly events: CycleEvents;

  constructor(
    private readonly templates: CycleTemplateRepository,
    private readonly cycles: AccountCyclesRepository,
    private readonly writer: AccountCyclesWriter,
    private readonly completion: CycleCompletionService,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.events = new CycleEvents(config.serviceName);
  }

  async run(
    data: PropagateTemplateJobData,
    hooks: JobHooks<PropagateTemplateJobData>,
  ): Promise<PropagateTemplateJobResult | typeof YIELDED> {
    const next = await this.templates.getVersion(data.templateId, data.version);
    if (next === undefined) throw new UnrecoverableError(`template ${data.templateId} has no version ${data.version}`);
    // The merge is between each cycle and the new version; the previous version is only checked.
    const previous = (await this.templates.getVersion(data.templateId, data.version - 1)) ?? { ...next, version: data.version - 1 };
    const state: Required<PropagateTemplateJobData> = {
      templateId: data.templateId,
      version: data.version,
      total: data.total ?? 0,
      accountsDone: data.accountsDone ?? 0,
      cyclesUpdated: data.cyclesUpdated ?? 0,
      cyclesChanged: data.cyclesChanged ?? 0,
    };
    const edit = templateEdit(previous, next);
    const decide = (ctx: CycleChangeContext) => this.decide(ctx, edit);

    for (let pass = 1; ; pass++) {
      if (hooks.shouldYield()) return YIELDED;
      // An upper bound: accounts already on a newer version are counted too (and skipped).
      const remaining = await this.cycles.countAwaitingVersion(next.id, next.version);
      if (remaining === 0) break;
      state.total = Math.max(state.total, state.accountsDone + remaining);
      await hooks.checkpoint(state, progressOf(state));
      const found = await this.pass(edit, state, hooks, decide);
      if (found === YIELDED) return YIELDED;
      if (found === 0) break;
      if (pass === MAX_PASSES) throw new Error(`accounts still not on ${next.id} v${next.version} after ${MAX_PASSES} passes`);
    }
    state.total = state.accountsDone;
    await hooks.checkpoint(state, progressOf(state));
    await this.templates.markPropagated(data.templateId, data.version);
    return {
      templateId: data.templateId,
      version: data.version,
      accounts: state.accountsDone,
      cyclesUpdated: state.cyclesUpdated,
      cyclesChanged: state.cyclesChanged,
    };
  }

  /**
   * One pass over the accounts still to reach; returns how many it changed. `PAGES_IN_FLIGHT`
   * pages are changed at once (one written while the next is read and decided), and the events of
   * as many pages at most are being published beside them; pages complete (counts, checkpoint) in
   * the order they came. A pass that returns (or pauses) leaves no publish behind it: a shutdown
   * would cut one short (published, but still in the outbox: sent again after the restart).
   */
  private async pass(
    edit: TemplateEdit,
    state: Required<PropagateTemplateJobData>,
    hooks: JobHooks<PropagateTemplateJobData>,
    decide: (ctx: CycleChangeContext) => Promise<CycleChange<Counts>>,
  ): Promise<number | typeof YIELDED> {
    let found = 0;
    let previous: Promise<void> = Promise.resolve();
    /** Pages being changed, and pages whose events are being published, oldest first. */
    const changing: Promise<void>[] = [];
    const publishing: Promise<void>[] = [];
    const complete = async (accountIds: string[], changed: Promise<Counts[]>, before: Promise<void>): Promise<void> => {
      const [results] = await Promise.all([changed, before]);
      for (const counts of results) {
        state.cyclesUpdated += counts.updated;
        state.cyclesChanged += counts.changed;
      }
      state.accountsDone += accountIds.length;
      state.total = Math.max(state.total, state.accountsDone);
      publishing.push(this.writer.published(accountIds));
      await hooks.checkpoint(state, progressOf(state));
    };
    const settled = async (): Promise<void> => {
      await previous;
      await Promise.all(publishing);
    };
    try {
      for await (const page of readAhead(this.cycles.streamAwaitingVersion(edit.next.id, edit.next.version, PROPAGATION_CHUNK))) {
        if (hooks.shouldYield()) {
          await settled();
          return YIELDED;
        }
        const records = page.filter((stored) => stillAwaits(stored, edit.next));
        if (records.length === 0) continue;
        found += records.length;
        const accountIds = records.map((record) => record.accountId);
        const changed = this.writer.changeMany(accountIds, decide, { records: new Map(records.map((r) => [r.accountId, r])) });
        previous = complete(accountIds, changed, previous);
        previous.catch(() => undefined); // awaited below
        changing.push(previous);
        while (changing.length >= PAGES_IN_FLIGHT) await changing.shift();
        while (publishing.length > PAGES_IN_FLIGHT) await publishing.shift();
      }
      await settled();
    } catch (e) {
      await Promise.allSettled([previous, ...publishing]); // nothing of this pass still runs when the job fails
      throw e;
    }
    return found;
  }

  /** One account: every active cycle of the template still on an older version. */
  private async decide(
    { accountId, cycles, account, dueDates, now }: CycleChangeContext,
    edit: TemplateEdit,
  ): Promise<CycleChange<Counts>> {
    let updated = 0;
    let changed = 0;
    const events: AnyEnvelope[] = [];
    const rolledUp: { cycleId: string; events: CycleEvent[] }[] = [];
    const merged = cycles.map((cycle) => {
      if (!awaitsPropagation(cycle, edit.next)) return cycle;
      const result = applyTemplateEdit(edit, cycle, {
        subscription: account?.subscription ?? null,
        ownersByRole: ownersByRoleOf(account),
        calendar: dueDates.calendar,
        stageEntries: dueDates.stageEntries,
      });
      if (!result.reached) return cycle;
      updated++;
      const { added, renamed, removed } = result.changes;
      if (added.length + renamed.length + removed.length > 0) {
        changed++;
        events.push(this.events.dueDatesRecalculated(result.cycle, 'template-edited', now));
      }
      if (result.events.length > 0) rolledUp.push({ cycleId: cycle.cycleId, events: result.events });
      return result.cycle;
    });
    if (updated === 0) return unchanged({ updated, changed });
    const outcome = await this.completion.follow(merged, rolledUp, { accountId, account, dueDates, now, events: this.events });
    return { cycles: outcome.cycles, events: [...events, ...outcome.events], result: { updated, changed } };
  }
}

/**
 * The pages of `source`, each next one asked for as soon as the previous is handed over: the
 * database reads it while this one is decided. Stops the source when the caller stops.
 */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const result = await next;
      if (result.done === true) return;
      next = source.next();
      next.catch(() => undefined); // awaited on the next turn, or dropped when the caller stops
      yield result.value;
    }
  } finally {
    await next.catch(() => undefined);
    await source.return(undefined);
  }
}

/**
 * The document has an active cycle of the template on an older version: told by its derived
 * `activeTemplateVersions`, or by its cycles where it lacks them.
 */
function stillAwaits(stored: StoredAccountCycles, template: CycleTemplate): boolean {
  if (stored.activeTemplateVersions !== undefined) return awaitsVersion(stored.activeTemplateVersions, template.id, template.version);
  return stored.record().cycles.some((cycle) => awaitsPropagation(cycle, template));
}

function progressOf(state: Required<PropagateTemplateJobData>): Record<string, unknown> {
  return {
    templateId: state.templateId,
    version: state.version,
    processed: state.accountsDone,
    total: state.total,
    percent: state.total === 0 ? 100 : Math.min(100, Math.round((state.accountsDone / state.total) * 100)),
    cyclesUpdated: state.cyclesUpdated,
    cyclesChanged: state.cyclesChanged,
  };
}
