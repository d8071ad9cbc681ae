/**
 * The segment criteria builder's model (S1) and its JSON: groups (`all` / `any`) of conditions on
 * a lifecycle attribute or an account field, turned into the criteria tree the segment service
 * validates — and read back from a saved segment's canonical criteria. Pure: no React, no I/O.
 * The service stays the judge of what is valid; the builder only writes what the user chose, and
 * `nodePaths` lets the service's error paths (`criteria.all[0].isOneOf`) find their condition.
 */

export type Comparator = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';
export const COMPARATORS: readonly { value: Comparator; label: string }[] = [
  { value: 'gt', label: 'more than' },
  { value: 'gte', label: 'at least' },
  { value: 'lt', label: 'less than' },
  { value: 'lte', label: 'at most' },
  { value: 'eq', label: 'exactly' },
];

export interface DayComparison {
  op: Comparator;
  /** '' while the input is empty. */
  days: number | '';
}

export type WindowMode = 'anyTime' | 'lastDays' | 'between';

export interface TimeWindow {
  mode: WindowMode;
  lastDays: number | '';
  /** A date (2025-03-01) or a date-time with zone, as the service accepts them; '' = open. */
  from: string;
  to: string;
}

export type LifecycleOperator = 'isOneOf' | 'isNotOneOf' | 'changed' | 'completed' | 'doesNotExist' | 'sla';
export const LIFECYCLE_OPERATORS: readonly { value: LifecycleOperator; label: string }[] = [
  { value: 'isOneOf', label: 'is one of' },
  { value: 'isNotOneOf', label: 'is not one of' },
  { value: 'changed', label: 'changed' },
  { value: 'completed', label: 'completed a cycle' },
  { value: 'doesNotExist', label: 'has no value (None)' },
  { value: 'sla', label: 'stage SLA is' },
];

/** B3: the SLA status of the current stage, as `sla: [...]` names them (B5). */
export type SlaStatus = 'on-track' | 'at-risk' | 'overdue' | 'none';
export const SLA_STATUSES: readonly { value: SlaStatus; label: string }[] = [
  { value: 'on-track', label: 'On track' },
  { value: 'at-risk', label: 'At risk' },
  { value: 'overdue', label: 'Overdue' },
  { value: 'none', label: 'No SLA (none)' },
];

/** `changed` from / to: any stage (undefined), "None" (null), or a stage id. */
export type StageChoice = { kind: 'any' } | { kind: 'none' } | { kind: 'stage'; id: string };

export interface LifecycleCondition {
  kind: 'lifecycle';
  id: string;
  attribute: string;
  operator: LifecycleOperator;
  /** Stage ids (`isOneOf`, `isNotOneOf`). */
  stages: string[];
  daysInStage: DayComparison[];
  daysInAttribute: DayComparison[];
  /** B5: the same comparisons in working days of the account's calendar (`isOneOf`). */
  businessDaysInStage: DayComparison[];
  businessDaysInAttribute: DayComparison[];
  /** B5: `sla`. */
  slaStatuses: SlaStatus[];
  /** `changed` and `completed`. */
  window: TimeWindow;
  fromStage: StageChoice;
  toStage: StageChoice;
}

export type AccountField = 'clientType' | 'ownerId' | 'canceled' | 'renewalDate';
export const ACCOUNT_FIELDS: readonly { value: AccountField; label: string }[] = [
  { value: 'clientType', label: 'Client type is one of' },
  { value: 'ownerId', label: 'Owner is one of' },
  { value: 'canceled', label: 'Canceled' },
  { value: 'renewalDate', label: 'Renewal within (days)' },
];

export interface AccountCondition {
  kind: 'account';
  id: string;
  field: AccountField;
  values: string[];
  is: boolean;
  withinDays: number | '';
}

export interface CriteriaGroup {
  kind: 'group';
  id: string;
  match: 'all' | 'any';
  children: CriteriaNode[];
}

export type CriteriaNode = CriteriaGroup | LifecycleCondition | AccountCondition;

let counter = 0;
/** Ids only tell the builder's nodes apart (React keys, error placement); they never reach the API. */
export function newNodeId(): string {
  counter += 1;
  return `n${counter}`;
}

const OPEN_WINDOW: TimeWindow = { mode: 'anyTime', lastDays: '', from: '', to: '' };

export function newGroup(match: 'all' | 'any' = 'all', children: CriteriaNode[] = []): CriteriaGroup {
  return { kind: 'group', id: newNodeId(), match, children };
}

export function newLifecycleCondition(attribute = ''): LifecycleCondition {
  return {
    kind: 'lifecycle',
    id: newNodeId(),
    attribute,
    operator: 'isOneOf',
    stages: [],
    daysInStage: [],
    daysInAttribute: [],
    businessDaysInStage: [],
    businessDaysInAttribute: [],
    slaStatuses: [],
    window: { ...OPEN_WINDOW },
    fromStage: { kind: 'any' },
    toStage: { kind: 'any' },
  };
}

