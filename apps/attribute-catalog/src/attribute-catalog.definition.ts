import { Topics } from '@lifecycle/contracts';
import type { DomainErrorMapper, ServiceDefinition } from '@lifecycle/http';
import { AttributeError, type AttributeErrorKind } from './domain/attribute-errors';

const HTTP_STATUS: Readonly<Record<AttributeErrorKind, number>> = { invalid: 400, 'not-found': 404, conflict: 409 };

/** AttributeError → 400 / 404 / 409; `details` carries the code and the ids or field involved. */
export const mapAttributeError: DomainErrorMapper = (error) =>
  error instanceof AttributeError
    ? { status: HTTP_STATUS[error.kind], message: error.message, details: { code: error.code, ...error.details } }
    : null;

export const attributeCatalogDefinition: ServiceDefinition = {
  title: 'Attribute catalog',
  description: 'Lifecycle status attributes and their stages (SPEC A1-A6); publishes lifecycle.attributes.',
  publishes: [Topics.LifecycleAttributes],
  errorMappers: [mapAttributeError],
};
