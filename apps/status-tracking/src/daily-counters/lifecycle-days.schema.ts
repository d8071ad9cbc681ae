/**
 * `lifecycle_days`: the day counts of every lifecycle state as of the last daily run (L14), one
 * document per state (`_id` = the state's id), for reports and indexed queries. Kept apart from
 * `lifecycle_states` so the daily job never writes the documents the command path writes. Reads
 * of the API never use it: they compute from the timestamps.
 */
export const LIFECYCLE_DAYS_COLLECTION = 'lifecycle_days';

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

/** For MongoDB ("in Kickoff for more than 30 days"); FerretDB v1 scans regardless. */
export const LIFECYCLE_DAYS_INDEXES = [{ key: { attributeKey: 1, stageId: 1, daysInStage: 1 }, name: 'attribute_stage_days' }] as const;
