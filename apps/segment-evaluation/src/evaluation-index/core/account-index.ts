import {
  CodedFold,
  daysFromMs,
  indexCalendar,
  MS_PER_DAY,
  stageSlaAt,
  traceAt,
  workingDaysIn,
  zonedDay,
  StageCodes,
  type BusinessCalendar,
  type LifecycleStage,
  type SlaStage,
  type SlaStatus,
} from '@lifecycle/rules';
import { historyOf, type AttributeTransition } from '../../domain/account-projection';
import { businessReadingAt, EMPTY_BUSINESS_CONTEXT, type BusinessContext, type BusinessReading } from '../../domain/business-context';
import type { DayComparison, ResolvedCriteria, TimeWindow } from '../../domain/criteria';
import type { SegmentVerdict } from '../../domain/membership';
import { AttributeColumns, CLOCK_RUNNING, CLOCK_STOPPED } from './attribute-columns';
import type { Bitset } from './bitset';
import { andInto, clearBit, emptyBitset, forEachBit, hasBit, orInto, popcount, resized, setBit, xorInto } from './bitset';
import { Dictionary, grown, holding, IdPool, nextCapacity, SlotTable, StringPool, type CodeColumn } from './columns';
import type { IndexedAccount } from './indexed-account';

const FLAG_CANCELED = 1;
const FLAG_SUBSCRIPTION_ACTIVE = 2;

/** New slots are merged into the id order once this many piled up (pages walk them apart before). */
const MERGE_PENDING_AT = 4_096;

/** What a member list shows of an account. */
export interface IndexedMember {
  accountId: string;
  name: string;
  clientType: string | null;
  ownerId: string | null;
  canceled: boolean;
}

/** A saved segment as a membership job evaluates it; `criteria` null = deleted (every member leaves). */
export interface SegmentCriteria {
  id: string;
  criteria: ResolvedCriteria | null;
}

/** One member's position on a board "now": its stage and the exact ms in it (null = unknown). */
export interface BoardPosition {
  accountId: string;
  canceled: boolean;
  stageId: string | null;
  msInStage: number | null;
  /** B3: the SLA status of the member's current stage (`none` without an SLA or a context). */
  sla: SlaStatus;
}

/**
 * The evaluation index: every projected account in columns of typed arrays, by slot
 * (slots are handed out in arrival order and never freed: accounts are never removed from the
 * projection). Criteria evaluate to a bitset of slots, leaf by leaf — a pass over one or two
 * columns — combined by AND / OR, with exactly the semantics of `matches()` and the compiled
 * query (criteria-matcher.ts), which property tests hold it to.
 *
 * It follows the projection record by record (`apply`): a record whose `rev` is not newer than
 * the slot's is ignored, so records may arrive twice or out of order from several writers.
 * Pure: no I/O, no clock (every time-dependent read takes `now`).
 */
export class AccountIndex {
  private capacity: number;
  private slots = 0;
  private readonly slotOf = new SlotTable();
  private ids: IdPool;
  private names: StringPool;
  /** The projection's revision per slot (a count of writes: 32 bits are plenty). */
  private rev: Uint32Array;
  private flags: Uint8Array;
  private renewal: Float64Array;
  private clientType: CodeColumn;
  private owner: CodeColumn;
  private calendar: CodeColumn;
  readonly clientTypes: Dictionary;
  readonly owners: Dictionary;
  readonly calendars: Dictionary;
  private readonly attributes = new Map<string, AttributeColumns>();
  private readonly memberships = new Map<string, Bitset>();
  /** Per attribute and slot: the business-day and SLA fold at an instant (`businessReading`). */
  private readonly businessMemos = new Map<string, Map<number, BusinessMemo>>();
  /** Slots [0, sorted) in account id order; slots from `sorted` on are newer, not merged yet. */
  private order: Int32Array;
  private sorted = 0;
  /** `pendingPlaces()` while no account was added and no merge happened. */
  private pending: { upTo: number; sorted: number; slots: number[]; places: Int32Array } | null = null;

  constructor(capacity = 1_024) {
    this.capacity = Math.max(1_024, capacity);
    this.rev = new Uint32Array(this.capacity);
    this.flags = new Uint8Array(this.capacity);
    this.renewal = new Float64Array(this.capacity).fill(NaN);
    this.clientType = new Uint8Array(this.capacity);
    this.owner = new Uint8Array(this.capacity);
    this.calendar = new Uint8Array(this.capacity);
    this.order = new Int32Array(this.capacity);
    this.names = new StringPool(this.capacity);
    this.ids = new IdPool(this.capacity);
    this.clientTypes = new Dictionary();
    this.owners = new Dictionary();
    this.calendars = new Dictionary();
  }

  get size(): number {
    return this.slots;
  }

  /** The `rev` the index holds for an account; 0 = unknown account. */
  revOf(accountId: string): number {
    const slot = this.slotOf.get(accountId, this.ids);
    return slot === undefined ? 0 : (this.rev[slot] ?? 0);
  }

  /** Takes one account's record; false when it is not newer than what the index holds. */
  apply(record: IndexedAccount): boolean {
    let slot = this.slotOf.get(record.accountId, this.ids);
    if (slot !== undefined && record.rev <= (this.rev[slot] ?? 0)) return false;
    slot ??= this.allocate(record.accountId);
    this.rev[slot] = record.rev;
    this.names.set(slot, record.name);
    this.flags[slot] = (record.canceled ? FLAG_CANCELED : 0) | (record.subscriptionActive ? FLAG_SUBSCRIPTION_ACTIVE : 0);
    this.renewal[slot] = record.renewalDate ?? NaN;
    const clientType = this.clientTypes.codeOf(record.clientType);
    const owner = this.owners.codeOf(record.ownerId);
    const calendar = this.calendars.codeOf(record.calendarKey ?? null);
    this.clientType = holding(this.clientType, clientType);
    this.owner = holding(this.owner, owner);
    this.calendar = holding(this.calendar, calendar);
    this.clientType[slot] = clientType;
    this.owner[slot] = owner;
    this.calendar[slot] = calendar;
    for (const key of Object.keys(record.lifecycle)) this.attribute(key);
    for (const [key, columns] of this.attributes) {
      columns.write(slot, Object.hasOwn(record.lifecycle, key) ? record.lifecycle[key] : undefined);
    }
    const segments = new Set(record.segments);
    for (const [segmentId, bits] of this.memberships) if (!segments.has(segmentId)) clearBit(bits, slot);
    for (const segmentId of segments) setBit(this.membersOf(segmentId), slot);
    return true;
  }

