import type { ChangedInput, DayComparison, ResolvedCriteria, TimeWindow } from './criteria';
import { DAY_COMPARISON_OPERATORS, isQueryableAttributeKey } from './criteria';
import type { CriteriaIssue } from './segment-errors';
import { SegmentError } from './segment-errors';

/**
 * Strict validation of untrusted criteria JSON (S1) against the catalog replica, resolving
 * stage names / ids to stage ids. Every problem is reported with its path; nothing unknown
 * passes (unknown keys, `$`-keys, wrong types), so the compiled filter contains only what
 * the compiler itself writes.
 */

export interface CatalogStage {
  id: string;
  name: string;
  order: number;
  disabled: boolean;
  endStage: boolean;
}

export interface CatalogAttribute {
  key: string;
  stages: readonly CatalogStage[];
}

export interface CriteriaCatalog {
  attributes: ReadonlyMap<string, CatalogAttribute>;
}

export type CriteriaValidationResult = { ok: true; criteria: ResolvedCriteria } | { ok: false; errors: CriteriaIssue[] };

export const CRITERIA_LIMITS = {
  /** Nesting levels, the root node being level 1. */
  maxDepth: 8,
  /** Groups and conditions together. */
  maxNodes: 200,
  /** Values in one `isOneOf` / `isNotOneOf` list. */
  maxListValues: 200,
  maxStringLength: 200,
  /** ~100 years: keeps `now ± days` far inside the Date range. */
  maxDays: 36_500,
  /** Further issues are dropped. */
  maxIssues: 50,
} as const;

export function validateCriteria(input: unknown, catalog: CriteriaCatalog): CriteriaValidationResult {
  const validator = new CriteriaValidator(catalog);
  const criteria = validator.node(input, '', 1);
  if (criteria === null || validator.issues.length > 0) {
    return { ok: false, errors: validator.issues.length > 0 ? validator.issues : [{ path: '', message: 'invalid criteria' }] };
  }
  return { ok: true, criteria };
}

/** `validateCriteria`, throwing `SegmentError(InvalidCriteria)` with the issues as details. */
export function resolveCriteria(input: unknown, catalog: CriteriaCatalog): ResolvedCriteria {
  const result = validateCriteria(input, catalog);
  if (!result.ok) throw SegmentError.invalidCriteria(result.errors);
  return result.criteria;
}

type GroupKey = 'all' | 'any';
const LIFECYCLE_OPERATORS = ['isOneOf', 'isNotOneOf', 'changed', 'completed', 'doesNotExist'] as const;
const LIFECYCLE_KEYS = ['attribute', ...LIFECYCLE_OPERATORS, 'daysInStage', 'daysInAttribute'] as const;
const WINDOW_KEYS = ['lastDays', 'from', 'to'] as const;
const CHANGED_KEYS = [...WINDOW_KEYS, 'fromStage', 'toStage'] as const;
const ACCOUNT_FIELDS = {
  clientType: ['field', 'isOneOf'],
  ownerId: ['field', 'isOneOf'],
  canceled: ['field', 'is'],
  renewalDate: ['field', 'withinDays'],
} as const;
type AccountField = keyof typeof ACCOUNT_FIELDS;

type JsonObject = { [key: string]: unknown };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;

class CriteriaValidator {
  readonly issues: CriteriaIssue[] = [];
  private nodes = 0;

  constructor(private readonly catalog: CriteriaCatalog) {}

  node(value: unknown, path: string, depth: number): ResolvedCriteria | null {
    if (depth > CRITERIA_LIMITS.maxDepth) {
      this.issue(path, `criteria nest too deeply (at most ${CRITERIA_LIMITS.maxDepth} levels)`);
      return null;
    }
    this.nodes += 1;
    if (this.nodes > CRITERIA_LIMITS.maxNodes) {
      if (this.nodes === CRITERIA_LIMITS.maxNodes + 1) {
        this.issue(path, `criteria have too many conditions and groups (at most ${CRITERIA_LIMITS.maxNodes})`);
      }
      return null;
    }
    const obj = this.object(value, path, 'a criteria node: an object with "all", "any", "attribute" or "field"');
    if (obj === null) return null;
    if (!this.noOperatorKeys(obj, path)) return null;

    const kinds = (['all', 'any', 'attribute', 'field'] as const).filter((k) => Object.hasOwn(obj, k));
    if (kinds.length === 0) {
      this.issue(path, `expected "all", "any", "attribute" or "field"; found ${describeKeys(obj)}`);
      return null;
    }
    if (kinds.length > 1) {
      this.issue(
        path,
        `a node is either a group ("all" / "any") or one condition ("attribute" / "field"); found ${kinds.map((k) => `"${k}"`).join(' and ')}`,
      );
      return null;
    }
    const kind = kinds[0];
    switch (kind) {
      case 'all':
      case 'any':
        return this.group(obj, kind, path, depth);
      case 'attribute':
        return this.lifecycleCondition(obj, path);
      case 'field':
        return this.accountCondition(obj, path);
      default:
        return null;
    }
  }

