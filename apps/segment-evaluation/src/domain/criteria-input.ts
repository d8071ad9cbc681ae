import { endOf, readIsoInstant } from './iso-instant';
import type { CriteriaIssue } from './segment-errors';

/**
 * Reading untrusted criteria JSON: every problem is collected with its path (`all[1].isOneOf[0]`)
 * instead of stopping at the first, and each reader answers null for a value it refused. The
 * criteria language itself (which keys, which operators) is `CriteriaValidator` in
 * criteria-validation.ts, built on these readers.
 */

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

export type JsonObject = { [key: string]: unknown };

export abstract class CriteriaInputReader {
  readonly issues: CriteriaIssue[] = [];

  protected object(value: unknown, path: string, what: string): JsonObject | null {
    if (!isPlainObject(value)) {
      this.issue(path, `must be ${what}; got ${describe(value)}`);
      return null;
    }
    return value;
  }

  /** No operator injection: a `$`-key is never copied into a filter, but it is also never accepted. */
  protected noOperatorKeys(obj: JsonObject, path: string): boolean {
    const operatorKeys = Object.keys(obj).filter((k) => k.startsWith('$'));
    for (const key of operatorKeys) this.issue(join(path, key), `"${key}": "$" keys (query operators) are not allowed`);
    return operatorKeys.length === 0;
  }

  protected onlyKeys(obj: JsonObject, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key) && !key.startsWith('$')) {
        this.issue(join(path, key), `unknown key "${truncate(key)}"; allowed here: ${quoteAll(allowed)}`);
      }
    }
  }

  protected string(value: unknown, path: string, what: string): string | null {
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

  protected stringList(value: unknown, path: string): string[] | null {
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

  protected days(value: unknown, path: string, min: 0 | 1): number | null {
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
  protected isoDate(value: unknown, path: string, bound: 'start' | 'end'): Date | null {
    const parsed = typeof value === 'string' ? readIsoInstant(value) : 'malformed';
    if (parsed === 'malformed') {
      this.issue(path, `must be an ISO-8601 date ("2024-01-31") or date-time with zone ("2024-01-31T12:00:00Z"); got ${describe(value)}`);
      return null;
    }
    // Keeps every bound a 4-digit-year instant: fixed-width ISO strings compare like the instants.
    if (parsed === 'out-of-range') {
      this.issue(path, `must be between 1900-01-01 and 9000-01-01; got ${describe(value)}`);
      return null;
    }
    return bound === 'end' ? endOf(parsed) : parsed.at;
  }

  protected issue(path: string, message: string): void {
    if (this.issues.length < CRITERIA_LIMITS.maxIssues) this.issues.push({ path, message });
  }
}

export function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isValidString(value: string): boolean {
  return value.trim().length > 0 && value.length <= CRITERIA_LIMITS.maxStringLength;
}

export function join(path: string, key: string): string {
  return path === '' ? truncate(key) : `${path}.${truncate(key)}`;
}

function truncate(key: string): string {
  return key.length > 50 ? `${key.slice(0, 50)}…` : key;
}

export function quoteAll(keys: readonly string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}

export function describeKeys(obj: JsonObject): string {
  const keys = Object.keys(obj);
  return keys.length === 0 ? 'an empty object' : `keys ${quoteAll(keys.slice(0, 10).map(truncate))}`;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${truncate(value)}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}