  /** The record of one account as the index holds it (tests, diagnostics). */
  read(accountId: string): IndexedAccount | undefined {
    const slot = this.slotOf.get(accountId, this.ids);
    if (slot === undefined) return undefined;
    const lifecycle: IndexedAccount['lifecycle'] = {};
    for (const [key, columns] of this.attributes) {
      const state = columns.read(slot);
      if (state !== undefined) lifecycle[key] = state;
    }
    const flags = this.flags[slot] ?? 0;
    const renewal = this.renewal[slot] ?? NaN;
    return {
      accountId,
      rev: this.rev[slot] ?? 0,
      name: this.names.get(slot),
      clientType: this.clientTypes.valueOf(this.clientType[slot] ?? 0),
      ownerId: this.owners.valueOf(this.owner[slot] ?? 0),
      canceled: (flags & FLAG_CANCELED) !== 0,
      subscriptionActive: (flags & FLAG_SUBSCRIPTION_ACTIVE) !== 0,
      renewalDate: Number.isNaN(renewal) ? null : renewal,
      calendarKey: this.calendars.valueOf(this.calendar[slot] ?? 0),
      lifecycle,
      segments: [...this.memberships].filter(([, bits]) => hasBit(bits, slot)).map(([id]) => id),
    };
  }

  // ------------------------------------------------------------------------------- evaluation

  /**
   * The slots whose account matches `criteria` at `now` (S1/S2, the semantics of `matches()`);
   * business-day and SLA leaves (B5) read `context`.
   */
  evaluate(criteria: ResolvedCriteria, now: Date, context: BusinessContext = EMPTY_BUSINESS_CONTEXT): Bitset {
    return this.evaluateNode(criteria, now.getTime(), context);
  }

  count(members: Bitset): number {
    return popcount(members);
  }

  /** S3: members `skip`…`skip + limit` in account id order. */
  page(members: Bitset, skip: number, limit: number): IndexedMember[] {
    const page: IndexedMember[] = [];
    if (limit <= 0) return page;
    let seen = 0;
    for (const slot of this.slotsInIdOrder(members)) {
      if (seen++ < skip) continue;
      page.push(this.member(slot));
      if (page.length >= limit) break;
    }
    return page;
  }

  /**
   * S4 "now": the members grouped by their stage code of the attribute at `now` (L9: running
   * clocks read at `now`, frozen ones as they are; unknown clocks are not measured).
   */
  boardNow(members: Bitset, attributeKey: string, now: Date, idsPerGroup: number): BoardTally[] {
    const columns = this.attributes.get(attributeKey);
    const tally = new BoardTallies(columns?.stages.size ?? 1, idsPerGroup);
    const at = now.getTime();
    this.forEachInIdOrder(members, (slot) => {
      const code = columns === undefined ? 0 : columns.stage[slot]!;
      tally.add(code, slot, (this.flags[slot]! & FLAG_CANCELED) !== 0, code === 0 ? null : this.msInStage(columns!, slot, at));
    });
    return tally.groups(columns?.stages ?? null, this.ids);
  }

  /**
   * S4 "now" with SLA statuses (B3): each member's stage, its ms in it and the SLA status of that
   * stage, in account id order — for boards of an attribute with SLA stages (the counted
   * `boardNow` has no business context).
   */
  *boardPositions(
    members: Bitset,
    attributeKey: string,
    now: Date,
    context: BusinessContext = EMPTY_BUSINESS_CONTEXT,
  ): Generator<BoardPosition> {
    const columns = this.attributes.get(attributeKey);
    const at = now.getTime();
    // B3: only stages with an SLA can show a status other than `none`: the others skip the fold.
    const withSla = new Set((context.stagesOf(attributeKey) ?? []).filter((s) => s.sla && !s.endStage).map((s) => s.id));
    const pass = columns === undefined ? null : this.businessPass(columns, context, now);
    for (const slot of this.slotsInIdOrder(members)) {
      const canceled = ((this.flags[slot] ?? 0) & FLAG_CANCELED) !== 0;
      if (columns === undefined) {
        yield { accountId: this.ids.get(slot), canceled, stageId: null, msInStage: null, sla: 'none' };
        continue;
      }
      const stageId = columns.stages.valueOf(columns.stage[slot] ?? 0);
      const sla = stageId !== null && withSla.has(stageId) && pass !== null ? pass.read(slot).sla : 'none';
      yield {
        accountId: this.ids.get(slot),
        canceled,
        stageId,
        msInStage: stageId === null ? null : this.msInStage(columns, slot, at),
        sla,
      };
    }
  }

  /** S4 `asOf`: each member's transitions of the attribute (stored order), in account id order. */
  *memberHistories(
    members: Bitset,
    attributeKey: string,
  ): Generator<{ accountId: string; canceled: boolean; calendarKey: string | null; transitions: AttributeTransition[] }> {
    const columns = this.attributes.get(attributeKey);
    for (const slot of this.slotsInIdOrder(members)) {
      const canceled = ((this.flags[slot] ?? 0) & FLAG_CANCELED) !== 0;
      yield {
        accountId: this.ids.get(slot),
        canceled,
        calendarKey: this.calendars.valueOf(this.calendar[slot] ?? 0),
        transitions: columns === undefined ? [] : this.transitionsOf(columns, slot),
      };
    }
  }

