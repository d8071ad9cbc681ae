import { createHash } from 'node:crypto';

/**
 * A name-based (v5-style, SHA-1) UUID: the same name always gives the same id. Events whose
 * identity follows from what they are about (a day, a stage entry and a threshold, a play and
 * its trigger) take one, so publishing them again after a crash or a redelivery yields the same
 * id and consumers apply them once.
 */
export function nameBasedId(name: string): string {
  const hash = createHash('sha1').update(`lifecycle-platform:${name}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
