import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceConfig } from '@lifecycle/config';
import { ServiceKitModule } from '@lifecycle/http';
import { AttributesModule } from './attributes/attributes.module';
import { CalendarsModule } from './calendars/calendars.module';

@Module({})
export class AttributeCatalogModule {
  static register(config: ServiceConfig): DynamicModule {
    return { module: AttributeCatalogModule, imports: [ServiceKitModule.forRoot(config), AttributesModule, CalendarsModule] };
  }
}