  /**
   * S4 `asOf`: the members grouped by their stage at `asOf`, each one's transitions of the
   * attribute folded up to `asOf` by the rules (`CodedFold` of `@lifecycle/rules`, straight from
   * the columns) and its stage's counter read at `asOf`.
   */
  boardAsOf(members: Bitset, attributeKey: string, stages: readonly LifecycleStage[], asOf: Date, idsPerGroup: number): BoardTally[] {
    const columns = this.attributes.get(attributeKey);
    const tally = new BoardTallies(columns?.stages.size ?? 1, idsPerGroup);
    const at = asOf.getTime();
    const codes = columns === undefined ? null : new StageCodes(stages, columns.stages.values);
    const fold = new CodedFold();
    const run = new TransitionRun();
    this.forEachInIdOrder(members, (slot) => {
      let code = 0;
      let ms: number | null = null;
      if (columns !== undefined && codes !== null) {
        const n = columns.transitionCount[slot]!;
        if (n > 0) {
          run.read(columns, slot);
          fold.run(codes, run.at, run.to, 0, n, at);
          code = fold.stage;
          ms = fold.msInStageAt(at);
        }
      }
      tally.add(code, slot, (this.flags[slot]! & FLAG_CANCELED) !== 0, ms);
    });
    return tally.groups(columns?.stages ?? null, this.ids);
  }

  /**
   * The lifecycle report's input: the attribute's dictionary of stage ids (code → id, code 0 =
   * null; undefined when no account has the attribute), then `visit` for every account with
   * transitions, its run of the transition columns (`at`, `to` codes; stored order).
   */
  forEachHistory(
    attributeKey: string,
    dictionary: (idOfCode: readonly (string | null)[]) => void,
    visit: (at: Float64Array, to: Uint16Array, start: number, count: number) => void,
  ): void {
    const columns = this.attributes.get(attributeKey);
    if (columns === undefined) return;
    dictionary(columns.stages.values);
    const { transitionCount } = columns;
    const run = new TransitionRun();
    for (let slot = 0; slot < this.slots; slot++) {
      const n = transitionCount[slot]!;
      if (n === 0) continue;
      run.read(columns, slot);
      visit(run.at, run.to, 0, n);
    }
  }

  /**
   * S5: a membership job's decisions, taken from the columns: every segment evaluated once at
   * `now`; the candidates are the accounts whose stored membership of a segment differs from what
   * its criteria say — matching non-members (enter) and members that no longer match (exit; every
   * member of a deleted segment). The plan keeps one bitset per segment and the candidates' slots
   * and revisions, and hands out decisions a chunk at a time (`chunks`), so a job over a million
   * accounts holds no object per account.
   */
  membershipPlan(segments: readonly SegmentCriteria[], now: Date, context: BusinessContext = EMPTY_BUSINESS_CONTEXT): MembershipPlan {
    const slots = this.slots;
    const verdicts = segments.map((s) => (s.criteria === null ? emptyBitset(slots) : this.evaluate(s.criteria, now, context)));
    const candidates = emptyBitset(slots);
    segments.forEach((segment, k) => {
      const differs = verdicts[k]!.slice();
      const members = this.memberships.get(segment.id);
      if (members !== undefined) xorInto(differs, members);
      orInto(candidates, differs);
    });
    const count = popcount(candidates);
    const candidateSlots = new Int32Array(count);
    const revs = new Uint32Array(count);
    let n = 0;
    forEachBit(candidates, (slot) => {
      candidateSlots[n] = slot;
      revs[n++] = this.rev[slot] ?? 0;
    });
    // The stored memberships as they were evaluated against: a slot whose `rev` has not moved still has them.
    const words = Math.ceil(slots / 32);
    const stored = segments.map((s) => this.memberships.get(s.id)?.slice(0, words) ?? emptyBitset(slots));
    return new MembershipPlan(
      segments.map((s) => s.id),
      verdicts,
      stored,
      candidateSlots,
      revs,
      (slot) => this.ids.get(slot),
      (slot) => this.rev[slot] ?? 0,
    );
  }

  /** Bytes held by the index's typed arrays, and its account count (the benchmark's memory figure). */
  stats(): { accounts: number; columnBytes: number; attributes: number; segments: number } {
    let bytes = [this.rev, this.flags, this.renewal, this.clientType, this.owner, this.calendar, this.order].reduce(
      (sum, a) => sum + a.byteLength,
      0,
    );
    bytes += this.slotOf.byteLength + this.ids.byteLength;
    bytes += this.names.byteLength;
    for (const columns of this.attributes.values()) bytes += columns.bytes();
    for (const bits of this.memberships.values()) bytes += bits.byteLength;
    return { accounts: this.slots, columnBytes: bytes, attributes: this.attributes.size, segments: this.memberships.size };
  }

  // ------------------------------------------------------------------------------- internals

  /** For the snapshot: the columns as they are (read-only use). */
  state(): IndexState {
    this.mergePending(1);
    return {
      count: this.slots,
      ids: this.ids,
      names: this.names,
      rev: this.rev.subarray(0, this.slots),
      flags: this.flags.subarray(0, this.slots),
      renewal: this.renewal.subarray(0, this.slots),
      clientType: this.clientType.subarray(0, this.slots),
      owner: this.owner.subarray(0, this.slots),
      calendar: this.calendar.subarray(0, this.slots),
      clientTypes: this.clientTypes.list(),
      owners: this.owners.list(),
      calendars: this.calendars.list(),
      order: this.order.subarray(0, this.slots),
      attributes: [...this.attributes.values()],
      memberships: [...this.memberships].map(([id, bits]) => ({ id, bits })),
    };
  }

  /**
   * Rebuilds an index from a snapshot's columns: taken over when they already have room for
   * `restoredCapacity(count)` slots (the snapshot reader allocates them so), copied otherwise.
   */
  static fromState(state: RestoredState): AccountIndex {
    const index = new AccountIndex(0);
    const capacity = restoredCapacity(state.count);
    index.capacity = capacity;
    index.slots = state.count;
    index.ids = state.ids;
    index.ids.ensureSlots(capacity);
    index.names = state.names;
    index.names.ensureSlots(capacity);
    index.slotOf.fill(state.ids);
    index.rev = state.rev instanceof Uint32Array ? grown(state.rev, capacity) : grown(Uint32Array.from(state.rev), capacity);
    index.flags = grown(state.flags, capacity);
    index.renewal = grown(state.renewal, capacity, NaN);
    index.clientType = grown(state.clientType, capacity);
    index.owner = grown(state.owner, capacity);
    index.calendar = grown(state.calendar, capacity);
    for (const value of state.clientTypes) index.clientTypes.codeOf(value);
    for (const value of state.owners) index.owners.codeOf(value);
    for (const value of state.calendars) index.calendars.codeOf(value);
    index.order = grown(state.order, capacity);
    index.sorted = state.count;
    for (const columns of state.attributes) {
      columns.ensureSlots(capacity);
      index.attributes.set(columns.key, columns);
    }
    for (const { id, bits } of state.memberships) index.memberships.set(id, bits.length * 32 >= capacity ? bits : resized(bits, capacity));
    return index;
  }

