import { Module } from '@nestjs/common';
import { AttributeReplicaModule } from '../attribute-replica/attribute-replica.module';
import { ProjectionModule } from '../projection/projection.module';
import { LifecycleReportService } from './lifecycle-report.service';
import { ReportsController } from './reports.controller';

@Module({
  imports: [AttributeReplicaModule, ProjectionModule],
  controllers: [ReportsController],
  providers: [LifecycleReportService],
})
export class ReportsModule {}
