import { Outbox } from '@lifecycle/storage';

/**
 * The outbox of the `segments` collection (`segment.saved` on `segment.definitions`): the same
 * `Outbox` as every aggregate's, under its own token beside the projections' outbox of this service.
 */
export class SegmentOutbox extends Outbox {}
