import { Module } from '@nestjs/common';
import { RepositoriesModule } from '../storage/repositories.module';
import { ClientTypesController } from './client-types.controller';
import { ClientTypesService } from './client-types.service';

@Module({
  imports: [RepositoriesModule],
  controllers: [ClientTypesController],
  providers: [ClientTypesService],
})
export class ClientTypesModule {}