  private allocate(accountId: string): number {
    if (this.slots >= this.capacity) this.grow(nextCapacity(this.capacity, this.slots + 1));
    const slot = this.slots++;
    this.ids.push(accountId);
    this.slotOf.add(slot, this.ids);
    return slot;
  }

  private grow(capacity: number): void {
    this.capacity = capacity;
    this.rev = grown(this.rev, capacity);
    this.flags = grown(this.flags, capacity);
    this.renewal = grown(this.renewal, capacity, NaN);
    this.clientType = grown(this.clientType, capacity);
    this.owner = grown(this.owner, capacity);
    this.calendar = grown(this.calendar, capacity);
    this.order = grown(this.order, capacity);
    this.names.ensureSlots(capacity);
    this.ids.ensureSlots(capacity);
    for (const columns of this.attributes.values()) columns.ensureSlots(capacity);
    for (const [id, bits] of this.memberships) this.memberships.set(id, resized(bits, capacity));
  }

  private attribute(key: string): AttributeColumns {
    let columns = this.attributes.get(key);
    if (columns === undefined) {
      columns = new AttributeColumns(key, this.capacity);
      this.attributes.set(key, columns);
    }
    return columns;
  }

  private membersOf(segmentId: string): Bitset {
    let bits = this.memberships.get(segmentId);
    if (bits === undefined) {
      bits = emptyBitset(this.capacity);
      this.memberships.set(segmentId, bits);
    }
    return bits;
  }

  private member(slot: number): IndexedMember {
    return {
      accountId: this.ids.get(slot),
      name: this.names.get(slot),
      clientType: this.clientTypes.valueOf(this.clientType[slot] ?? 0),
      ownerId: this.owners.valueOf(this.owner[slot] ?? 0),
      canceled: ((this.flags[slot] ?? 0) & FLAG_CANCELED) !== 0,
    };
  }

