import { Topics } from '@lifecycle/contracts';
import type { ServiceDefinition } from '@lifecycle/http';

export const attributeCatalogDefinition: ServiceDefinition = {
  title: 'Attribute catalog',
  description: 'Lifecycle status attributes and their stages (SPEC A1-A6); publishes lifecycle.attributes.',
  publishes: [Topics.LifecycleAttributes],
};
