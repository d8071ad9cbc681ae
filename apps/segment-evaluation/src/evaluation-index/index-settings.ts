import { randomUUID } from 'node:crypto';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { validateEnvironment } from '@lifecycle/config';

/** How this instance keeps its evaluation index (README: "The evaluation index"). */
export interface EvaluationIndexSettings {
  /**
   * This instance's name: its own consumer group of the index feed and its snapshot file. Two
   * instances need two names; a name reused after a restart finds its snapshot again.
   */
  instance: string;
  /** Where snapshots are written and read; null = none (every start reads the whole projection). */
  snapshotDir: string | null;
  snapshotEveryMs: number;
}

export const EVALUATION_INDEX_SETTINGS = Symbol('EVALUATION_INDEX_SETTINGS');

export const DEFAULT_SNAPSHOT_EVERY_MS = 5 * 60_000;

/** Settings for tests and tools: a fresh instance name, no snapshots unless given. */
export function evaluationIndexSettings(overrides: Partial<EvaluationIndexSettings> = {}): EvaluationIndexSettings {
  return { instance: randomUUID(), snapshotDir: null, snapshotEveryMs: DEFAULT_SNAPSHOT_EVERY_MS, ...overrides };
}

/** The variables of the index, validated once at boot (main.ts). */
export class EvaluationIndexEnvironment {
  /** e.g. `segments-a`; default: a random name (no snapshot is found again after a restart). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'SEGMENTS_INDEX_INSTANCE may hold 1-64 letters, digits, _ and -' })
  SEGMENTS_INDEX_INSTANCE?: string;

  @IsOptional()
  @IsString()
  SEGMENTS_INDEX_SNAPSHOT_DIR?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: 'SEGMENTS_INDEX_SNAPSHOT_SECONDS must be an integer' })
  @Min(10)
  SEGMENTS_INDEX_SNAPSHOT_SECONDS?: number;
}

export function loadEvaluationIndexSettings(raw: Record<string, string | undefined>): EvaluationIndexSettings {
  const env = validateEnvironment(EvaluationIndexEnvironment, raw);
  return evaluationIndexSettings({
    ...(env.SEGMENTS_INDEX_INSTANCE === undefined ? {} : { instance: env.SEGMENTS_INDEX_INSTANCE }),
    snapshotDir: env.SEGMENTS_INDEX_SNAPSHOT_DIR ?? null,
    snapshotEveryMs: (env.SEGMENTS_INDEX_SNAPSHOT_SECONDS ?? DEFAULT_SNAPSHOT_EVERY_MS / 1000) * 1000,
  });
}
