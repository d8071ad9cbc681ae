import { Topics } from '@lifecycle/contracts';
import type { ServiceDefinition } from '@lifecycle/http';

export const attributeCatalogDefinition: ServiceDefinition = {
  title: 'Attribute catalog',
  description:
    'Lifecycle status attributes and their stages with their SLAs (SPEC A1-A6, B3) and business calendars (B1); publishes lifecycle.attributes and lifecycle.calendars.',
  publishes: [Topics.LifecycleAttributes, Topics.LifecycleCalendars],
};