  private group(obj: JsonObject, kind: GroupKey, path: string, depth: number): ResolvedCriteria | null {
    this.onlyKeys(obj, path, [kind]);
    const childrenPath = join(path, kind);
    const children = obj[kind];
    if (!Array.isArray(children)) {
      this.issue(childrenPath, `must be a non-empty array of criteria; got ${describe(children)}`);
      return null;
    }
    if (children.length === 0) {
      this.issue(childrenPath, 'must not be empty');
      return null;
    }
    if (children.length > CRITERIA_LIMITS.maxNodes) {
      this.issue(childrenPath, `too many criteria (at most ${CRITERIA_LIMITS.maxNodes})`);
      return null;
    }
    const resolved: ResolvedCriteria[] = [];
    for (const [i, child] of children.entries()) {
      const node = this.node(child, `${childrenPath}[${i}]`, depth + 1);
      if (node !== null) resolved.push(node);
    }
    return resolved.length === children.length ? { kind, children: resolved } : null;
  }

  private lifecycleCondition(obj: JsonObject, path: string): ResolvedCriteria | null {
    this.onlyKeys(obj, path, LIFECYCLE_KEYS);
    const attribute = this.attribute(obj['attribute'], join(path, 'attribute'));

    const operators = LIFECYCLE_OPERATORS.filter((k) => Object.hasOwn(obj, k));
    if (operators.length !== 1) {
      this.issue(
        path,
        operators.length === 0
          ? `a condition on "${attribute?.key ?? 'an attribute'}" needs one operator: ${quoteAll(LIFECYCLE_OPERATORS)}`
          : `one operator per condition; found ${quoteAll(operators)} (combine conditions with "all" / "any")`,
      );
      return null;
    }
    const operator = operators[0];
    for (const daysKey of ['daysInStage', 'daysInAttribute'] as const) {
      if (operator !== 'isOneOf' && Object.hasOwn(obj, daysKey)) {
        this.issue(join(path, daysKey), `"${daysKey}" is only allowed with "isOneOf"`);
      }
    }
    const operatorPath = join(path, operator);
    const operand = obj[operator];

    switch (operator) {
      case 'isOneOf': {
        const stageIds = this.stageList(operand, operatorPath, attribute);
        const daysInStage = Object.hasOwn(obj, 'daysInStage') ? this.comparison(obj['daysInStage'], join(path, 'daysInStage')) : null;
        const daysInAttribute = Object.hasOwn(obj, 'daysInAttribute')
          ? this.comparison(obj['daysInAttribute'], join(path, 'daysInAttribute'))
          : null;
        if (attribute === null || stageIds === null) return null;
        if (Object.hasOwn(obj, 'daysInStage') && daysInStage === null) return null;
        if (Object.hasOwn(obj, 'daysInAttribute') && daysInAttribute === null) return null;
        return { kind: 'stageIn', attribute: attribute.key, stageIds, daysInStage, daysInAttribute };
      }
      case 'isNotOneOf': {
        const stageIds = this.stageList(operand, operatorPath, attribute);
        if (attribute === null || stageIds === null) return null;
        return { kind: 'stageNotIn', attribute: attribute.key, stageIds };
      }
      case 'changed':
        return this.changed(operand, operatorPath, attribute);
      case 'completed': {
        if (operand === true)
          return attribute === null ? null : { kind: 'completed', attribute: attribute.key, window: { kind: 'anyTime' } };
        if (!isPlainObject(operand)) {
          this.issue(operatorPath, `must be true or a window such as {"lastDays": 30} or {"from": "2024-01-01"}; got ${describe(operand)}`);
          return null;
        }
        if (!this.noOperatorKeys(operand, operatorPath)) return null;
        this.onlyKeys(operand, operatorPath, WINDOW_KEYS);
        const window = this.window(operand, operatorPath);
        if (attribute === null || window === null) return null;
        return { kind: 'completed', attribute: attribute.key, window };
      }
      case 'doesNotExist':
        if (operand !== true) {
          this.issue(operatorPath, `must be true; got ${describe(operand)}`);
          return null;
        }
        return attribute === null ? null : { kind: 'doesNotExist', attribute: attribute.key };
    }
  }

