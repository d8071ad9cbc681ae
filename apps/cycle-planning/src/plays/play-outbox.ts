import { Outbox } from '@lifecycle/storage';

/**
 * The outbox of the `play_firings` aggregate (P2: `play.fired`): the same `Outbox` as every
 * aggregate's, under its own token beside the account cycles' outbox of this service.
 */
export class PlayOutbox extends Outbox {}