  /**
   * The slots not merged into the id order yet, in id order, each with its place in the order:
   * how many merged ids are smaller (a binary search over the order: ids are decoded from the
   * pool only along the search). Kept until the next account or merge.
   */
  private pendingPlaces(): { slots: number[]; places: Int32Array } {
    if (this.pending !== null && this.pending.upTo === this.slots && this.pending.sorted === this.sorted) return this.pending;
    const ids = new Map<number, string>();
    for (let slot = this.sorted; slot < this.slots; slot++) ids.set(slot, this.ids.get(slot));
    const slots = [...ids.keys()].sort((a, b) => compareIds(ids.get(a)!, ids.get(b)!));
    const places = new Int32Array(slots.length);
    slots.forEach((slot, k) => {
      const id = ids.get(slot)!;
      let low = 0;
      let high = this.sorted;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (compareIds(this.ids.get(this.order[middle]!), id) <= 0) low = middle + 1;
        else high = middle;
      }
      places[k] = low;
    });
    this.pending = { upTo: this.slots, sorted: this.sorted, slots, places };
    return this.pending;
  }

  /** Merges the slots added since the last merge into the id order once `threshold` piled up. */
  private mergePending(threshold: number): void {
    if (this.slots - this.sorted < threshold) return;
    const { slots: pending, places } = this.pendingPlaces();
    const merged = new Int32Array(this.capacity);
    let n = 0;
    let p = 0;
    for (let i = 0; i < this.sorted; i++) {
      while (p < pending.length && places[p]! <= i) merged[n++] = pending[p++]!;
      merged[n++] = this.order[i]!;
    }
    while (p < pending.length) merged[n++] = pending[p++]!;
    this.order = merged;
    this.sorted = this.slots;
    this.pending = null;
  }

  /** The set slots of `bits` in account id order. */
  private *slotsInIdOrder(bits: Bitset): Generator<number> {
    this.mergePending(MERGE_PENDING_AT);
    const { slots: pending, places } = this.pendingPlaces();
    let p = 0;
    for (let i = 0; i < this.sorted; i++) {
      while (p < pending.length && places[p]! <= i) {
        const slot = pending[p++]!;
        if (hasBit(bits, slot)) yield slot;
      }
      const slot = this.order[i]!;
      if (hasBit(bits, slot)) yield slot;
    }
    while (p < pending.length) {
      const slot = pending[p++]!;
      if (hasBit(bits, slot)) yield slot;
    }
  }

  /** `visit` for every set slot of `bits`, in account id order (no generator: boards visit a million). */
  private forEachInIdOrder(bits: Bitset, visit: (slot: number) => void): void {
    this.mergePending(MERGE_PENDING_AT);
    const { slots: pending, places } = this.pendingPlaces();
    const { order } = this;
    let p = 0;
    for (let i = 0; i < this.sorted; i++) {
      while (p < pending.length && places[p]! <= i) {
        const slot = pending[p++]!;
        if (hasBit(bits, slot)) visit(slot);
      }
      const slot = order[i]!;
      if ((bits[slot >>> 5]! & (1 << (slot & 31))) !== 0) visit(slot);
    }
    while (p < pending.length) {
      const slot = pending[p++]!;
      if (hasBit(bits, slot)) visit(slot);
    }
  }

  private transitionsOf(columns: AttributeColumns, slot: number): AttributeTransition[] {
    const n = columns.transitionCount[slot]!;
    const start = columns.transitionStart[slot]!;
    const transitions: AttributeTransition[] = new Array<AttributeTransition>(n);
    for (let i = 0; i < n; i++) {
      transitions[i] = {
        from: columns.stages.valueOf(columns.transitionFrom[start + i]!),
        to: columns.stages.valueOf(columns.transitionTo[start + i]!),
        at: new Date(columns.transitionAt.get(start + i)),
      };
    }
    return transitions;
  }

  /** L9: running clock read at `at`, or the frozen value; null when unknown (as `msInStage`). */
  private msInStage(columns: AttributeColumns, slot: number, at: number): number | null {
    const clock = columns.clock[slot];
    const value = columns.stageClock.get(slot);
    if (Number.isNaN(value)) return null;
    if (clock === CLOCK_RUNNING) return at - value;
    if (clock === CLOCK_STOPPED) return value;
    return null;
  }

  private evaluateNode(node: ResolvedCriteria, now: number, context: BusinessContext): Bitset {
    switch (node.kind) {
      case 'all': {
        const [first, ...rest] = node.children;
        const bits = first === undefined ? this.all() : this.evaluateNode(first, now, context);
        for (const child of rest) andInto(bits, this.evaluateNode(child, now, context));
        return bits;
      }
      case 'any': {
        const bits = emptyBitset(this.slots);
        for (const child of node.children) orInto(bits, this.evaluateNode(child, now, context));
        return bits;
      }
      case 'stageIn': {
        const bits = this.stageIn(node.attribute, node.stageIds, node.daysInStage, node.daysInAttribute, now);
        if (node.businessDaysInStage === undefined && node.businessDaysInAttribute === undefined) return bits;
        return this.businessDaysIn(bits, node.attribute, node.businessDaysInStage, node.businessDaysInAttribute, now, context);
      }
      case 'slaIn':
        return this.slaIn(node.attribute, node.statuses, now, context);
      case 'stageNotIn': {
        const bits = this.stageIn(node.attribute, node.stageIds, null, null, now);
        return this.complement(bits);
      }
      case 'doesNotExist':
        return this.complement(this.hasValue(node.attribute));
      case 'changed':
        return this.changed(node.attribute, node.window, node.fromStageId, node.toStageId, now);
      case 'completed':
        return this.completed(node.attribute, node.window, now);
      case 'clientTypeIn':
        return this.codeIn(this.clientType, this.clientTypes.maskOf(node.values));
      case 'ownerIn':
        return this.codeIn(this.owner, this.owners.maskOf(node.values));
      case 'canceled': {
        const bits = emptyBitset(this.slots);
        const want = node.value ? FLAG_CANCELED : 0;
        const { flags, slots } = this;
        // Word by word: 32 slots, one store (the leaves are the floor of every evaluation).
        for (let w = 0, base = 0; base < slots; w++, base += 32) {
          const end = Math.min(32, slots - base);
          let word = 0;
          for (let b = 0; b < end; b++) if ((flags[base + b]! & FLAG_CANCELED) === want) word |= 1 << b;
          bits[w] = word >>> 0;
        }
        return bits;
      }
      case 'renewalWithin': {
        const bits = emptyBitset(this.slots);
        const until = now + node.days * MS_PER_DAY;
        const { flags, renewal, slots } = this;
        for (let w = 0, base = 0; base < slots; w++, base += 32) {
          const end = Math.min(32, slots - base);
          let word = 0;
          for (let b = 0; b < end; b++) {
            const at = renewal[base + b]!;
            // NaN (no date) fails both comparisons.
            if ((flags[base + b]! & FLAG_SUBSCRIPTION_ACTIVE) !== 0 && at >= now && at <= until) word |= 1 << b;
          }
          bits[w] = word >>> 0;
        }
        return bits;
      }
    }
  }

  private all(): Bitset {
    return this.complement(emptyBitset(this.slots));
  }

  /** Every account slot not in `bits` (bits beyond the last slot stay clear). */
  private complement(bits: Bitset): Bitset {
    for (let i = 0; i < bits.length; i++) bits[i] = ~bits[i]! >>> 0;
    const tail = this.slots & 31;
    if (tail !== 0 && bits.length > 0) bits[bits.length - 1]! &= (1 << tail) - 1;
    return bits;
  }

  /** The slots whose code in `column` is marked in `mask`. */
  private codeIn(column: CodeColumn, mask: Uint8Array): Bitset {
    const bits = emptyBitset(this.slots);
    const slots = this.slots;
    for (let w = 0, base = 0; base < slots; w++, base += 32) {
      const end = Math.min(32, slots - base);
      let word = 0;
      for (let b = 0; b < end; b++) if (mask[column[base + b]!] === 1) word |= 1 << b;
      bits[w] = word >>> 0;
    }
    return bits;
  }

  private hasValue(attributeKey: string): Bitset {
    const bits = emptyBitset(this.slots);
    const columns = this.attributes.get(attributeKey);
    if (columns === undefined) return bits;
    const { stage } = columns;
    const slots = this.slots;
    for (let w = 0, base = 0; base < slots; w++, base += 32) {
      const end = Math.min(32, slots - base);
      let word = 0;
      for (let b = 0; b < end; b++) if (stage[base + b] !== 0) word |= 1 << b;
      bits[w] = word >>> 0;
    }
    return bits;
  }

  private stageIn(
    attributeKey: string,
    stageIds: readonly string[],
    daysInStage: DayComparison | null,
    daysInAttribute: DayComparison | null,
    now: number,
  ): Bitset {
    const columns = this.attributes.get(attributeKey);
    if (columns === undefined) return emptyBitset(this.slots);
    const mask = columns.stages.maskOf(stageIds);
    mask[0] = 0;
    if (daysInStage === null && daysInAttribute === null) return this.codeIn(columns.stage, mask);
    const stageTest = daysInStage === null ? null : dayTest(daysInStage);
    const attributeTest = daysInAttribute === null ? null : dayTest(daysInAttribute);
    const bits = emptyBitset(this.slots);
    const { stage, clock, stageClock, attributeClock } = columns;
    const { flags, slots } = this;
    for (let slot = 0; slot < slots; slot++) {
      if (mask[stage[slot]!] !== 1) continue;
      // L10 / S2: canceled accounts have no "Days in" values.
      if ((flags[slot]! & FLAG_CANCELED) !== 0) continue;
      const c = clock[slot];
      if (c !== CLOCK_RUNNING && c !== CLOCK_STOPPED) continue;
      if (stageTest !== null) {
        const v = stageClock.get(slot);
        if (Number.isNaN(v) || !stageTest(daysFromMs(c === CLOCK_RUNNING ? now - v : v))) continue;
      }
      if (attributeTest !== null) {
        const v = attributeClock.get(slot);
        if (Number.isNaN(v) || !attributeTest(daysFromMs(c === CLOCK_RUNNING ? now - v : v))) continue;
      }
      setBit(bits, slot);
    }
    return bits;
  }

  /**
   * B2/B5: of the slots in `bits` (already in the stages), those not canceled whose business
   * days pass the comparisons: each one's transitions folded by the rules (`businessReadingAt`).
   */
  private businessDaysIn(
    bits: Bitset,
    attributeKey: string,
    inStage: DayComparison | undefined,
    inAttribute: DayComparison | undefined,
    now: number,
    context: BusinessContext,
  ): Bitset {
    const columns = this.attributes.get(attributeKey);
    const result = emptyBitset(this.slots);
    if (columns === undefined || context.stagesOf(attributeKey) === undefined) return result;
    const stageTest = inStage === undefined ? null : dayTest(inStage);
    const attributeTest = inAttribute === undefined ? null : dayTest(inAttribute);
    const pass = this.businessPass(columns, context, new Date(now));
    forEachBit(bits, (slot) => {
      // L10 / S2: canceled accounts have no "Days in" values.
      if ((this.flags[slot]! & FLAG_CANCELED) !== 0) return;
      const reading = pass.read(slot);
      if (stageTest !== null && (reading.businessDaysInStage === null || !stageTest(reading.businessDaysInStage))) return;
      if (attributeTest !== null && (reading.businessDaysInAttribute === null || !attributeTest(reading.businessDaysInAttribute))) return;
      setBit(result, slot);
    });
    return result;
  }

  /**
   * B3/B5: the slots whose current stage's SLA status is one of `statuses`. Only accounts in a
   * stage with an SLA can be other than `none`, so only they are folded; `none` is the rest.
   */
  private slaIn(attributeKey: string, statuses: readonly SlaStatus[], now: number, context: BusinessContext): Bitset {
    const columns = this.attributes.get(attributeKey);
    const stages = context.stagesOf(attributeKey);
    const result = emptyBitset(this.slots);
    const wantNone = statuses.includes('none');
    if (columns === undefined || stages === undefined) return wantNone ? this.all() : result;
    const mask = columns.stages.maskOf(stages.filter((s) => s.sla && !s.endStage).map((s) => s.id));
    mask[0] = 0;
    const pass = this.businessPass(columns, context, new Date(now));
    for (let slot = 0; slot < this.slots; slot++) {
      const status: SlaStatus = columns.transitionCount[slot]! > 0 ? this.slaStatusOf(columns, slot, mask, pass) : 'none';
      if (statuses.includes(status)) setBit(result, slot);
    }
    return result;
  }

  /** `none` without folding when the fold cannot end in a stage with an SLA (no transition names one). */
  private slaStatusOf(columns: AttributeColumns, slot: number, mask: Uint8Array, pass: { read(slot: number): BusinessReading }): SlaStatus {
    const n = columns.transitionCount[slot]!;
    const start = columns.transitionStart[slot]!;
    let reachesSla = false;
    for (let i = start; i < start + n && !reachesSla; i++) reachesSla = mask[columns.transitionTo[i]!] === 1;
    return reachesSla ? pass.read(slot).sla : 'none';
  }

  /**
   * B2/B3 of the slots read in one evaluation at `at` (what they share: the stages, the calendars
   * by code, the day of `at` in each zone), each with the semantics of `businessReadingAt` (the
   * rules over the slot's transitions) but folded once per account state: the fold at an instant T keeps what
   * does not move with time (business days at T, the SLA's at-risk and due instants), and a read
   * at `now` ≥ T adds the working days between T and `now` while the clocks run — business days
   * are additive (B2), and the thresholds are reached at those instants while the account stays.
   * The memo is taken again when the account's record, the transitions that have happened, the
   * attribute's stages or SLAs, or the account's calendar differ.
   */
  private businessPass(columns: AttributeColumns, context: BusinessContext, at: Date): { read(slot: number): BusinessReading } {
    const stages = context.stagesOf(columns.key);
    const now = at.getTime();
    if (stages === undefined) return { read: (slot) => businessReadingAt(context, columns.key, [], null, this.isCanceled(slot), at) };
    const stagesKey = contentKey(stages);
    let memos = this.businessMemos.get(columns.key);
    if (memos === undefined) {
      memos = new Map();
      this.businessMemos.set(columns.key, memos);
    }
    const kept = memos;
    const calendars = new Map<number, { key: string | null; calendar: BusinessCalendar; content: string; today: number }>();
    const calendarOf = (code: number) => {
      let entry = calendars.get(code);
      if (entry === undefined) {
        const key = this.calendars.valueOf(code);
        const calendar = context.calendarOf(key);
        entry = { key, calendar, content: contentKey(calendar), today: zonedDay(now, calendar.timeZone) };
        calendars.set(code, entry);
      }
      return entry;
    };
    return {
      read: (slot) => {
        const canceled = this.isCanceled(slot);
        if (columns.transitionCount[slot] === 0) return businessReadingAt(context, columns.key, [], null, canceled, at);
        const { key: calendarKey, calendar, content, today } = calendarOf(this.calendar[slot] ?? 0);
        const rev = this.rev[slot] ?? 0;
        const happened = this.happened(columns, slot, now);
        let memo = kept.get(slot);
        if (
          memo === undefined ||
          memo.rev !== rev ||
          memo.happened !== happened ||
          memo.stages !== stagesKey ||
          memo.calendar !== content ||
          now < memo.at
        ) {
          memo = this.foldBusiness(columns, slot, stages, calendarKey, calendar, canceled, context, at);
          memo = { ...memo, rev, happened, stages: stagesKey, calendar: content };
          kept.set(slot, memo);
        }
        const extra = memo.running && now > memo.at ? workingDaysIn(indexCalendar(calendar), memo.dayAt, today - 1) : 0;
        return {
          businessDaysInStage: memo.inStage === null ? null : memo.inStage + extra,
          businessDaysInAttribute: memo.inAttribute === null ? null : memo.inAttribute + extra,
          sla: memo.slaNone ? 'none' : now >= memo.dueAt ? 'overdue' : now >= memo.atRiskAt ? 'at-risk' : 'on-track',
        };
      },
    };
  }

  /** The rules' fold of one slot at `at` (the memo's content; see `businessReading`). */
  private foldBusiness(
    columns: AttributeColumns,
    slot: number,
    stages: readonly SlaStage[],
    calendarKey: string | null,
    calendar: BusinessCalendar,
    canceled: boolean,
    context: BusinessContext,
    at: Date,
  ): BusinessMemo {
    const transitions = this.transitionsOf(columns, slot);
    const reading = businessReadingAt(context, columns.key, transitions, calendarKey, canceled, at);
    const history = historyOf(transitions);
    const sla = canceled ? null : stageSlaAt(stages, history, at, calendar);
    const { state } = traceAt(stages, history, at);
    return {
      rev: 0,
      happened: 0,
      stages: '',
      calendar: '',
      at: at.getTime(),
      dayAt: zonedDay(at.getTime(), calendar.timeZone),
      running: !canceled && state.stageId !== null && !state.completed,
      inStage: reading.businessDaysInStage,
      inAttribute: reading.businessDaysInAttribute,
      atRiskAt: sla?.atRiskAt?.getTime() ?? NaN,
      dueAt: sla?.dueAt?.getTime() ?? NaN,
      slaNone: sla === null || sla.status === 'none',
    };
  }

  private isCanceled(slot: number): boolean {
    return ((this.flags[slot] ?? 0) & FLAG_CANCELED) !== 0;
  }

  /** How many of the slot's transitions have happened by `now` (L11: later ones are not history yet). */
  private happened(columns: AttributeColumns, slot: number, now: number): number {
    const n = columns.transitionCount[slot]!;
    const start = columns.transitionStart[slot]!;
    let count = 0;
    for (let i = start; i < start + n; i++) if (columns.transitionAt.get(i) <= now) count++;
    return count;
  }

  private changed(
    attributeKey: string,
    window: TimeWindow,
    fromStageId: string | null | undefined,
    toStageId: string | null | undefined,
    now: number,
  ): Bitset {
    const bits = emptyBitset(this.slots);
    const columns = this.attributes.get(attributeKey);
    if (columns === undefined) return bits;
    // -1: a stage id the attribute never had matches no transition.
    const from = fromStageId === undefined ? -2 : fromStageId === null ? 0 : columns.stages.find(fromStageId);
    const to = toStageId === undefined ? -2 : toStageId === null ? 0 : columns.stages.find(toStageId);
    if (from === -1 || to === -1) return bits;
    const inWindow = windowTest(window, now);
    const { transitionStart, transitionCount, transitionAt, transitionFrom, transitionTo } = columns;
    for (let slot = 0; slot < this.slots; slot++) {
      const n = transitionCount[slot]!;
      if (n === 0) continue;
      const start = transitionStart[slot]!;
      for (let i = start; i < start + n; i++) {
        if ((from === -2 || transitionFrom[i] === from) && (to === -2 || transitionTo[i] === to) && inWindow(transitionAt.get(i))) {
          setBit(bits, slot);
          break;
        }
      }
    }
    return bits;
  }

  private completed(attributeKey: string, window: TimeWindow, now: number): Bitset {
    const bits = emptyBitset(this.slots);
    const columns = this.attributes.get(attributeKey);
    if (columns === undefined) return bits;
    if (window.kind === 'anyTime') {
      for (let slot = 0; slot < this.slots; slot++) if (columns.completedCycles[slot]! > 0) setBit(bits, slot);
      return bits;
    }
    const inWindow = windowTest(window, now);
    const { completionStart, completionCount, completionAt } = columns;
    for (let slot = 0; slot < this.slots; slot++) {
      const n = completionCount[slot]!;
      const start = completionStart[slot]!;
      for (let i = start; i < start + n; i++) {
        if (inWindow(completionAt.get(i))) {
          setBit(bits, slot);
          break;
        }
      }
    }
    return bits;
  }
}

