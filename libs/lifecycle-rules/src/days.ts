/** L9: one day of "Days in", in milliseconds. */
export const MS_PER_DAY = 86_400_000;

/** L9: whole days, `floor(ms / 86_400_000)`. */
export function daysFromMs(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}
