/**
 * Dense bitsets over account slots (bit i = slot i), one 32-bit word per 32 slots: 122 KiB for
 * 1M accounts, and an AND / OR of two is a loop over 31 250 words. Every criteria leaf produces
 * one, the tree combines them, the result is counted and walked for pages.
 */
export type Bitset = Uint32Array;

export function emptyBitset(slots: number): Bitset {
  return new Uint32Array(Math.ceil(slots / 32));
}

export function setBit(bits: Bitset, slot: number): void {
  bits[slot >>> 5]! |= 1 << (slot & 31);
}

export function clearBit(bits: Bitset, slot: number): void {
  bits[slot >>> 5]! &= ~(1 << (slot & 31));
}

export function hasBit(bits: Bitset, slot: number): boolean {
  return ((bits[slot >>> 5] ?? 0) & (1 << (slot & 31))) !== 0;
}

/** `target &= other` (words beyond `other` are cleared). */
export function andInto(target: Bitset, other: Bitset): void {
  for (let i = 0; i < target.length; i++) target[i]! &= other[i] ?? 0;
}

export function orInto(target: Bitset, other: Bitset): void {
  const n = Math.min(target.length, other.length);
  for (let i = 0; i < n; i++) target[i]! |= other[i]!;
}

export function xorInto(target: Bitset, other: Bitset): void {
  const n = Math.min(target.length, other.length);
  for (let i = 0; i < n; i++) target[i]! ^= other[i]!;
}

export function popcount(bits: Bitset): number {
  let count = 0;
  for (let i = 0; i < bits.length; i++) {
    let v = bits[i]!;
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    count += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return count;
}

/** Calls `visit` for every set slot, in slot order. */
export function forEachBit(bits: Bitset, visit: (slot: number) => void): void {
  for (let i = 0; i < bits.length; i++) {
    let word = bits[i]!;
    while (word !== 0) {
      const low = word & -word;
      visit((i << 5) + 31 - Math.clz32(low));
      word ^= low;
    }
  }
}

/** A copy sized for `slots` (grown with zeros, or cut). */
export function resized(bits: Bitset, slots: number): Bitset {
  const next = emptyBitset(slots);
  next.set(bits.subarray(0, Math.min(bits.length, next.length)));
  return next;
}
