/**
 * How long a stretch of time counts. The rules (cycles, resets, freezes, cancels) decide which
 * stretches a stage's clock runs; a clock only measures them. The calendar clock counts every
 * millisecond; a clock on a business calendar would count only working time, under the same rules.
 */
export type Measure = (from: Date, to: Date) => number;

/** The calendar clock: elapsed milliseconds, never negative (an instant before `from` counts 0). */
export const calendarMs: Measure = (from, to) => Math.max(0, to.getTime() - from.getTime());