  private changed(operand: unknown, path: string, attribute: CatalogAttribute | null): ResolvedCriteria | null {
    if (!isPlainObject(operand)) {
      this.issue(path, `must be an object such as {"lastDays": 7, "toStage": "Go Live"}; got ${describe(operand)}`);
      return null;
    }
    if (!this.noOperatorKeys(operand, path)) return null;
    this.onlyKeys(operand, path, CHANGED_KEYS);
    const window = this.window(operand, path);
    const fromStageId = this.optionalStage(operand, 'fromStage', path, attribute);
    const toStageId = this.optionalStage(operand, 'toStage', path, attribute);
    if (attribute === null || window === null || fromStageId === INVALID || toStageId === INVALID) return null;
    if (window.kind === 'anyTime' && fromStageId === undefined && toStageId === undefined) {
      this.issue(path, 'needs a window ("lastDays", or "from" / "to") and/or "fromStage" / "toStage"');
      return null;
    }
    if (fromStageId !== undefined && fromStageId === toStageId) {
      this.issue(path, '"fromStage" and "toStage" are the same value; a change always moves between two different values');
      return null;
    }
    return { kind: 'changed', attribute: attribute.key, window, fromStageId, toStageId };
  }

  private optionalStage(
    obj: JsonObject,
    key: keyof Pick<ChangedInput, 'fromStage' | 'toStage'>,
    path: string,
    attribute: CatalogAttribute | null,
  ): string | null | undefined | typeof INVALID {
    if (!Object.hasOwn(obj, key)) return undefined;
    const value = obj[key];
    if (value === null) return null;
    const stagePath = join(path, key);
    const ref = this.string(value, stagePath, 'a stage name or id, or null for "None"');
    if (ref === null) return INVALID;
    if (attribute === null) return INVALID;
    return this.stage(ref, stagePath, attribute) ?? INVALID;
  }

  private window(obj: JsonObject, path: string): TimeWindow | null {
    const hasLastDays = Object.hasOwn(obj, 'lastDays');
    const hasFrom = Object.hasOwn(obj, 'from');
    const hasTo = Object.hasOwn(obj, 'to');
    if (hasLastDays && (hasFrom || hasTo)) {
      this.issue(path, 'use either "lastDays" or "from" / "to", not both');
      return null;
    }
    if (hasLastDays) {
      const days = this.days(obj['lastDays'], join(path, 'lastDays'), 1);
      return days === null ? null : { kind: 'lastDays', days };
    }
    if (!hasFrom && !hasTo) return { kind: 'anyTime' };
    const from = hasFrom ? this.isoDate(obj['from'], join(path, 'from'), 'start') : null;
    const to = hasTo ? this.isoDate(obj['to'], join(path, 'to'), 'end') : null;
    if ((hasFrom && from === null) || (hasTo && to === null)) return null;
    if (from !== null && to !== null && from.getTime() >= to.getTime()) {
      this.issue(join(path, 'to'), '"to" must be after "from"');
      return null;
    }
    return { kind: 'between', from, to };
  }

  private accountCondition(obj: JsonObject, path: string): ResolvedCriteria | null {
    const fieldPath = join(path, 'field');
    const field = obj['field'];
    if (typeof field !== 'string' || !Object.hasOwn(ACCOUNT_FIELDS, field)) {
      this.issue(fieldPath, `unknown account field ${describe(field)}; known fields: ${quoteAll(Object.keys(ACCOUNT_FIELDS))}`);
      return null;
    }
    const accountField = field as AccountField;
    const keys = ACCOUNT_FIELDS[accountField];
    this.onlyKeys(obj, path, keys);
    const operator = keys[1];
    const operatorPath = join(path, operator);
    if (!Object.hasOwn(obj, operator)) {
      this.issue(path, `a condition on "${accountField}" needs "${operator}"`);
      return null;
    }
    const operand = obj[operator];
    switch (accountField) {
      case 'clientType':
      case 'ownerId': {
        const values = this.stringList(operand, operatorPath);
        if (values === null) return null;
        return accountField === 'clientType' ? { kind: 'clientTypeIn', values } : { kind: 'ownerIn', values };
      }
      case 'canceled':
        if (typeof operand !== 'boolean') {
          this.issue(operatorPath, `must be true or false; got ${describe(operand)}`);
          return null;
        }
        return { kind: 'canceled', value: operand };
      case 'renewalDate': {
        const days = this.days(operand, operatorPath, 1);
        return days === null ? null : { kind: 'renewalWithin', days };
      }
    }
  }

