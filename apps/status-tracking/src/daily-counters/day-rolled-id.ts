import { createHash } from 'node:crypto';

/**
 * The `day.rolled` event id of a day: a name-based (v5-style) UUID, so every run for the same
 * day announces it under the same id and consumers apply it once.
 */
export function dayRolledEventId(day: string): string {
  const hash = createHash('sha1').update(`lifecycle-platform:status-tracking:day.rolled:${day}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