/**
 * A membership job's decisions (`AccountIndex.membershipPlan`): per candidate account, the
 * segments whose stored membership the criteria contradict and what they say, with the `rev` of
 * the projection they were evaluated on. An account written since the evaluation (its `rev`
 * moved: a live event, another instance) is handed out as `moved`: its verdicts may no longer
 * hold, so it is decided again from its document.
 */
export class MembershipPlan {
  constructor(
    private readonly segmentIds: readonly string[],
    private readonly verdicts: readonly Bitset[],
    private readonly stored: readonly Bitset[],
    private readonly slots: Int32Array,
    private readonly revs: Uint32Array,
    private readonly idOf: (slot: number) => string,
    private readonly revNow: (slot: number) => number,
  ) {}

  /** How many accounts the job examines. */
  get size(): number {
    return this.slots.length;
  }

  /** The decisions `chunkSize` accounts at a time, each chunk built when it is asked for. */
  *chunks(chunkSize: number): Generator<MembershipChunk> {
    for (let start = 0; start < this.slots.length; start += chunkSize) {
      const decisions: MembershipDecision[] = [];
      const moved: string[] = [];
      const end = Math.min(this.slots.length, start + chunkSize);
      for (let i = start; i < end; i++) {
        const slot = this.slots[i]!;
        const accountId = this.idOf(slot);
        const rev = this.revs[i]!;
        if (this.revNow(slot) !== rev) {
          moved.push(accountId);
          continue;
        }
        const verdicts: SegmentVerdict[] = [];
        this.segmentIds.forEach((segmentId, k) => {
          const member = hasBit(this.verdicts[k]!, slot);
          if (member !== hasBit(this.stored[k]!, slot)) verdicts.push({ segmentId, member });
        });
        decisions.push({ accountId, rev, verdicts });
      }
      yield { decisions, moved };
    }
  }
}

