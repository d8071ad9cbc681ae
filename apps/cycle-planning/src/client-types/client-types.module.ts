import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { ClientTypesController } from './client-types.controller';
import { ClientTypesService } from './client-types.service';

@Module({
  imports: [StorageModule],
  controllers: [ClientTypesController],
  providers: [ClientTypesService],
})
export class ClientTypesModule {}