export function newAccountCondition(field: AccountField = 'clientType'): AccountCondition {
  return { kind: 'account', id: newNodeId(), field, values: [], is: true, withinDays: '' };
}

// --- to the API -------------------------------------------------------------------------------

type Json = { [key: string]: unknown };

/** The criteria JSON of a node (S1). */
export function toCriteria(node: CriteriaNode): Json {
  switch (node.kind) {
    case 'group':
      return { [node.match]: node.children.map(toCriteria) };
    case 'account':
      return accountJson(node);
    case 'lifecycle':
      return lifecycleJson(node);
  }
}

function accountJson(node: AccountCondition): Json {
  switch (node.field) {
    case 'clientType':
    case 'ownerId':
      return { field: node.field, isOneOf: node.values };
    case 'canceled':
      return { field: 'canceled', is: node.is };
    case 'renewalDate':
      return { field: 'renewalDate', withinDays: node.withinDays === '' ? null : node.withinDays };
  }
}

function lifecycleJson(node: LifecycleCondition): Json {
  const base = { attribute: node.attribute };
  switch (node.operator) {
    case 'isOneOf': {
      const json: Json = { ...base, isOneOf: node.stages };
      if (node.daysInStage.length > 0) json.daysInStage = comparisonJson(node.daysInStage);
      if (node.daysInAttribute.length > 0) json.daysInAttribute = comparisonJson(node.daysInAttribute);
      if (node.businessDaysInStage.length > 0) json.businessDaysInStage = comparisonJson(node.businessDaysInStage);
      if (node.businessDaysInAttribute.length > 0) json.businessDaysInAttribute = comparisonJson(node.businessDaysInAttribute);
      return json;
    }
    case 'sla':
      return { ...base, sla: node.slaStatuses };
    case 'isNotOneOf':
      return { ...base, isNotOneOf: node.stages };
    case 'changed': {
      const changed = windowJson(node.window);
      if (node.fromStage.kind !== 'any') changed.fromStage = node.fromStage.kind === 'none' ? null : node.fromStage.id;
      if (node.toStage.kind !== 'any') changed.toStage = node.toStage.kind === 'none' ? null : node.toStage.id;
      return { ...base, changed };
    }
    case 'completed':
      return { ...base, completed: isOpen(node.window) ? true : windowJson(node.window) };
    case 'doesNotExist':
      return { ...base, doesNotExist: true };
  }
}

/** Several comparisons make one range (`{ gt: 5, lte: 30 }`); an empty figure is sent as null for the service to name. */
function comparisonJson(comparisons: readonly DayComparison[]): Json {
  const json: Json = {};
  for (const c of comparisons) json[c.op] = c.days === '' ? null : c.days;
  return json;
}

/** No bound at all: "any time" (`completed: true`). */
function isOpen(window: TimeWindow): boolean {
  return window.mode === 'anyTime' || (window.mode === 'between' && window.from.trim() === '' && window.to.trim() === '');
}

function windowJson(window: TimeWindow): Json {
  switch (window.mode) {
    case 'anyTime':
      return {};
    case 'lastDays':
      return { lastDays: window.lastDays === '' ? null : window.lastDays };
    case 'between': {
      const json: Json = {};
      if (window.from.trim() !== '') json.from = window.from.trim();
      if (window.to.trim() !== '') json.to = window.to.trim();
      return json;
    }
  }
}

/**
 * Where each node sits in the criteria JSON, as the service writes error paths
 * (`criteria`, `criteria.all[1]`, `criteria.all[1].any[0]`), by node id.
 */
export function nodePaths(root: CriteriaNode, prefix = 'criteria'): Map<string, string> {
  const paths = new Map<string, string>([[root.id, prefix]]);
  if (root.kind === 'group') {
    root.children.forEach((child, i) => {
      for (const [id, path] of nodePaths(child, `${prefix}.${root.match}[${i}]`)) paths.set(id, path);
    });
  }
  return paths;
}

/**
 * The service's messages about criteria (path → messages), placed on the deepest node whose path
 * starts theirs; the part of the path inside the node is kept with the message (`isOneOf[0]: …`).
 */
