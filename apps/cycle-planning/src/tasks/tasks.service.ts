import { Injectable } from '@nestjs/common';
import { AccountRepository } from '../accounts/account.repository';
import { AccountCyclesRepository, type AccountCyclesRecord } from '../cycles/account-cycles.repository';
import { PlayFiringRepository } from '../plays/play-firing.repository';
import {
  compareOpenItems,
  openPlayTaskItems,
  playTaskOf,
  type PlayTask,
  CycleError,
  CycleErrorCode,
  mapCycleItems,
  openItems,
  startOfUtcDay,
  type AccountCycle,
  type CycleTask,
  type OpenItem,
  type OpenItemsFilter,
} from '../domain';

export interface TasksQuery {
  accountId?: string;
  ownerId?: string;
  overdue?: boolean;
  dueBefore?: Date;
  page: number;
  pageSize: number;
  maxRowsDeep: number;
}

export interface TasksPage {
  items: OpenItem[];
  page: number;
  pageSize: number;
  total: number;
}

const SCAN_PAGE = 200;

/**
 * C9: open activities and tasks across the concurrent cycles of every account, sorted by due date.
 *
 * How: the account documents that may hold matching rows are found by their derived fields (some
 * open item; the owner has an open task; the earliest open due date is before the date bound),
 * read by `_id` in pages, and their rows computed by the domain's `openItems`, keeping only the
 * first `page × pageSize` rows in sort order. Limits: every request reads all candidate accounts
 * (fine for thousands, filters narrow it), and `page × pageSize` is capped (`maxRowsDeep`).
 * Canceled accounts are left out unless asked for by `accountId`. A task without an owner of its
 * own counts as the account owner's.
 *
 * The open one-off tasks of plays (P1) come from `play_firings` (filtered there by account, owner
 * and due day) and are merged into the same order; a play task's owner is the one it was given
 * when the play fired.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly cycles: AccountCyclesRepository,
    private readonly firings: PlayFiringRepository,
    private readonly accounts: AccountRepository,
  ) {}

  async list(query: TasksQuery, now = new Date()): Promise<TasksPage> {
    const keep = query.page * query.pageSize;
    if (keep > query.maxRowsDeep) {
      throw new CycleError(
        CycleErrorCode.InvalidCycleInput,
        `page × pageSize may be at most ${query.maxRowsDeep}; narrow the filters (account, owner, dueBefore) instead of paging that deep`,
        { page: query.page, pageSize: query.pageSize },
      );
    }
    const filter: OpenItemsFilter = {
      now,
      ...(query.accountId === undefined ? {} : { accountId: query.accountId }),
      ...(query.ownerId === undefined ? {} : { ownerId: query.ownerId }),
      ...(query.overdue === undefined ? {} : { overdue: query.overdue }),
      ...(query.dueBefore === undefined ? {} : { dueBefore: query.dueBefore }),
    };
    let kept: OpenItem[] = [];
    let total = 0;
    const take = (records: readonly AccountCyclesRecord[]) => {
      const rows = openItems(records.flatMap(withAccountOwner), filter);
      total += rows.length;
      if (rows.length === 0) return;
      kept = [...kept, ...rows].sort(compareOpenItems).slice(0, keep);
    };

    const bounds = [query.overdue === true ? startOfUtcDay(now) : null, query.dueBefore ? startOfUtcDay(query.dueBefore) : null].filter(
      (d): d is Date => d !== null,
    );
    const dueBefore = bounds.length === 0 ? undefined : new Date(Math.min(...bounds.map((d) => d.getTime())));
    const playRows = openPlayTaskItems(await this.openPlayTasks(query, dueBefore), filter);
    total += playRows.length;
    kept = playRows.slice(0, keep);

    if (query.accountId !== undefined) {
      const record = await this.cycles.get(query.accountId);
      if (record !== undefined) take([record]);
    } else {
      for (let after: string | null = null; ;) {
        const page = await this.cycles.pageWithOpenItems(
          { ...(query.ownerId === undefined ? {} : { ownerId: query.ownerId }), ...(dueBefore === undefined ? {} : { dueBefore }) },
          after,
          SCAN_PAGE,
        );
        if (page.length === 0) break;
        take(page);
        after = page[page.length - 1]!.accountId;
      }
    }
    return { items: kept.slice((query.page - 1) * query.pageSize), page: query.page, pageSize: query.pageSize, total };
  }

  /** The open play tasks the query may list; without `accountId`, those of canceled accounts are left out. */
  private async openPlayTasks(query: TasksQuery, dueBefore: Date | undefined): Promise<PlayTask[]> {
    const firings = await this.firings.openTasks({
      ...(query.accountId === undefined ? {} : { accountId: query.accountId }),
      ...(query.ownerId === undefined ? {} : { ownerId: query.ownerId }),
      ...(dueBefore === undefined ? {} : { dueBefore: dueBefore.toISOString().slice(0, 10) }),
    });
    const tasks = firings.map(playTaskOf).filter((task): task is PlayTask => task !== null);
    if (query.accountId !== undefined || tasks.length === 0) return tasks;
    const facts = await this.accounts.getMany([...new Set(tasks.map((task) => task.accountId))]);
    return tasks.filter((task) => facts.get(task.accountId)?.canceled !== true);
  }
}

/** Tasks without an owner of their own are the account owner's (read time: follows owner changes). */
function withAccountOwner(record: AccountCyclesRecord): AccountCycle[] {
  const ownerId = record.ownerId;
  if (ownerId === null) return record.cycles;
  return record.cycles.map((cycle) =>
    mapCycleItems(cycle, (item, kind) => (kind === 'task' && (item as CycleTask).ownerId === undefined ? { ...item, ownerId } : item)),
  );
}
