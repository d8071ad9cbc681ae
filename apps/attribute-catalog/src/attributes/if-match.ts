import { AttributeError, AttributeErrorCode } from '../domain/attribute-errors';

/**
 * The attribute's version travels as a strong ETag (`"3"`). `If-Match` takes it back, quoted or
 * bare (`3`), weak-marked or not; `*` (or no header) means "any version" — the server then checks
 * the version it read itself. Several tags in one header are not supported (one attribute, one version).
 */
export function etagOf(version: number): string {
  return `"${version}"`;
}

export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '' || value === '*') return undefined;
  const match = /^(?:W\/)?(?:"(\d{1,15})"|(\d{1,15}))$/.exec(value);
  const digits = match?.[1] ?? match?.[2];
  if (digits === undefined) {
    throw new AttributeError(
      AttributeErrorCode.InvalidIfMatch,
      `If-Match must be the attribute's version (its ETag), e.g. "3"; got ${JSON.stringify(header)}`,
      { field: 'If-Match' },
    );
  }
  return Number(digits);
}