/** One account's decision of a membership job (S5). */
export interface MembershipDecision {
  accountId: string;
  /** The projection's `rev` the verdicts were evaluated on: they hold for that revision only. */
  rev: number;
  /** The job's segments whose stored membership differs from what their criteria say, and what they say. */
  verdicts: SegmentVerdict[];
}

export interface MembershipChunk {
  decisions: MembershipDecision[];
  /** Accounts written since the evaluation: decided again from their documents. */
  moved: string[];
}

/**
 * One slot's run of transitions as the rules' fold reads them (times as floats, stage codes),
 * copied out of the columns (times are stored split, `InstantColumn`); reused slot after slot.
 */
class TransitionRun {
  at = new Float64Array(64);
  to = new Uint16Array(64);

  read(columns: AttributeColumns, slot: number): void {
    const n = columns.transitionCount[slot]!;
    const start = columns.transitionStart[slot]!;
    if (n > this.at.length) {
      this.at = new Float64Array(n);
      this.to = new Uint16Array(n);
    }
    columns.transitionAt.read(start, n, this.at);
    // Element by element: a `subarray` per slot would be an object per account on the heap.
    const { transitionTo } = columns;
    for (let k = 0; k < n; k++) this.to[k] = transitionTo[start + k]!;
  }
}

/** One group of a board as the index counts it (S4); `days` holds the measured accounts only. */
export interface BoardTally {
  stageId: string | null;
  count: number;
  /** The group's smallest account ids (at most the board's limit), in id order. */
  accountIds: string[];
  /** Whole days in the stage (L9) → accounts; canceled accounts and unknown clocks are not measured (L10). */
  days: Map<number, number>;
}

