import { Module } from '@nestjs/common';
import { AggregateLock, OUTBOX_SINK, Storage, type EnvelopeSink } from '@lifecycle/storage';
import { AttributeReplicaModule } from '../attributes/attribute-replica.module';
import { CyclesModule } from '../cycles/cycles.module';
import { RepositoriesModule } from '../storage/repositories.module';
import { PLAY_FIRING_COLLECTION } from './play-firing.repository';
import { PlayOutbox } from './play-outbox';
import { PlayRunner } from './play-runner.service';
import { PlayTriggersHandler } from './play-triggers.handler';
import { PlaysController } from './plays.controller';
import { PlaysService } from './plays.service';

/**
 * P1/P2: plays under `/v1/plays`, their triggers (`lifecycle.sla` here, `segment.entered` through
 * the segment membership handler) and their firings, published as `play.fired` from the firing
 * documents' outbox.
 */
@Module({
  imports: [RepositoriesModule, CyclesModule, AttributeReplicaModule],
  controllers: [PlaysController, PlayTriggersHandler],
  providers: [
    PlaysService,
    PlayRunner,
    {
      // What a crash left in `play_firings.outbox` is swept every 10 minutes, like the cycles'.
      provide: PlayOutbox,
      inject: [Storage, OUTBOX_SINK, AggregateLock],
      useFactory: (storage: Storage, sink: EnvelopeSink, lock: AggregateLock) =>
        new PlayOutbox(storage.collection(PLAY_FIRING_COLLECTION), sink, lock, { sweepEveryMs: 10 * 60_000 }),
    },
  ],
  exports: [PlayRunner],
})
export class PlaysModule {}