  // --- leaves -------------------------------------------------------------------------------

  private attribute(value: unknown, path: string): CatalogAttribute | null {
    const key = this.string(value, path, 'an attribute key');
    if (key === null) return null;
    const found = this.catalog.attributes.get(key);
    if (found === undefined) {
      const known = [...this.catalog.attributes.keys()].sort();
      this.issue(
        path,
        `unknown attribute "${key}"; ${known.length === 0 ? 'no attributes are defined' : `known attributes: ${known.join(', ')}`}`,
      );
      return null;
    }
    if (!isQueryableAttributeKey(found.key)) {
      this.issue(path, `attribute key "${found.key}" cannot be queried`);
      return null;
    }
    return found;
  }

  private stageList(value: unknown, path: string, attribute: CatalogAttribute | null): string[] | null {
    const refs = this.stringList(value, path);
    if (refs === null || attribute === null) return null;
    const ids: string[] = [];
    let ok = true;
    for (const [i, ref] of refs.entries()) {
      const id = this.stage(ref, `${path}[${i}]`, attribute);
      if (id === null) ok = false;
      else if (!ids.includes(id)) ids.push(id);
    }
    return ok ? ids : null;
  }

  /** S2 / A5: disabled stages stay usable; an id wins over a (case-insensitive) name. */
  private stage(ref: string, path: string, attribute: CatalogAttribute): string | null {
    const byId = attribute.stages.find((s) => s.id === ref);
    if (byId !== undefined) return byId.id;
    const wanted = ref.trim().toLowerCase();
    const byName = attribute.stages.find((s) => s.name.trim().toLowerCase() === wanted);
    if (byName !== undefined) return byName.id;
    const stages = [...attribute.stages]
      .sort((a, b) => a.order - b.order)
      .map((s) => `"${s.name}" (id ${s.id}${s.disabled ? ', disabled' : ''}${s.endStage ? ', end stage' : ''})`);
    this.issue(
      path,
      `unknown stage "${ref}" of attribute "${attribute.key}"; ${stages.length === 0 ? 'it has no stages' : `its stages are: ${stages.join(', ')}`}`,
    );
    return null;
  }

  private stringList(value: unknown, path: string): string[] | null {
    if (!Array.isArray(value)) {
      this.issue(path, `must be a non-empty array of strings; got ${describe(value)}`);
      return null;
    }
    if (value.length === 0) {
      this.issue(path, 'must not be empty');
      return null;
    }
    if (value.length > CRITERIA_LIMITS.maxListValues) {
      this.issue(path, `too many values (at most ${CRITERIA_LIMITS.maxListValues})`);
      return null;
    }
    const strings: string[] = [];
    let ok = true;
    for (const [i, item] of value.entries()) {
      const s = this.string(item, `${path}[${i}]`, 'a non-empty string');
      if (s === null) ok = false;
      else if (!strings.includes(s)) strings.push(s);
    }
    return ok ? strings : null;
  }

  private string(value: unknown, path: string, what: string): string | null {
    if (typeof value !== 'string' || !isValidString(value)) {
      const tooLong = typeof value === 'string' && value.length > CRITERIA_LIMITS.maxStringLength;
      this.issue(
        path,
        tooLong ? `too long (at most ${CRITERIA_LIMITS.maxStringLength} characters)` : `must be ${what}; got ${describe(value)}`,
      );
      return null;
    }
    return value;
  }

  private comparison(value: unknown, path: string): DayComparison | null {
    const example = '{"gt": 30}';
    if (!isPlainObject(value)) {
      this.issue(path, `must be a day comparison such as ${example}; got ${describe(value)}`);
      return null;
    }
    if (!this.noOperatorKeys(value, path)) return null;
    this.onlyKeys(value, path, DAY_COMPARISON_OPERATORS);
    const operators = DAY_COMPARISON_OPERATORS.filter((op) => Object.hasOwn(value, op));
    if (operators.length === 0) {
      this.issue(path, `needs at least one of ${quoteAll(DAY_COMPARISON_OPERATORS)}, e.g. ${example}`);
      return null;
    }
    const comparison: DayComparison = {};
    let ok = true;
    for (const op of operators) {
      const days = this.days(value[op], join(path, op), 0);
      if (days === null) ok = false;
      else comparison[op] = days;
    }
    return ok ? comparison : null;
  }