/** Days histograms as counts by whole day up to this many days; beyond (or negative) in a map. */
const DENSE_DAYS = 1 << 16;

/** Per stage code: the count, the first ids (members come in id order), a histogram of whole days. */
class BoardTallies {
  private readonly counts: Float64Array;
  /** Per code, the first slots (members come in id order); their ids are read at `groups`. */
  private readonly ids: number[][];
  private readonly dense: (Float64Array | undefined)[];
  private readonly sparse: (Map<number, number> | undefined)[];

  constructor(
    codes: number,
    private readonly idsPerGroup: number,
  ) {
    this.counts = new Float64Array(codes);
    this.ids = Array.from({ length: codes }, () => []);
    this.dense = new Array<Float64Array | undefined>(codes);
    this.sparse = new Array<Map<number, number> | undefined>(codes);
  }

  add(code: number, slot: number, canceled: boolean, ms: number | null): void {
    this.counts[code]! += 1;
    const ids = this.ids[code]!;
    if (ids.length < this.idsPerGroup) ids.push(slot);
    // L10: canceled accounts stay in their stage but have no "Days in" values; no value, no days.
    if (code === 0 || canceled || ms === null) return;
    const days = daysFromMs(ms);
    if (days >= 0 && days < DENSE_DAYS) {
      let histogram = this.dense[code];
      if (histogram === undefined || histogram.length <= days) {
        const next = new Float64Array(Math.min(DENSE_DAYS, Math.max(64, (days + 1) * 2)));
        if (histogram !== undefined) next.set(histogram);
        histogram = next;
        this.dense[code] = histogram;
      }
      histogram[days]! += 1;
    } else {
      let histogram = this.sparse[code];
      if (histogram === undefined) this.sparse[code] = histogram = new Map();
      histogram.set(days, (histogram.get(days) ?? 0) + 1);
    }
  }

  /** The groups that have accounts, with their stage ids (`stages` = the attribute's dictionary). */
  groups(stages: Dictionary | null, accountIds: IdPool): BoardTally[] {
    const groups: BoardTally[] = [];
    for (let code = 0; code < this.counts.length; code++) {
      if (this.counts[code] === 0) continue;
      const days = new Map(this.sparse[code] ?? []);
      const dense = this.dense[code];
      if (dense !== undefined) for (let d = 0; d < dense.length; d++) if (dense[d]! > 0) days.set(d, dense[d]!);
      groups.push({
        stageId: stages === null ? null : stages.valueOf(code),
        count: this.counts[code]!,
        accountIds: this.ids[code]!.map((slot) => accountIds.get(slot)),
        days,
      });
    }
    return groups;
  }
}

/** One slot's business fold at the instant `at` (see `AccountIndex.businessReading`), with what it was folded from. */
interface BusinessMemo {
  rev: number;
  happened: number;
  stages: string;
  calendar: string;
  at: number;
  /** The calendar day of `at` in the calendar's zone. */
  dayAt: number;
  /** The clocks run (a non-end stage, not canceled): business days grow after `at`. */
  running: boolean;
  inStage: number | null;
  inAttribute: number | null;
  atRiskAt: number;
  dueAt: number;
  slaNone: boolean;
}

const contentKeys = new WeakMap<object, string>();

/** A value's content as a string, computed once per object (stages and calendars are read-only snapshots). */
function contentKey(value: object): string {
  let key = contentKeys.get(value);
  if (key === undefined) {
    key = JSON.stringify(value);
    contentKeys.set(value, key);
  }
  return key;
}

/** The columns a snapshot holds (`AccountIndex.state()`), and what `fromState` takes back. */
export interface IndexState {
  count: number;
  ids: IdPool;
  names: StringPool;
  /** Uint32 in memory; a snapshot file may hold it as Float64. */
  rev: Uint32Array | Float64Array;
  flags: Uint8Array;
  renewal: Float64Array;
  clientType: CodeColumn;
  owner: CodeColumn;
  calendar: CodeColumn;
  clientTypes: string[];
  owners: string[];
  calendars: string[];
  order: Int32Array;
  attributes: AttributeColumns[];
  memberships: { id: string; bits: Bitset }[];
}

export type RestoredState = IndexState;

/** Slots a restored index has room for: its accounts and a few more before the first growth. */
export function restoredCapacity(count: number): number {
  return Math.ceil(count * 1.02) + 1_024;
}

/** Account ids in the order pages list them (UTF-16 code units, as the server-side cut did). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every operator of a comparison on whole days (L9), as `matches()` compares them. */
function dayTest(comparison: DayComparison): (days: number) => boolean {
  const { gt, gte, lt, lte, eq } = comparison;
  return (days) =>
    (gt === undefined || days > gt) &&
    (gte === undefined || days >= gte) &&
    (lt === undefined || days < lt) &&
    (lte === undefined || days <= lte) &&
    (eq === undefined || days === eq);
}

/** A window on event times: `lastDays` = [now − N days, now]; `between` = [from, to). */
function windowTest(window: TimeWindow, now: number): (at: number) => boolean {
  switch (window.kind) {
    case 'anyTime':
      return () => true;
    case 'lastDays': {
      const from = now - window.days * MS_PER_DAY;
      return (at) => at >= from && at <= now;
    }
    case 'between': {
      const from = window.from === null ? -Infinity : window.from.getTime();
      const to = window.to === null ? Infinity : window.to.getTime();
      return (at) => at >= from && at < to;
    }
  }
}
