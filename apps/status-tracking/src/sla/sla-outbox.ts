import { Outbox } from '@lifecycle/storage';

/**
 * The outbox of the `sla_watches` aggregate (B4): the same `Outbox` as every aggregate's, under
 * its own token so it sits beside the state documents' outbox in this service.
 */
export class SlaOutbox extends Outbox {}
