import { Injectable, Logger } from '@nestjs/common';
import { describeError } from '@lifecycle/messaging';
import { resolveSavedCriteria, savedSegment, type SavedSegment } from '../domain/saved-criteria';
import type { SegmentDocument } from './segment.schema';
import { SegmentsRepository } from './segments.repository';

/** How long another instance's segment change may go unseen by this one's live evaluation. */
const TTL_MS = 2_000;

/**
 * The saved segments, resolved, as the live membership evaluation needs them after every
 * projection update (S5). Held in memory for a short time; this instance's own changes
 * invalidate it at once.
 */
@Injectable()
export class SavedSegments {
  private readonly logger = new Logger(SavedSegments.name);
  /** Grows with every local change: a load started before a change is never served after it. */
  private generation = 0;
  private cached: { at: number; generation: number; segments: SavedSegment[] } | null = null;
  private loading: { generation: number; promise: Promise<SavedSegment[]> } | null = null;

  constructor(private readonly repository: SegmentsRepository) {}

  async all(): Promise<SavedSegment[]> {
    const generation = this.generation;
    if (this.cached !== null && this.cached.generation === generation && Date.now() - this.cached.at < TTL_MS) return this.cached.segments;
    if (this.loading === null || this.loading.generation !== generation) {
      const promise = this.load(generation).finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
      this.loading = { generation, promise };
    }
    return this.loading.promise;
  }

  async get(id: string): Promise<SavedSegment | undefined> {
    const doc = await this.repository.get(id);
    return doc === undefined ? undefined : (this.resolve(doc) ?? undefined);
  }

  invalidate(): void {
    this.generation += 1;
    this.cached = null;
  }

  private async load(generation: number): Promise<SavedSegment[]> {
    const startedAt = Date.now();
    const docs = await this.repository.all();
    const segments = docs.map((doc) => this.resolve(doc)).filter((s): s is SavedSegment => s !== null);
    if (generation === this.generation) this.cached = { at: startedAt, generation, segments };
    return segments;
  }

  private resolve(doc: SegmentDocument): SavedSegment | null {
    try {
      return savedSegment(doc._id, resolveSavedCriteria(doc.criteria));
    } catch (e) {
      // Stored criteria were validated when saved; a document edited by hand is skipped, not fatal.
      this.logger.error(`segment ${doc._id} has unreadable criteria and is not evaluated: ${describeError(e)}`);
      return null;
    }
  }
}
