import { Module, type DynamicModule } from '@nestjs/common';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import mongoose, { type Connection } from 'mongoose';
import { AggregateLock } from './aggregate-lock';
import { Storage } from './storage';

// Nothing queries through mongoose models; should anything, it gets no operators from input.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

/**
 * A service's database: the connection (mongoose keeps it and reconnects), the `Storage` over it
 * with the engine recognized once, and the service's `AggregateLock`. Global: every repository
 * injects `Storage`, every writer and the `Outbox` the one lock.
 */
@Module({})
export class StorageModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: StorageModule,
      global: true,
      imports: [MongooseModule.forRoot(url, { serverSelectionTimeoutMS: 5_000 })],
      providers: [
        { provide: Storage, inject: [getConnectionToken()], useFactory: (connection: Connection) => Storage.open(connection.db!) },
        { provide: AggregateLock, useFactory: () => new AggregateLock() },
      ],
      exports: [Storage, AggregateLock],
    };
  }
}