export function messagesByNode(root: CriteriaNode, fields: Readonly<Record<string, readonly string[]>>): Map<string, string[]> {
  const paths = [...nodePaths(root)].sort((a, b) => b[1].length - a[1].length);
  const out = new Map<string, string[]>();
  for (const [field, messages] of Object.entries(fields)) {
    if (field !== 'criteria' && !field.startsWith('criteria.') && !field.startsWith('criteria[')) continue;
    const owner = paths.find(([, path]) => field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`));
    if (!owner) continue;
    const inner = field.slice(owner[1].length).replace(/^\./, '');
    const list = out.get(owner[0]) ?? [];
    for (const m of messages) list.push(inner ? `${inner}: ${m}` : m);
    out.set(owner[0], list);
  }
  return out;
}

// --- from a saved segment ---------------------------------------------------------------------

/** Criteria the builder cannot show (written by another client in a form it does not know). */
export class UnreadableCriteria extends Error {
  override readonly name = 'UnreadableCriteria';
}

/** The builder's tree of saved (canonical) criteria; the root is always a group. */
export function fromCriteria(json: unknown): CriteriaGroup {
  const node = readNode(json, 'criteria');
  return node.kind === 'group' ? node : newGroup('all', [node]);
}

function readNode(json: unknown, path: string): CriteriaNode {
  if (!isObject(json)) throw new UnreadableCriteria(`${path} is not an object`);
  for (const match of ['all', 'any'] as const) {
    if (Array.isArray(json[match])) {
      return newGroup(
        match,
        (json[match] as unknown[]).map((child, i) => readNode(child, `${path}.${match}[${i}]`)),
      );
    }
  }
  if (typeof json.attribute === 'string') return readLifecycle(json, path);
  if (typeof json.field === 'string') return readAccount(json, path);
  throw new UnreadableCriteria(`${path} is neither a group nor a condition`);
}

function readLifecycle(json: Json, path: string): LifecycleCondition {
  const node = newLifecycleCondition(json.attribute as string);
  if (Array.isArray(json.isOneOf)) {
    node.operator = 'isOneOf';
    node.stages = strings(json.isOneOf);
    node.daysInStage = readComparisons(json.daysInStage);
    node.daysInAttribute = readComparisons(json.daysInAttribute);
    node.businessDaysInStage = readComparisons(json.businessDaysInStage);
    node.businessDaysInAttribute = readComparisons(json.businessDaysInAttribute);
  } else if (Array.isArray(json.sla)) {
    node.operator = 'sla';
    node.slaStatuses = strings(json.sla).filter((s): s is SlaStatus => SLA_STATUSES.some((o) => o.value === s));
  } else if (Array.isArray(json.isNotOneOf)) {
    node.operator = 'isNotOneOf';
    node.stages = strings(json.isNotOneOf);
  } else if (isObject(json.changed)) {
    node.operator = 'changed';
    node.window = readWindow(json.changed);
    node.fromStage = readStageChoice(json.changed, 'fromStage');
    node.toStage = readStageChoice(json.changed, 'toStage');
  } else if (json.completed === true || isObject(json.completed)) {
    node.operator = 'completed';
    node.window = json.completed === true ? { ...OPEN_WINDOW } : readWindow(json.completed);
  } else if (json.doesNotExist === true) {
    node.operator = 'doesNotExist';
  } else {
    throw new UnreadableCriteria(`${path} has no operator the builder knows`);
  }
  return node;
}

function readAccount(json: Json, path: string): AccountCondition {
  const field = json.field as string;
  switch (field) {
    case 'clientType':
    case 'ownerId':
      return { ...newAccountCondition(field), values: strings(json.isOneOf) };
    case 'canceled':
      return { ...newAccountCondition('canceled'), is: json.is === true };
    case 'renewalDate':
      return { ...newAccountCondition('renewalDate'), withinDays: typeof json.withinDays === 'number' ? json.withinDays : '' };
    default:
      throw new UnreadableCriteria(`${path}.field "${field}" is not an account field the builder knows`);
  }
}

function readComparisons(json: unknown): DayComparison[] {
  if (!isObject(json)) return [];
  return COMPARATORS.filter((c) => typeof json[c.value] === 'number').map((c) => ({ op: c.value, days: json[c.value] as number }));
}

function readWindow(json: Json): TimeWindow {
  if (typeof json.lastDays === 'number') return { ...OPEN_WINDOW, mode: 'lastDays', lastDays: json.lastDays };
  if (typeof json.from === 'string' || typeof json.to === 'string') {
    return {
      ...OPEN_WINDOW,
      mode: 'between',
      from: typeof json.from === 'string' ? json.from : '',
      to: typeof json.to === 'string' ? json.to : '',
    };
  }
  return { ...OPEN_WINDOW };
}

function readStageChoice(json: Json, key: 'fromStage' | 'toStage'): StageChoice {
  if (!Object.hasOwn(json, key)) return { kind: 'any' };
  const value = json[key];
  return value === null ? { kind: 'none' } : { kind: 'stage', id: String(value) };
}

// --- editing ----------------------------------------------------------------------------------

/** The tree with one node replaced (by id). */
export function replaceNode(root: CriteriaNode, id: string, next: CriteriaNode): CriteriaNode {
  if (root.id === id) return next;
  if (root.kind !== 'group') return root;
  return { ...root, children: root.children.map((child) => replaceNode(child, id, next)) };
}

/** The tree without one node (by id); the root itself stays. */
export function removeNode(root: CriteriaGroup, id: string): CriteriaGroup {
  return {
    ...root,
    children: root.children.filter((c) => c.id !== id).map((c) => (c.kind === 'group' ? removeNode(c, id) : c)),
  };
}

/** Conditions in the tree (a tree without any has nothing to preview). */
export function conditionCount(node: CriteriaNode): number {
  return node.kind === 'group' ? node.children.reduce((n, c) => n + conditionCount(c), 0) : 1;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
