import { Module } from '@nestjs/common';
import { JobsQueueModule } from '../jobs/jobs-queue.module';
import { RepositoriesModule } from '../storage/repositories.module';
import { SettingsController } from './settings.controller';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

@Module({
  imports: [RepositoriesModule, JobsQueueModule],
  controllers: [TemplatesController, SettingsController],
  providers: [TemplatesService],
  exports: [TemplatesService],
})
export class TemplatesModule {}
