import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

@Module({ imports: [StorageModule], controllers: [TasksController], providers: [TasksService] })
export class TasksModule {}
