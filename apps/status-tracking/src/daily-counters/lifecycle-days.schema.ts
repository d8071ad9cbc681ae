/**
 * `lifecycle_days`: the day counts of every lifecycle state as of the last completed daily run
 * (L14), one document per state (`_id` = the state's id), for reports and indexed queries. Kept
 * apart from `lifecycle_states` so the daily job never writes the documents the command path
 * writes. Reads of the API never use it: they compute from the timestamps.
 *
 * A run never updates it in place: it inserts into a staging collection of its own
 * (`lifecycle_days_staging_<asOf ms>`) and swaps that in at the end, so readers see either the
 * previous run's figures or this one's, all with one `asOf`.
 */
export const LIFECYCLE_DAYS_COLLECTION = 'lifecycle_days';

const STAGING_PREFIX = `${LIFECYCLE_DAYS_COLLECTION}_staging_`;

/** The staging collection of the run "as of" `asOf` (one per run; every attempt of it uses the same). */
export function stagingCollectionName(asOf: Date): string {
  return `${STAGING_PREFIX}${asOf.getTime()}`;
}

/** The `asOf` of a staging collection's run, or null when `name` is not a staging collection. */
export function stagingAsOf(name: string): Date | null {
  if (!name.startsWith(STAGING_PREFIX)) return null;
  const ms = name.slice(STAGING_PREFIX.length);
  return /^\d{1,15}$/.test(ms) ? new Date(Number(ms)) : null;
}

export interface MaterializedDays {
  /** The UTC day the figures are for (YYYY-MM-DD). */
  day: string;
  asOf: Date;
  canceled: boolean;
  stageId: string | null;
  /** Null for canceled accounts (L10) and empty values. */
  daysInStage: number | null;
  daysInAttribute: number | null;
  stages: { stageId: string; days: number | null }[];
}

export interface LifecycleDaysDocument extends MaterializedDays {
  _id: string;
  accountId: string;
  attributeKey: string;
}

/** For MongoDB ("in Kickoff for more than 30 days"); the embedded engine scans regardless. */
export const LIFECYCLE_DAYS_INDEXES = [{ key: { attributeKey: 1, stageId: 1, daysInStage: 1 }, name: 'attribute_stage_days' }] as const;
