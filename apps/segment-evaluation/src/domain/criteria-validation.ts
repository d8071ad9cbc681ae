import { SLA_STATUSES, type SlaStatus } from '@lifecycle/rules';
import type { ChangedInput, DayComparison, ResolvedCriteria, TimeWindow } from './criteria';
import { DAY_COMPARISON_OPERATORS, isQueryableAttributeKey } from './criteria';
import {
  CRITERIA_LIMITS,
  CriteriaInputReader,
  describe,
  describeKeys,
  isPlainObject,
  join,
  quoteAll,
  type JsonObject,
} from './criteria-input';
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
const LIFECYCLE_OPERATORS = ['isOneOf', 'isNotOneOf', 'changed', 'completed', 'doesNotExist', 'sla'] as const;
/** Comparisons an `isOneOf` condition may add (L9, B2). */
const DAY_KEYS = ['daysInStage', 'daysInAttribute', 'businessDaysInStage', 'businessDaysInAttribute'] as const;
const LIFECYCLE_KEYS = ['attribute', ...LIFECYCLE_OPERATORS, ...DAY_KEYS] as const;
const WINDOW_KEYS = ['lastDays', 'from', 'to'] as const;
const CHANGED_KEYS = [...WINDOW_KEYS, 'fromStage', 'toStage'] as const;
const ACCOUNT_FIELDS = {
  clientType: ['field', 'isOneOf'],
  ownerId: ['field', 'isOneOf'],
  canceled: ['field', 'is'],
  renewalDate: ['field', 'withinDays'],
} as const;
type AccountField = keyof typeof ACCOUNT_FIELDS;

class CriteriaValidator extends CriteriaInputReader {
  private nodes = 0;

  constructor(private readonly catalog: CriteriaCatalog) {
    super();
  }

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
    for (const daysKey of DAY_KEYS) {
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
        const business = {
          businessDaysInStage: Object.hasOwn(obj, 'businessDaysInStage')
            ? this.comparison(obj['businessDaysInStage'], join(path, 'businessDaysInStage'))
            : undefined,
          businessDaysInAttribute: Object.hasOwn(obj, 'businessDaysInAttribute')
            ? this.comparison(obj['businessDaysInAttribute'], join(path, 'businessDaysInAttribute'))
            : undefined,
        };
        if (attribute === null || stageIds === null) return null;
        if (Object.hasOwn(obj, 'daysInStage') && daysInStage === null) return null;
        if (Object.hasOwn(obj, 'daysInAttribute') && daysInAttribute === null) return null;
        if (business.businessDaysInStage === null || business.businessDaysInAttribute === null) return null;
        const resolved: ResolvedCriteria = { kind: 'stageIn', attribute: attribute.key, stageIds, daysInStage, daysInAttribute };
        if (business.businessDaysInStage !== undefined) resolved.businessDaysInStage = business.businessDaysInStage;
        if (business.businessDaysInAttribute !== undefined) resolved.businessDaysInAttribute = business.businessDaysInAttribute;
        return resolved;
      }
      case 'sla': {
        const statuses = this.slaStatuses(operand, operatorPath);
        if (attribute === null || statuses === null) return null;
        return { kind: 'slaIn', attribute: attribute.key, statuses };
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

  /** B3/B5: a non-empty list of SLA statuses, each once, kept in the order `SLA_STATUSES` lists them. */
  private slaStatuses(value: unknown, path: string): SlaStatus[] | null {
    const allowed = `the SLA statuses ${quoteAll(SLA_STATUSES)}`;
    if (!Array.isArray(value) || value.length === 0) {
      this.issue(path, `must be a non-empty list of ${allowed}, e.g. ["overdue", "at-risk"]; got ${describe(value)}`);
      return null;
    }
    let ok = true;
    for (const [i, status] of value.entries()) {
      if (typeof status !== 'string' || !(SLA_STATUSES as readonly string[]).includes(status)) {
        this.issue(`${path}[${i}]`, `unknown SLA status ${describe(status)}; allowed: ${quoteAll(SLA_STATUSES)}`);
        ok = false;
      }
    }
    return ok ? SLA_STATUSES.filter((s) => (value as unknown[]).includes(s)) : null;
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
}

/** A stage reference that was refused (as opposed to `null` = "None" and `undefined` = not given). */
const INVALID = Symbol('invalid');
