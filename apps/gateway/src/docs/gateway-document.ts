import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '@lifecycle/http';

/** The groups of the public document, with what each holds. */
const PLATFORM_TAGS: Readonly<Record<string, string>> = {
  attributes: 'Lifecycle status attributes and their stages, with their SLAs (A1–A6, B3).',
  calendars: 'Business calendars: working weekdays, holidays and a time zone; the calendar `default` (B1).',
  accounts: 'Accounts: facts from the CRM, every lifecycle state with its "Days in" counters, the primary cycle.',
  statuses: 'Setting an account’s stage of an attribute, and its history (L1–L12).',
  imports: 'CSV import of statuses with a per-row report (L13).',
  'cycle-templates': 'SuccessCycle templates and the propagation of their edits (C1, C10).',
  'client-types': 'Client types: the templates available to each and its default (C3, C7).',
  settings: 'Platform settings: the global default cycle template (C2).',
  'account-cycles': 'The SuccessCycles of an account: assignment, primary, completion, due dates (C4–C8, C11).',
  tasks: 'Open activities and tasks across all cycles (C9).',
  bulk: 'Bulk changes run as jobs (C13).',
  plays:
    'Plays: when an account enters a segment or a stage SLA is at risk or breached, assign a template or create a task; their firings (P1, P2).',
  segments:
    'Saved segments: criteria (with SLA statuses and business days, B5), preview, members, progress board with SLA counts, the segments of an account (S1–S5).',
  reports: 'The lifecycle report of an attribute (S6).',
  jobs: 'Background jobs of every service: state, progress, result.',
  session: 'Who the presented API key is: its role and key id (clients such as the console offer what the role may do).',
};

/** The gateway's own operations (the composed account view); the services' are merged in at /docs-json. */
export function gatewayOpenApi(app: INestApplication): OpenAPIObject {
  return buildOpenApiDocument(
    app,
    'Lifecycle platform API',
    'Admin REST API of the lifecycle platform (attributes, account statuses and "Days in" counters, SuccessCycles, segments). ' +
      'Every /v1 call needs `Authorization: Bearer <api key>`; viewers may only read. ' +
      'Refusals share one body, `ErrorResponse`: 400 = the request does not match this document (the fields are named), ' +
      '422 = it matches but a rule refuses it, 404 / 409 = what it names is missing / the current state refuses it. ' +
      'Events: docs/asyncapi.json.',
    PLATFORM_TAGS,
  );
}
