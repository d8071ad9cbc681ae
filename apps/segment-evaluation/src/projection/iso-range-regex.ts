/**
 * Time windows on arrays of keys as ONE regular expression per condition.
 *
 * Why: the embedded engine evaluates `{ arr: { $elemMatch: { $gte: a, $lt: b } } }` as "some element
 * is ≥ a and some (possibly other) element is < b" (checked against the real server: `[1, 10]`
 * matches `$elemMatch: { $gte: 4, $lt: 6 }`). A two-sided range on an array therefore needs a
 * single operator: `$regex`, which both the embedded engine and MongoDB apply per element (and MongoDB
 * bounds by the anchored prefix on an index).
 *
 * Keys are `<prefix><ISO-8601 UTC time>` (`changeKeysOf`, `completionKeysOf`): the time part is
 * always 24 characters, `YYYY-MM-DDTHH:mm:ss.sssZ`, so a lexicographic range of times is a
 * regular language over that fixed format, built position by position.
 */

const ISO_LENGTH = 24;

export interface IsoRange {
  /** Inclusive lower bound; null = open. */
  from: Date | null;
  /** Upper bound; null = open. */
  to: Date | null;
  toInclusive: boolean;
}

/** `^<prefix>` followed by the times of the range; null when the range is empty. */
export function isoRangeRegex(prefix: string, range: IsoRange): string | null {
  const lo = range.from === null ? null : isoOf(range.from);
  const hi = range.to === null ? null : isoOf(range.to);
  let body: string | null;
  if (lo === null && hi === null) body = '';
  else if (lo === null) body = below(hi!, 0, range.toInclusive);
  else if (hi === null) body = atLeast(lo, 0);
  else body = lo > hi || (lo === hi && !range.toInclusive) ? null : between(lo, hi, 0, range.toInclusive);
  return body === null ? null : `^${escapeRegex(prefix)}${body}`;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function isoOf(date: Date): string {
  const iso = date.toISOString();
  // Years 0000–9999 only (criteria validation keeps dates within 1900–9000).
  if (iso.length !== ISO_LENGTH) throw new RangeError(`not a 4-digit-year instant: ${iso}`);
  return iso;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** Digits strictly between `a` and `b` as a character class, or null when there are none. */
function digitsBetween(a: number, b: number): string | null {
  if (b - a < 2) return null;
  const first = a + 1;
  const last = b - 1;
  return first === last ? `${first}` : `[${first}-${last}]`;
}

function alternatives(parts: (string | null)[]): string | null {
  const kept = parts.filter((p): p is string => p !== null);
  if (kept.length === 0) return null;
  return kept.length === 1 ? kept[0]! : `(?:${kept.join('|')})`;
}

/** Suffixes from position i that are ≥ lo[i..]. Nothing after a strictly greater digit matters (no `$` anchor). */
function atLeast(lo: string, i: number): string {
  if (i >= lo.length) return '';
  const c = lo[i]!;
  if (!isDigit(c)) return escapeRegex(c) + atLeast(lo, i + 1);
  const d = Number(c);
  return alternatives([digitsBetween(d, 10), `${d}${atLeast(lo, i + 1)}`])!;
}

/** Suffixes from position i that are < hi[i..] (or ≤ when inclusive); null = none. */
function below(hi: string, i: number, inclusive: boolean): string | null {
  if (i >= hi.length) return inclusive ? '' : null;
  const c = hi[i]!;
  if (!isDigit(c)) {
    const rest = below(hi, i + 1, inclusive);
    return rest === null ? null : escapeRegex(c) + rest;
  }
  const d = Number(c);
  const rest = below(hi, i + 1, inclusive);
  return alternatives([digitsBetween(-1, d), rest === null ? null : `${d}${rest}`]);
}

/** Suffixes from position i in [lo[i..], hi[i..]) (or ] when inclusive), given lo ≤ hi. */
function between(lo: string, hi: string, i: number, inclusive: boolean): string | null {
  let k = i;
  while (k < lo.length && lo[k] === hi[k]) k++;
  const common = escapeRegex(lo.slice(i, k));
  if (k >= lo.length) return inclusive ? common : null;
  const a = Number(lo[k]);
  const b = Number(hi[k]);
  const rest = alternatives([
    `${a}${atLeast(lo, k + 1)}`,
    digitsBetween(a, b),
    ((r) => (r === null ? null : `${b}${r}`))(below(hi, k + 1, inclusive)),
  ]);
  return rest === null ? null : common + rest;
}