  private days(value: unknown, path: string, min: 0 | 1): number | null {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.issue(path, `must be a whole number of days; got ${describe(value)}`);
      return null;
    }
    if (value < min) {
      this.issue(path, min === 0 ? `must not be negative; got ${value}` : `must be at least 1; got ${value}`);
      return null;
    }
    if (value > CRITERIA_LIMITS.maxDays) {
      this.issue(path, `must be at most ${CRITERIA_LIMITS.maxDays} days; got ${value}`);
      return null;
    }
    return value;
  }

  /** A date (a UTC day: its start for `from`, the next day's start for an exclusive `to`) or a date-time with zone. */
  private isoDate(value: unknown, path: string, bound: 'start' | 'end'): Date | null {
    const message = `must be an ISO-8601 date ("2024-01-31") or date-time with zone ("2024-01-31T12:00:00Z"); got ${describe(value)}`;
    if (typeof value !== 'string') {
      this.issue(path, message);
      return null;
    }
    const dateOnly = DATE_RE.exec(value);
    const dateTime = dateOnly === null ? DATE_TIME_RE.exec(value) : null;
    const parts = dateOnly ?? dateTime;
    if (parts === null || !validCalendarParts(parts, dateTime !== null)) {
      this.issue(path, message);
      return null;
    }
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) {
      this.issue(path, message);
      return null;
    }
    // Keeps every bound a 4-digit-year instant: fixed-width ISO strings compare like the instants.
    if (ms < EARLIEST_DATE_MS || ms >= LATEST_DATE_MS) {
      this.issue(path, `must be between 1900-01-01 and 9000-01-01; got ${describe(value)}`);
      return null;
    }
    return new Date(dateOnly !== null && bound === 'end' ? ms + 86_400_000 : ms);
  }

  // --- structure ------------------------------------------------------------------------------

  private object(value: unknown, path: string, what: string): JsonObject | null {
    if (!isPlainObject(value)) {
      this.issue(path, `must be ${what}; got ${describe(value)}`);
      return null;
    }
    return value;
  }

  /** No operator injection: a `$`-key is never copied into a filter, but it is also never accepted. */
  private noOperatorKeys(obj: JsonObject, path: string): boolean {
    const operatorKeys = Object.keys(obj).filter((k) => k.startsWith('$'));
    for (const key of operatorKeys) this.issue(join(path, key), `"${key}": "$" keys (query operators) are not allowed`);
    return operatorKeys.length === 0;
  }

  private onlyKeys(obj: JsonObject, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key) && !key.startsWith('$')) {
        this.issue(join(path, key), `unknown key "${truncate(key)}"; allowed here: ${quoteAll(allowed)}`);
      }
    }
  }

  private issue(path: string, message: string): void {
    if (this.issues.length < CRITERIA_LIMITS.maxIssues) this.issues.push({ path, message });
  }
}

const INVALID = Symbol('invalid');
const EARLIEST_DATE_MS = Date.UTC(1900, 0, 1);
const LATEST_DATE_MS = Date.UTC(9000, 0, 1);

function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isValidString(value: string): boolean {
  return value.trim().length > 0 && value.length <= CRITERIA_LIMITS.maxStringLength;
}

function validCalendarParts(parts: RegExpExecArray, hasTime: boolean): boolean {
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  if (!hasTime) return true;
  const [hour, minute, second] = [Number(parts[4]), Number(parts[5]), Number(parts[6] ?? '0')];
  const [offsetHours, offsetMinutes] = [Number(parts[7] ?? '0'), Number(parts[8] ?? '0')];
  return hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 23 && offsetMinutes <= 59;
}

function join(path: string, key: string): string {
  return path === '' ? truncate(key) : `${path}.${truncate(key)}`;
}

function truncate(key: string): string {
  return key.length > 50 ? `${key.slice(0, 50)}…` : key;
}

function quoteAll(keys: readonly string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}

function describeKeys(obj: JsonObject): string {
  const keys = Object.keys(obj);
  return keys.length === 0 ? 'an empty object' : `keys ${quoteAll(keys.slice(0, 10).map(truncate))}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${truncate(value)}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}
