import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, switchMap, type Observable } from 'rxjs';
import { ConsumedEventContext } from '@lifecycle/messaging';

/**
 * Heartbeats to the consumer group before every event this service handles. The shared consumer
 * heartbeats only every 200 messages of a batch; after an outage a batch holds the backlog, and at
 * a few hundred ms per event on a loaded FerretDB 200 events outlast the 30 s session: the group
 * evicts the member, its commits fail ("The coordinator is not aware of this member") and the
 * partitions stall (seen after a FerretDB restart). kafkajs sends a heartbeat only once its
 * interval (3 s) has passed, so asking before every event costs nothing. A failed heartbeat (a
 * rebalance) is left to the consumer, which stops a stale batch by itself.
 */
@Injectable()
export class KafkaHeartbeatInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const consumed = context.switchToRpc().getContext<unknown>();
    if (!(consumed instanceof ConsumedEventContext)) return next.handle();
    return from(consumed.kafka.heartbeat().catch(() => undefined)).pipe(switchMap(() => next.handle()));
  }
}
