/**
 * The platform's OpenAPI document as TypeScript types, generated from docs/openapi.json by
 * openapi-typescript (`npm run contract`; a property with a default stays optional). Do not edit: change the controllers and DTOs and regenerate.
 */
export interface paths {
  '/v1/accounts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Accounts, paged; with `attribute` (and `stage`): those with a state of that attribute (in that stage) */
    get: operations['AccountViewController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An account: facts, every lifecycle state with its counters, primary cycle */
    get: operations['AccountViewController_view'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}/available-cycle-templates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Templates available to the account's client type, minus completed and running ones (C7) */
    get: operations['AccountCyclesController_available'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}/cycles': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An account's cycles (active and completed), with due dates and the current stage */
    get: operations['AccountCyclesController_list'];
    put?: never;
    /** Assign a cycle: every due date is computed now (C4) */
    post: operations['AccountCyclesController_assign'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}/cycles/{cycleId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove an active cycle; removing the primary promotes the oldest active one (C5) */
    delete: operations['AccountCyclesController_remove'];
    options?: never;
    head?: never;
    /** Make a cycle primary (C5) and/or move its start date, recalculating if asked (C11) */
    patch: operations['AccountCyclesController_update'];
    trace?: never;
  };
  '/v1/accounts/{accountId}/cycles/{cycleId}/activities/{activityId}/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Complete an activity that has no tasks (C6) */
    post: operations['AccountCyclesController_completeActivity'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}/cycles/{cycleId}/stages/{stageId}/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Complete a stage that has no activities (C6) */
    post: operations['AccountCyclesController_completeStage'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}/cycles/{cycleId}/tasks/{taskId}/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Complete a task; completion rolls up to its activity, stage and the cycle (C6), which may start the next one (C8) */
    post: operations['AccountCyclesController_completeTask'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}/play-firings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The plays that fired for an account, newest first (P2); empty for an account no play fired for */
    get: operations['PlaysController_accountFirings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}/play-tasks/{taskId}/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Complete a play's one-off task (P1); once only: a second completion is a 409 TASK_ALREADY_COMPLETED, like a cycle task */
    post: operations['PlaysController_completeTask'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}/primary-cycle': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The primary cycle, its current stage and days in it (for the account view, SPEC 5.4) */
    get: operations['AccountCyclesController_primary'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}/segments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The saved segments an account is a member of (S5 live membership) */
    get: operations['AccountSegmentsController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}/statuses/{attributeKey}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set (or clear) an account's stage of a lifecycle attribute */
    put: operations['StatusesController_put'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{accountId}/statuses/{attributeKey}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The status history of one account and attribute, in time order (L11) */
    get: operations['StatusesController_history'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/attributes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List attributes (ordered by key), optionally by state and flow */
    get: operations['AttributesController_list'];
    put?: never;
    /** Create a draft attribute, optionally with its initial stages */
    post: operations['AttributesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/attributes/{key}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One attribute */
    get: operations['AttributesController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change name, description or flow (the key is immutable) */
    patch: operations['AttributesController_update'];
    trace?: never;
  };
  '/v1/attributes/{key}/activate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Activate (A3: needs an enabled non-end stage and an enabled end stage); no-op when active */
    post: operations['AttributesController_activate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/attributes/{key}/days-in-fields': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The "Days in" fields of the attribute and of each stage (disabled stages included) */
    get: operations['AttributesController_daysInFields'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/attributes/{key}/stage-order': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Reorder the stages of a draft attribute (a permutation of all stage ids) */
    put: operations['AttributesController_reorderStages'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/attributes/{key}/stages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Append a stage (also to an active attribute: it goes last) */
    post: operations['AttributesController_addStage'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/attributes/{key}/stages/{stageId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a stage from a draft attribute */
    delete: operations['AttributesController_removeStage'];
    options?: never;
    head?: never;
    /** Rename, recolour, disable/enable a stage; change its end-stage flag while draft */
    patch: operations['AttributesController_updateStage'];
    trace?: never;
  };
  '/v1/bulk/primary-cycle': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Set the primary cycle of many accounts (by ids or segment) as a job (C13); stages are not bulk-editable */
    post: operations['BulkPrimaryController_setPrimary'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/calendars': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the calendars, by key (the default calendar among them) */
    get: operations['CalendarsController_list'];
    put?: never;
    /** Create a business calendar (working weekdays, holidays, IANA time zone) */
    post: operations['CalendarsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/calendars/{key}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One calendar */
    get: operations['CalendarsController_get'];
    put?: never;
    post?: never;
    /** Delete a calendar; accounts naming it are counted on the default calendar */
    delete: operations['CalendarsController_delete'];
    options?: never;
    head?: never;
    /** Change name, working weekdays, holidays (the whole list) or time zone; what counts on it is derived again */
    patch: operations['CalendarsController_update'];
    trace?: never;
  };
  '/v1/client-types': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every client type */
    get: operations['ClientTypesController_list'];
    put?: never;
    /** Create a client type with its available templates and default template (C3) */
    post: operations['ClientTypesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/client-types/{key}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One client type */
    get: operations['ClientTypesController_get'];
    /** Replace a client type’s name, templates and default (C3) */
    put: operations['ClientTypesController_update'];
    post?: never;
    /** Delete a client type */
    delete: operations['ClientTypesController_remove'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/cycle-templates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every template, current version */
    get: operations['TemplatesController_list'];
    put?: never;
    /** Create a template with its whole tree in one request (C1 quick entry) */
    post: operations['TemplatesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/cycle-templates/{templateId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One template, current version */
    get: operations['TemplatesController_get'];
    /** Edit a template: saves a new version and queues its propagation to the active cycles (C10) */
    put: operations['TemplatesController_update'];
    post?: never;
    /** Delete a template; refused (409) while active cycles use it or it is a default */
    delete: operations['TemplatesController_remove'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/cycle-templates/{templateId}/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** What an edit would do (cycles reached; items added, renamed, removed) without applying it (C10) */
    post: operations['TemplatesController_preview'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/imports/statuses': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Import statuses from CSV (accountId,attributeKey,stage[,at]) with a per-row report (L13) */
    post: operations['StatusImportController_import'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/imports/statuses/{importId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Progress and counts of an import */
    get: operations['StatusImportController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/imports/statuses/{importId}/rows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The per-row report of an import, paged, optionally one status (e.g. invalid) */
    get: operations['StatusImportController_rows'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{jobId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** State, progress and result of a background job (CSV import, template propagation, membership …) */
    get: operations['JobStatusController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/plays': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every play, oldest first, paged */
    get: operations['PlaysController_list'];
    put?: never;
    /**
     * Define a play (P1): a trigger (segment.entered of a saved segment, or a stage SLA at risk / breached) and one action
     * @description **400** `INVALID_REQUEST` (`details.fields` names each field): an unknown `trigger.type` or `action.type` (the message lists the allowed ones), `dueInBusinessDays` not a whole number from 0 to 365, a field of another type, an unknown field, a reference that is not a slug. **422** `INVALID_PLAY` (`details.problems`, one line per problem, each naming what is allowed): fields that do not go with the trigger or action type (`segmentId` for `segment.entered`; `attributeKey`, `stageId?` for the SLA triggers; `templateId` for `assign-template`; `taskName` and `dueInBusinessDays` for `create-task`), an attribute or a stage id the catalog does not have, an end stage (it has no SLA), a saved segment or a template that does not exist.
     */
    post: operations['PlaysController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/plays/{playId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One play */
    get: operations['PlaysController_get'];
    put?: never;
    post?: never;
    /** Delete a play; its firings stay listed */
    delete: operations['PlaysController_remove'];
    options?: never;
    head?: never;
    /**
     * Edit a play, or pause / resume it (`paused`); a paused play records nothing (P2)
     * @description The edited play is checked whole, as when it is created. **400** `INVALID_REQUEST` (`details.fields` names each field): an unknown `trigger.type` or `action.type` (the message lists the allowed ones), `dueInBusinessDays` not a whole number from 0 to 365, a field of another type, an unknown field, a reference that is not a slug. **422** `INVALID_PLAY` (`details.problems`, one line per problem, each naming what is allowed): fields that do not go with the trigger or action type (`segmentId` for `segment.entered`; `attributeKey`, `stageId?` for the SLA triggers; `templateId` for `assign-template`; `taskName` and `dueInBusinessDays` for `create-task`), an attribute or a stage id the catalog does not have, an end stage (it has no SLA), a saved segment or a template that does not exist. **404** `PLAY_NOT_FOUND`; **409** `CONCURRENT_UPDATE` when other edits of the play kept winning (retry).
     */
    patch: operations['PlaysController_update'];
    trace?: never;
  };
  '/v1/plays/{playId}/firings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The firings of a play, newest first (P2) */
    get: operations['PlaysController_firings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reports/lifecycle': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Lifecycle report of an attribute for a window: accounts per stage over time, conversion stage → next, median / p90 days per stage and per cycle, cycles restarted / cleared */
    get: operations['ReportsController_lifecycle'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/segments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Saved segments, by name */
    get: operations['SegmentsController_list'];
    put?: never;
    /** Save a segment (criteria validated and stored canonical); its membership is evaluated in a job */
    post: operations['SegmentsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/segments/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One saved segment */
    get: operations['SegmentsController_get'];
    put?: never;
    post?: never;
    /** Delete a segment; its members leave it (segment.exited) in a job */
    delete: operations['SegmentsController_delete'];
    options?: never;
    head?: never;
    /** Rename, describe or change the criteria (membership re-evaluated in a job); publishes segment.saved */
    patch: operations['SegmentsController_update'];
    trace?: never;
  };
  '/v1/segments/{id}/members': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Members now, by account id, paged, with the total (S3) */
    get: operations['SegmentsController_members'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/segments/{id}/progress': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Progress board (S4): members by stage of an attribute in stage order plus "None", with days-in statistics; optionally as of a past date */
    get: operations['SegmentsController_progress'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/segments/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Count and first members of a criteria tree, without saving it (S3) */
    post: operations['SegmentsController_preview'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The role and key id of the presented API key */
    get: operations['SessionController_session'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The global settings: the default cycle template (C2) */
    get: operations['SettingsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/settings/default-cycle-template': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Make a template the global default cycle (C2) */
    put: operations['SettingsController_setDefault'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tasks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Open activities and tasks across all concurrent cycles, sorted by due date (C9) */
    get: operations['TasksController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    AccountCyclesResponse: {
      /** @example acme */
      accountId: string;
      /** @example c-5f2a9b1c0d3e */
      primaryCycleId: string | null;
      /** @description Active and completed cycles. */
      cycles: components['schemas']['CycleResponse'][];
    };
    AccountPageResponse: {
      items: components['schemas']['AccountResponse'][];
      /** @example 1 */
      page: number;
      /** @example 50 */
      pageSize: number;
      /** @example 120 */
      total: number;
    };
    AccountResponse: {
      /** @example acme */
      accountId: string;
      /**
       * @description Null until the CRM sent the account.
       * @example Acme
       */
      name: string | null;
      /** @example enterprise */
      clientType: string | null;
      /** @example csm-42 */
      ownerId: string | null;
      /** @example false */
      canceled: boolean;
      subscription: components['schemas']['SubscriptionResponse'] | null;
      /**
       * @description B1: the calendar named by the CRM; null = the default calendar.
       * @example germany
       */
      calendarKey: string | null;
      /** @example 2025-01-15T00:00:00.000Z */
      createdAt: string | null;
      /** @description Every attribute the account has a state of, by attribute key; counters computed at read time. */
      lifecycle: {
        [key: string]: components['schemas']['LifecycleResponse'];
      };
    };
    AccountSegmentResponse: {
      /** @example 0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10 */
      id: string;
      /** @example Stuck in Kickoff over 30 days */
      name: string;
    };
    AccountSegmentsResponse: {
      /** @example acme */
      accountId: string;
      /** @description The saved segments the account is a member of (S5), by name. */
      segments: components['schemas']['AccountSegmentResponse'][];
    };
    AssignCycleBody: {
      /** @example enterprise-onboarding */
      templateId: string;
      /**
       * @description Default: now. Due dates are computed from it (C4).
       * @example 2025-03-01
       */
      startDate?: string | unknown | unknown;
      /**
       * @description Default: primary when the account has no primary cycle (C5).
       * @example true
       */
      primary?: boolean;
    };
    AttributeResponse: {
      /** @example onboarding-status */
      key: string;
      /** @example Onboarding Status */
      name: string;
      /** @example Tracks onboarding from kickoff to go-live */
      description: string;
      /**
       * @description Absent when the attribute is not linked to a flow.
       * @example Onboarding
       */
      flow?: string;
      /**
       * @example draft
       * @enum {string}
       */
      state: 'draft' | 'active';
      /**
       * @description +1 with every change; also the ETag. Send it back in If-Match.
       * @example 3
       */
      version: number;
      stages: components['schemas']['StageResponse'][];
      /** @example 2024-03-01T09:00:00.000Z */
      createdAt: string;
      /** @example 2024-03-02T10:00:00.000Z */
      updatedAt: string;
    };
    BulkPrimaryBody: {
      /** @example enterprise-onboarding */
      templateId: string;
      /**
       * @example [
       *       "acme",
       *       "globex"
       *     ]
       */
      accountIds?: string[];
      /**
       * @description Every current member of this saved segment.
       * @example stuck-in-kickoff
       */
      segmentId?: string;
    };
    BulkPrimaryResponse: {
      /**
       * @description Follow at GET /v1/jobs/{jobId}.
       * @example cycles-recalculation-bulk-primary-9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10
       */
      jobId: string;
      /** @example enterprise-onboarding */
      templateId: string;
    };
    CalendarResponse: {
      /** @example germany */
      key: string;
      /** @example Germany (Berlin) */
      name: string;
      /**
       * @example [
       *       1,
       *       2,
       *       3,
       *       4,
       *       5
       *     ]
       */
      workingWeekdays: number[];
      /**
       * @example [
       *       "2025-12-25",
       *       "2025-12-26"
       *     ]
       */
      holidays: string[];
      /** @example Europe/Berlin */
      timeZone: string;
      /**
       * @description The calendar "default": accounts without their own are counted on it.
       * @example false
       */
      default: boolean;
      /**
       * @description +1 with every change.
       * @example 2
       */
      version: number;
      /** @example 2025-03-01T09:00:00.000Z */
      createdAt: string;
      /** @example 2025-03-02T10:00:00.000Z */
      updatedAt: string;
    };
    ClientTypeBody: {
      /** @example Enterprise */
      name: string;
      /**
       * @description Templates available to accounts of this type (C7).
       * @example [
       *       "enterprise-onboarding",
       *       "renewal"
       *     ]
       */
      templateIds?: string[];
      /**
       * @description A new account of this type starts it (C3).
       * @example enterprise-onboarding
       */
      defaultTemplateId?: string | null;
    };
    ClientTypeListResponse: {
      items: components['schemas']['ClientTypeResponse'][];
    };
    ClientTypeResponse: {
      /** @example enterprise */
      key: string;
      /** @example Enterprise */
      name: string;
      /**
       * @example [
       *       "enterprise-onboarding",
       *       "renewal"
       *     ]
       */
      templateIds: string[];
      /** @example enterprise-onboarding */
      defaultTemplateId: string | null;
      /**
       * Format: date-time
       * @example 2025-03-01T09:00:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @example 2025-03-01T09:00:00.000Z
       */
      updatedAt: string;
    };
    CompleteItemBody: {
      /**
       * @description When it was done; default now, never in the future.
       * @example 2025-03-08T10:00:00Z
       */
      at?: string | unknown | unknown;
    };
    CompletePlayTaskBody: {
      /**
       * @description When it was done; default now, never in the future, never before the play fired.
       * @example 2025-03-10T10:00:00Z
       */
      at?: string | unknown | unknown;
    };
    CompletionResponse: {
      cycle: components['schemas']['CycleResponse'];
      /** @description C8: the cycle the completion started. */
      nextCycle: components['schemas']['CycleResponse'] | null;
      /** @example c-5f2a9b1c0d3e */
      primaryCycleId: string | null;
    };
    CreateAttributeBody: {
      /**
       * @description Slug; unique and immutable (A1).
       * @example onboarding-status
       */
      key: string;
      /** @example Onboarding Status */
      name: string;
      /** @example Tracks onboarding from kickoff to go-live */
      description?: string;
      /**
       * @description Free text: Onboarding, Escalation, Adoption, Renewal, Upsell …
       * @example Onboarding
       */
      flow?: string;
      /**
       * @description Initial stages, in order.
       * @example [
       *       {
       *         "name": "Kickoff",
       *         "color": "#1E88E5"
       *       },
       *       {
       *         "name": "Configuration",
       *         "color": "#43A047"
       *       },
       *       {
       *         "name": "Go Live",
       *         "color": "#8E24AA",
       *         "endStage": true
       *       }
       *     ]
       */
      stages?: components['schemas']['StageBody'][];
    };
    CreateCalendarBody: {
      /** @example germany */
      key: string;
      /** @example Germany (Berlin) */
      name: string;
      /**
       * @description ISO weekdays that are worked: 1 = Monday … 7 = Sunday. Default Monday to Friday.
       * @example [
       *       1,
       *       2,
       *       3,
       *       4,
       *       5
       *     ]
       */
      workingWeekdays?: number[];
      /**
       * @description Dates (YYYY-MM-DD, in the calendar’s zone) that are never worked; replaces the whole list.
       * @example [
       *       "2025-12-25",
       *       "2025-12-26"
       *     ]
       */
      holidays?: string[];
      /**
       * @description IANA time-zone name; the calendar’s days begin and end at its midnights.
       * @example Europe/Berlin
       */
      timeZone: string;
    };
    CreateClientTypeBody: {
      /**
       * @description The `clientType` the CRM sends.
       * @example enterprise
       */
      key: string;
      /** @example Enterprise */
      name: string;
      /**
       * @description Templates available to accounts of this type (C7).
       * @example [
       *       "enterprise-onboarding",
       *       "renewal"
       *     ]
       */
      templateIds?: string[];
      /**
       * @description A new account of this type starts it (C3).
       * @example enterprise-onboarding
       */
      defaultTemplateId?: string | null;
    };
    CreatePlayBody: {
      /** @example Kickoff overdue → call */
      name: string;
      trigger: components['schemas']['PlayTriggerBody'];
      action: components['schemas']['PlayActionBody'];
      /**
       * @description A paused play records nothing (P2).
       * @default false
       * @example false
       */
      paused?: boolean;
    };
    CreateSegmentBody: {
      /** @example Stuck in Kickoff over 30 days */
      name: string;
      /** @example Enterprise onboardings that have not left Kickoff within a month. */
      description?: string | null;
      /**
       * @description A criteria tree (SPEC S1): {"all": [...]} / {"any": [...]} of conditions. Lifecycle: {"attribute", "isOneOf" (+ "daysInStage" / "daysInAttribute": {gt, gte, lt, lte, eq}) | "isNotOneOf" | "changed": {lastDays | from / to, fromStage?, toStage?} | "completed": true | window | "doesNotExist": true}; account: {"field": "clientType" | "ownerId", "isOneOf"}, {"field": "canceled", "is"}, {"field": "renewalDate", "withinDays"}. Stages by name (case-insensitive) or id.
       * @example {
       *       "all": [
       *         {
       *           "attribute": "onboarding-status",
       *           "isOneOf": [
       *             "Kickoff"
       *           ],
       *           "daysInStage": {
       *             "gt": 30
       *           }
       *         },
       *         {
       *           "field": "clientType",
       *           "isOneOf": [
       *             "enterprise"
       *           ]
       *         }
       *       ]
       *     }
       */
      criteria: {
        [key: string]: unknown;
      };
    };
    CreateTemplateBody: {
      /**
       * @description Generated when omitted.
       * @example enterprise-onboarding
       */
      id?: string;
      /** @example Enterprise onboarding */
      name: string;
      /** @example From kickoff to go-live */
      description?: string | null;
      /**
       * @description C8: started when a cycle of this template completes.
       * @example adoption
       */
      nextTemplateId?: string | null;
      stages?: components['schemas']['TemplateStageBody'][];
    };
    CurrentStageResponse: {
      /** @example kickoff */
      stageId: string;
      /** @example Kickoff */
      name: string;
      /** @example 3 */
      daysIn: number;
      /**
       * Format: date-time
       * @example 2025-03-01T09:00:00.000Z
       */
      since: string;
    };
    CycleActivityResponse: {
      /** @example kickoff */
      id: string;
      /** @example Kickoff */
      name: string;
      /** @example 0 */
      order: number;
      daysDue: components['schemas']['DaysDueResponse'] | null;
      /**
       * Format: date
       * @example 2025-03-31
       */
      dueDate: string | null;
      /**
       * @description Why `dueDate` is null although `daysDue` is set (C4), e.g. "no active subscription".
       * @example null
       */
      dueDateReason: string | null;
      /**
       * Format: date-time
       * @example null
       */
      completedAt: string | null;
      /** @example false */
      overdue: boolean;
      tasks: components['schemas']['CycleTaskResponse'][];
    };
    CycleResponse: {
      /** @example c-5f2a9b1c0d3e */
      cycleId: string;
      /** @example acme */
      accountId: string;
      /** @example enterprise-onboarding */
      templateId: string;
      /** @example 2 */
      templateVersion: number;
      /** @example Enterprise onboarding */
      name: string;
      /**
       * @description C5: the one primary among the account’s active cycles.
       * @example true
       */
      primary: boolean;
      /**
       * @example active
       * @enum {string}
       */
      status: 'active' | 'completed' | 'removed';
      /**
       * Format: date-time
       * @example 2025-03-01T00:00:00.000Z
       */
      startDate: string;
      /**
       * Format: date-time
       * @example 2025-03-01T09:00:00.000Z
       */
      assignedAt: string;
      /**
       * Format: date-time
       * @example null
       */
      completedAt: string | null;
      /** @description C6: the first incomplete stage (active cycles only). */
      currentStage: components['schemas']['CurrentStageResponse'] | null;
      stages: components['schemas']['CycleStageResponse'][];
    };
    CyclesPreviewResponse: {
      /**
       * @description Active cycles of the template the edit applies to.
       * @example 120
       */
      cyclesReached: number;
      /**
       * @description Of those, cycles in which something would change.
       * @example 118
       */
      cyclesChanged: number;
      /**
       * @description Of those, cycles the edit would complete.
       * @example 2
       */
      cyclesCompleted: number;
      /** @example 118 */
      added: number;
      /** @example 0 */
      renamed: number;
      /** @example 4 */
      removed: number;
    };
    CycleStageResponse: {
      /** @example kickoff */
      id: string;
      /** @example Kickoff */
      name: string;
      /** @example 0 */
      order: number;
      daysDue: components['schemas']['DaysDueResponse'] | null;
      /**
       * Format: date
       * @example 2025-03-31
       */
      dueDate: string | null;
      /**
       * @description Why `dueDate` is null although `daysDue` is set (C4), e.g. "no active subscription".
       * @example null
       */
      dueDateReason: string | null;
      /**
       * Format: date-time
       * @example null
       */
      completedAt: string | null;
      /** @example false */
      overdue: boolean;
      activities: components['schemas']['CycleActivityResponse'][];
    };
    CycleTaskResponse: {
      /** @example kickoff */
      id: string;
      /** @example Kickoff */
      name: string;
      /** @example 0 */
      order: number;
      daysDue: components['schemas']['DaysDueResponse'] | null;
      /**
       * Format: date
       * @example 2025-03-31
       */
      dueDate: string | null;
      /**
       * @description Why `dueDate` is null although `daysDue` is set (C4), e.g. "no active subscription".
       * @example null
       */
      dueDateReason: string | null;
      /**
       * Format: date-time
       * @example null
       */
      completedAt: string | null;
      /** @example false */
      overdue: boolean;
      /** @example csm-42 */
      ownerId: string | null;
      /** @example csm */
      ownerRole: string | null;
    };
    DaysDueBody: {
      /**
       * @description Whole days after (positive) or before (negative) the base date.
       * @example -30
       */
      days: number;
      /**
       * @description B6: `stageEntry` needs attributeKey and stageId; `taskCompletion` needs taskId (a task of the same template).
       * @example renewal
       * @enum {string}
       */
      relativeTo: 'cycleStart' | 'renewal' | 'stageEntry' | 'taskCompletion';
      /**
       * @description B6: business days count on the account's calendar.
       * @default calendar-days
       * @enum {string}
       */
      unit?: 'calendar-days' | 'business-days';
      /**
       * @description B6, `stageEntry`: the lifecycle attribute.
       * @example onboarding-status
       */
      attributeKey?: string;
      /**
       * @description B6, `stageEntry`: the stage id whose latest entry the date counts from.
       * @example stg-implementation
       */
      stageId?: string;
      /**
       * @description B6, `taskCompletion`: the id of the task whose completion (until then, its due date) the date counts from.
       * @example kickoff-call
       */
      taskId?: string;
    };
    DaysDueResponse: {
      /**
       * @description Whole days after (positive) or before (negative) the base date.
       * @example -30
       */
      days: number;
      /**
       * @example renewal
       * @enum {string}
       */
      relativeTo: 'cycleStart' | 'renewal' | 'stageEntry' | 'taskCompletion';
    };
    DaysInFieldResponse: {
      /** @example daysIn:onboarding-status:0b6c1f9e-3f0a-4c7e-9d51-1a2b3c4d5e6f */
      field: string;
      /** @example Days in Kickoff */
      label: string;
      /**
       * @example stage
       * @enum {string}
       */
      scope: 'attribute' | 'stage';
      /**
       * @description Only for scope "stage".
       * @example 0b6c1f9e-3f0a-4c7e-9d51-1a2b3c4d5e6f
       */
      stageId?: string;
      /**
       * @description Only for scope "stage".
       * @example false
       */
      disabled?: boolean;
    };
    DayStatisticsResponse: {
      /**
       * @description Accounts the figures are computed from (non-canceled, with a known clock).
       * @example 12
       */
      accounts: number;
      /** @example 17.25 */
      avg: number | null;
      /** @example 16 */
      median: number | null;
      /** @example 41 */
      max: number | null;
    };
    DeletedSegmentResponse: {
      id: string;
      deleted: boolean;
      /** @description Members leave the segment (segment.exited) in this job. */
      membershipJobId: string;
    };
    DueDateChangeResponse: {
      /**
       * @example task
       * @enum {string}
       */
      kind: 'stage' | 'activity' | 'task';
      /** @example send-welcome-pack */
      id: string;
      /** @example Send the welcome pack */
      name: string;
      /**
       * Format: date
       * @example 2025-03-08
       */
      previousDueDate: string | null;
      /**
       * Format: date
       * @example 2025-03-15
       */
      dueDate: string | null;
    };
    DurationStatisticsResponse: {
      /** @example 14 */
      count: number;
      /** @example 6.5 */
      medianDays: number | null;
      /** @example 12 */
      p90Days: number | null;
    };
    /** @description Every refusal, from every service and the gateway. Never a stack trace. */
    ErrorResponse: {
      /** @example 404 */
      statusCode: number;
      /**
       * @description The reason phrase of the status.
       * @example Not Found
       */
      error: string;
      /**
       * @description What was wrong and what is allowed, for a person.
       * @example Attribute "renewal" does not exist
       */
      message: string;
      /** @description For programs: `code` says which refusal it is; the other fields name the ids or fields involved. */
      details: {
        /** @example ATTRIBUTE_NOT_FOUND */
        code: string;
      } & {
        [key: string]: unknown;
      };
    };
    FiringActionResponse: {
      /**
       * @example create-task
       * @enum {string}
       */
      type: 'assign-template' | 'create-task';
      /**
       * @example task-created
       * @enum {string}
       */
      outcome: 'assigned' | 'already-running' | 'task-created' | 'skipped';
      /** @example the account is unknown to cycle planning */
      reason?: string;
      /** @example onboarding-rescue */
      templateId?: string;
      /** @example 9a1c1e1e-9a55-4a5e-8d0e-3c1f3c1b9a10 */
      cycleId?: string;
      /** @example 9a1c1e1e-9a55-4a5e-8d0e-3c1f3c1b9a10 */
      taskId?: string;
      /** @example Call the customer: onboarding is overdue */
      taskName?: string;
      /** @example csm-1 */
      ownerId?: string | null;
      /**
       * @description YYYY-MM-DD
       * @example 2025-03-11
       */
      dueDate?: string;
      /**
       * Format: date-time
       * @description `task-created`: when the one-off task was completed; null while it is open.
       * @example null
       */
      completedAt?: string | null;
    };
    FiringTriggerResponse: {
      /**
       * @example stage.sla-breached
       * @enum {string}
       */
      type: 'segment.entered' | 'stage.sla-at-risk' | 'stage.sla-breached';
      /**
       * @description The trigger event id (what "once per occurrence" counts).
       * @example 7f0c1e1e-9a55-4a5e-8d0e-3c1f3c1b9a10
       */
      eventId: string;
      /**
       * Format: date-time
       * @example 2025-03-08T00:00:00.000Z
       */
      occurredAt: string;
      /** @example 0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10 */
      segmentId?: string;
      /** @example onboarding-status */
      attributeKey?: string;
      /** @example stg-kickoff */
      stageId?: string;
    };
    ImportCountsResponse: {
      /** @example 4 */
      rows: number;
      /** @example 3 */
      applied: number;
      /** @example 0 */
      noop: number;
      /** @example 0 */
      duplicate: number;
      /** @example 1 */
      invalid: number;
      /** @example 0 */
      valid: number;
      /** @example 0 */
      failed: number;
    };
    ImportReportResponse: {
      /** @example 9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10 */
      importId: string;
      /**
       * @description Background job (async imports).
       * @example null
       */
      jobId: string | null;
      /** @enum {string} */
      status: 'queued' | 'running' | 'completed' | 'failed';
      /** @enum {string} */
      phase: 'checking' | 'validating' | 'applying' | 'done';
      /** @example false */
      dryRun: boolean;
      /** @example false */
      atomic: boolean;
      /**
       * @description Atomic import refused because some rows are invalid: nothing was applied.
       * @example false
       */
      rejected: boolean;
      /** @example 4 */
      totalRows: number | null;
      summary: components['schemas']['ImportCountsResponse'];
      /** @example null */
      error: string | null;
      /** @example e3b0c442… */
      fileSha256: string;
      /** @example /v1/imports/statuses/9b2f…/rows */
      reportUrl: string;
      /** @description The first rows of the report, in file order; the rest at reportUrl. */
      rows: components['schemas']['ImportReportRowResponse'][];
      /**
       * @description More rows than listed here.
       * @example false
       */
      truncated: boolean;
    };
    ImportReportRowResponse: {
      /**
       * @description Line number in the file (the header is line 1).
       * @example 3
       */
      row: number;
      /** @example acme */
      accountId: string;
      /** @example onboarding-status */
      attributeKey: string;
      /**
       * @description The stage as written (empty = clear).
       * @example Kickof
       */
      value: string;
      /**
       * @description applied | noop (same value, L8) | duplicate (imported before, L12) | invalid (refused, see reason) | valid (would apply: dry run or refused atomic import) | failed (contention; import again)
       * @example invalid
       * @enum {string}
       */
      status: 'applied' | 'noop' | 'duplicate' | 'invalid' | 'valid' | 'failed';
      /** @example Stage "Kickof" is not a stage of attribute "onboarding-status"; allowed stages: Kickoff, Configuration, Implementation, Go Live */
      reason: string | null;
    };
    ImportRowsPageResponse: {
      rows: components['schemas']['ImportReportRowResponse'][];
      /** @example 1 */
      page: number;
      /** @example 500 */
      pageSize: number;
      /** @example 4 */
      total: number;
    };
    ImportSummaryResponse: {
      /** @example 9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10 */
      importId: string;
      /**
       * @description Background job (async imports).
       * @example null
       */
      jobId: string | null;
      /** @enum {string} */
      status: 'queued' | 'running' | 'completed' | 'failed';
      /** @enum {string} */
      phase: 'checking' | 'validating' | 'applying' | 'done';
      /** @example false */
      dryRun: boolean;
      /** @example false */
      atomic: boolean;
      /**
       * @description Atomic import refused because some rows are invalid: nothing was applied.
       * @example false
       */
      rejected: boolean;
      /** @example 4 */
      totalRows: number | null;
      summary: components['schemas']['ImportCountsResponse'];
      /** @example null */
      error: string | null;
      /** @example e3b0c442… */
      fileSha256: string;
      /** @example /v1/imports/statuses/9b2f…/rows */
      reportUrl: string;
    };
    ItemRefResponse: {
      /**
       * @example task
       * @enum {string}
       */
      kind: 'cycle' | 'stage' | 'activity' | 'task';
      /** @example send-welcome-pack */
      id: string;
      /** @example Send the welcome pack */
      name: string;
    };
    JobResponse: {
      /** @example tracking-imports-import-9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10 */
      jobId: string;
      /**
       * @description The queue that holds the job (the first part of its id).
       * @example tracking-imports
       */
      queue: string;
      /** @example import-statuses */
      name: string;
      /**
       * @example active
       * @enum {string}
       */
      state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'prioritized' | 'waiting-children' | 'unknown';
      /**
       * @description Job-specific progress: a number (0 before the first report), or an object such as {"phase": "applying", "rowsDone": 5000}.
       * @example {
       *       "phase": "applying",
       *       "rowsDone": 5000,
       *       "totalRows": 100000
       *     }
       */
      progress:
        | number
        | string
        | boolean
        | {
            [key: string]: unknown;
          }
        | unknown[];
      /**
       * @description The return value once completed, else null.
       * @example null
       */
      result:
        | number
        | string
        | boolean
        | ({
            [key: string]: unknown;
          } | null)
        | unknown[];
      /** @example null */
      failedReason: string | null;
      /** @example 1 */
      attemptsMade: number;
      /**
       * Format: date-time
       * @example 2025-03-08T00:05:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @example 2025-03-08T00:05:00.120Z
       */
      processedAt: string | null;
      /**
       * Format: date-time
       * @example 2025-03-08T00:05:09.800Z
       */
      finishedAt: string | null;
    };
    LifecycleReportResponse: {
      /** @example onboarding-status */
      attribute: string;
      /**
       * Format: date-time
       * @example 2025-01-01T00:00:00.000Z
       */
      from: string;
      /**
       * Format: date-time
       * @example 2025-04-01T00:00:00.000Z
       */
      to: string;
      /**
       * @example week
       * @enum {string}
       */
      interval: 'day' | 'week' | 'month';
      /**
       * @description Accounts with at least one cycle in scope.
       * @example 20
       */
      accounts: number;
      /**
       * @description Accounts without a value at `to`.
       * @example 1
       */
      accountsWithoutValue: number;
      cycles: components['schemas']['ReportCyclesResponse'];
      stages: components['schemas']['StageReportResponse'][];
      cycleDays: components['schemas']['DurationStatisticsResponse'];
      timeline: components['schemas']['TimelinePointResponse'][];
    };
    LifecycleResponse: {
      /** @description Null = no value ("None"). */
      stage: components['schemas']['StageRefResponse'] | null;
      /**
       * @description 0 = never started.
       * @example 1
       */
      cycle: number;
      /** @example 0 */
      completedCycles: number;
      /**
       * @description Sitting in an end stage (L5).
       * @example false
       */
      completed: boolean;
      /** @example 2025-03-01T09:00:00.000Z */
      cycleStartedAt: string | null;
      /** @example 2025-03-07T09:00:00.000Z */
      stageEnteredAt: string | null;
      /** @example null */
      lastCompletedAt: string | null;
      /** @example 10 */
      daysInAttribute: number | null;
      /** @example 864000000 */
      msInAttribute: number | null;
      /**
       * @description B2: whole business days of the current cycle, on the account's calendar.
       * @example 8
       */
      businessDaysInAttribute: number | null;
      /**
       * @description B2: whole business days in the current stage in this cycle.
       * @example 4
       */
      businessDaysInStage: number | null;
      /** @description B3: the SLA status of the current stage. */
      sla: components['schemas']['SlaResponse'];
      /** @description Every stage of the attribute, in order. */
      stages: components['schemas']['StageCountersResponse'][];
    };
    MemberResponse: {
      /** @example acme */
      accountId: string;
      /** @example Acme */
      name: string;
      clientType: string | null;
      ownerId: string | null;
      canceled: boolean;
    };
    MembersPageResponse: {
      items: components['schemas']['MemberResponse'][];
      /** @description All members (count). */
      total: number;
      page: number;
      pageSize: number;
      /** @description The instant the (time-based) criteria were evaluated at. */
      evaluatedAt: string;
    };
    PlayActionBody: {
      /**
       * @example create-task
       * @enum {string}
       */
      type: 'assign-template' | 'create-task';
      /**
       * @description `assign-template`: the SuccessCycle template.
       * @example onboarding-rescue
       */
      templateId?: string;
      /**
       * @description `create-task`: the task for the account owner.
       * @example Call the customer: onboarding is overdue
       */
      taskName?: string;
      /**
       * @description `create-task`: due this many business days after the trigger, on the account calendar.
       * @example 2
       */
      dueInBusinessDays?: number;
    };
    PlayActionResponse: {
      /**
       * @example create-task
       * @enum {string}
       */
      type: 'assign-template' | 'create-task';
      /** @example onboarding-rescue */
      templateId?: string;
      /** @example Call the customer: onboarding is overdue */
      taskName?: string;
      /** @example 2 */
      dueInBusinessDays?: number;
    };
    PlayFiringPageResponse: {
      /** @description Newest first. */
      items: components['schemas']['PlayFiringResponse'][];
      /** @example 3 */
      total: number;
      /** @example 1 */
      page: number;
      /** @example 50 */
      pageSize: number;
    };
    PlayFiringResponse: {
      /** @example 9a1c1e1e-9a55-4a5e-8d0e-3c1f3c1b9a10 */
      id: string;
      /** @example 5d0c1f0e-3a55-4a5e-8d0e-3c1f3c1b9a10 */
      playId: string;
      /** @example Kickoff overdue → call */
      playName: string;
      /** @example acme */
      accountId: string;
      trigger: components['schemas']['FiringTriggerResponse'];
      action: components['schemas']['FiringActionResponse'];
      /**
       * Format: date-time
       * @example 2025-03-08T00:00:01.000Z
       */
      firedAt: string;
    };
    PlayListResponse: {
      items: components['schemas']['PlayResponse'][];
      /** @example 3 */
      total: number;
      /** @example 1 */
      page: number;
      /** @example 50 */
      pageSize: number;
    };
    PlayResponse: {
      /** @example 5d0c1f0e-3a55-4a5e-8d0e-3c1f3c1b9a10 */
      id: string;
      /** @example Kickoff overdue → call */
      name: string;
      trigger: components['schemas']['PlayTriggerResponse'];
      action: components['schemas']['PlayActionResponse'];
      /** @example false */
      paused: boolean;
      /** @example 1 */
      version: number;
      /**
       * Format: date-time
       * @example 2025-03-01T09:00:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @example 2025-03-01T09:00:00.000Z
       */
      updatedAt: string;
    };
    PlayTriggerBody: {
      /**
       * @example stage.sla-breached
       * @enum {string}
       */
      type: 'segment.entered' | 'stage.sla-at-risk' | 'stage.sla-breached';
      /**
       * @description `segment.entered`: the saved segment.
       * @example 0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10
       */
      segmentId?: string;
      /**
       * @description SLA triggers: the attribute whose stage SLAs are watched.
       * @example onboarding-status
       */
      attributeKey?: string;
      /**
       * @description SLA triggers: one stage of the attribute (every stage when absent).
       * @example stg-kickoff
       */
      stageId?: string;
    };
    PlayTriggerResponse: {
      /**
       * @example stage.sla-breached
       * @enum {string}
       */
      type: 'segment.entered' | 'stage.sla-at-risk' | 'stage.sla-breached';
      /** @example 0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10 */
      segmentId?: string;
      /** @example onboarding-status */
      attributeKey?: string;
      /** @example stg-kickoff */
      stageId?: string;
    };
    PreviewResponse: {
      /** @description Matching accounts. */
      count: number;
      /** @description The first page of members. */
      members: components['schemas']['MemberResponse'][];
      /** @description The criteria in canonical form. */
      criteria: {
        [key: string]: unknown;
      };
      evaluatedAt: string;
    };
    PreviewSegmentBody: {
      /**
       * @description A criteria tree (SPEC S1): {"all": [...]} / {"any": [...]} of conditions. Lifecycle: {"attribute", "isOneOf" (+ "daysInStage" / "daysInAttribute": {gt, gte, lt, lte, eq}) | "isNotOneOf" | "changed": {lastDays | from / to, fromStage?, toStage?} | "completed": true | window | "doesNotExist": true}; account: {"field": "clientType" | "ownerId", "isOneOf"}, {"field": "canceled", "is"}, {"field": "renewalDate", "withinDays"}. Stages by name (case-insensitive) or id.
       * @example {
       *       "all": [
       *         {
       *           "attribute": "onboarding-status",
       *           "isOneOf": [
       *             "Kickoff"
       *           ],
       *           "daysInStage": {
       *             "gt": 30
       *           }
       *         },
       *         {
       *           "field": "clientType",
       *           "isOneOf": [
       *             "enterprise"
       *           ]
       *         }
       *       ]
       *     }
       */
      criteria: {
        [key: string]: unknown;
      };
      /**
       * @description Members returned with the count (the first page).
       * @example 20
       */
      pageSize?: number;
    };
    PrimaryCycleResponse: {
      primaryCycle: components['schemas']['PrimaryCycleSummaryResponse'] | null;
    };
    PrimaryCycleSummaryResponse: {
      /** @example c-5f2a9b1c0d3e */
      cycleId: string;
      /** @example enterprise-onboarding */
      templateId: string;
      /** @example Enterprise onboarding */
      name: string;
      /** @example Kickoff */
      stage: string | null;
      /** @example 3 */
      daysInStage: number | null;
    };
    ProgressGroupResponse: {
      /**
       * @description null: the "None" group (no value).
       * @example stg-kickoff
       */
      stageId: string | null;
      /** @example Kickoff */
      name: string;
      /** @example 0 */
      order: number | null;
      /** @example false */
      endStage: boolean;
      /** @example false */
      disabled: boolean;
      /**
       * @description False for a stage id the catalog does not (or no longer) know.
       * @example true
       */
      known: boolean;
      /** @example 12 */
      count: number;
      /**
       * @example [
       *       "acme",
       *       "globex"
       *     ]
       */
      accountIds: string[];
      /**
       * @description More members in the group than listed (`limitPerStage`).
       * @example false
       */
      accountIdsTruncated: boolean;
      /** @description Whole days in the current stage (L9); canceled accounts are not measured (L10). */
      daysInStage: components['schemas']['DayStatisticsResponse'];
      /** @description B3: the accounts of the group by the SLA status of their stage; all 0 for a stage without an SLA, canceled accounts not counted. */
      sla: components['schemas']['SlaCountsResponse'];
    };
    ProgressResponse: {
      /** @example 0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10 */
      segmentId: string;
      /** @example onboarding-status */
      attribute: string;
      /**
       * Format: date-time
       * @description The instant the board describes.
       * @example 2025-03-08T10:00:00.000Z
       */
      at: string;
      /**
       * Format: date-time
       * @example null
       */
      asOf: string | null;
      /** @example 40 */
      total: number;
      /** @description Stages in order, then "None", then stages the catalog no longer knows. */
      groups: components['schemas']['ProgressGroupResponse'][];
    };
    RemovedCycleResponse: {
      /** @example c-5f2a9b1c0d3e */
      cycleId: string;
      /**
       * @description The primary cycle after the removal (C5).
       * @example null
       */
      primaryCycleId: string | null;
    };
    RenamedItemRefResponse: {
      /**
       * @example task
       * @enum {string}
       */
      kind: 'cycle' | 'stage' | 'activity' | 'task';
      /** @example send-welcome-pack */
      id: string;
      /** @example Send the welcome pack */
      name: string;
      /** @example Send welcome pack */
      previousName: string;
    };
    ReportCyclesResponse: {
      /** @example 20 */
      inScope: number;
      /** @example 8 */
      completed: number;
      /** @example 12 */
      running: number;
      /** @example 1 */
      cleared: number;
      /** @example 2 */
      restarted: number;
      /** @example 3 */
      movedBack: number;
    };
    SegmentListResponse: {
      items: components['schemas']['SegmentResponse'][];
      total: number;
      page: number;
      pageSize: number;
    };
    SegmentResponse: {
      /** @example 0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10 */
      id: string;
      /** @example Stuck in Kickoff over 30 days */
      name: string;
      description: string | null;
      /**
       * @description Canonical form: stages as ids, windows as ISO date-times.
       * @example {
       *       "attribute": "onboarding-status",
       *       "isOneOf": [
       *         "stg-kickoff"
       *       ],
       *       "daysInStage": {
       *         "gt": 30
       *       }
       *     }
       */
      criteria: {
        [key: string]: unknown;
      };
      /**
       * @example [
       *       "onboarding-status"
       *     ]
       */
      attributes: string[];
      /** @description Membership changes with time alone (re-evaluated daily). */
      timeBased: boolean;
      /** @example 1 */
      version: number;
      /**
       * Format: date-time
       * @example 2025-03-01T09:00:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @example 2025-03-01T09:00:00.000Z
       */
      updatedAt: string;
      /**
       * @description The membership re-evaluation this change started (GET /v1/jobs/{jobId}).
       * @example segments-membership-segment-0b5c2c1e-v1
       */
      membershipJobId?: string;
    };
    SessionResponse: {
      /**
       * @description admin reads and writes; viewer only reads.
       * @example viewer
       * @enum {string}
       */
      role: 'admin' | 'viewer';
      /**
       * @description Non-secret id of the key, as recorded in histories (`actor`).
       * @example key-1a2b3c4d
       */
      keyId: string;
    };
    SetDefaultTemplateBody: {
      /** @example enterprise-onboarding */
      templateId: string;
    };
    SetStatusBody: {
      /**
       * @description Stage name or id; null clears the value (L7).
       * @example Configuration
       */
      stage: string | null;
      /**
       * @description Effective time (default: now; not in the future). Earlier than the latest change = backdated (L11).
       * @example 2025-03-07T09:00:00.000Z
       */
      at?: string | unknown | unknown;
    };
    SetStatusResponse: {
      /**
       * @description applied: written to the history; noop: same value (L8); duplicate: idempotency key seen before (L12).
       * @example applied
       * @enum {string}
       */
      outcome: 'applied' | 'noop' | 'duplicate';
      /** @example 1f0c… */
      changeId: string | null;
      /**
       * @description The change landed before the latest one and the counters were recomputed (L11).
       * @example false
       */
      recomputed: boolean;
      /** @example acme */
      accountId: string;
      /** @example onboarding-status */
      attributeKey: string;
      /** @example false */
      canceled: boolean;
      lifecycle: components['schemas']['LifecycleResponse'];
    };
    SettingsResponse: {
      /** @example default-successcycle */
      defaultCycleTemplateId: string;
      /** @example Default SuccessCycle */
      defaultCycleTemplateName: string | null;
    };
    SlaCountsResponse: {
      /**
       * @description Accounts before the at-risk point of the stage SLA (B3).
       * @example 7
       */
      onTrack: number;
      /**
       * @description Accounts from the at-risk point until the expected duration.
       * @example 3
       */
      atRisk: number;
      /**
       * @description Accounts past the expected duration.
       * @example 2
       */
      overdue: number;
    };
    SlaResponse: {
      /**
       * @example at-risk
       * @enum {string}
       */
      status: 'on-track' | 'at-risk' | 'overdue' | 'none';
      /** @example 5 */
      expected: number | null;
      /**
       * @example business-days
       * @enum {string|null}
       */
      unit: 'business-days' | 'calendar-days' | null;
      /** @example 0.8 */
      atRisk: number | null;
      /**
       * @description When the stage entry reaches the at-risk point.
       * @example 2025-03-06T23:00:00.000Z
       */
      atRiskAt: string | null;
      /**
       * @description When the expected duration is used up (overdue from then).
       * @example 2025-03-07T23:00:00.000Z
       */
      dueAt: string | null;
    };
    StageBody: {
      /**
       * @description Unique within the attribute, ignoring case.
       * @example Kickoff
       */
      name: string;
      /** @example #1E88E5 */
      color: string;
      /**
       * @description Reaching an end stage completes the cycle (L5).
       * @default false
       * @example false
       */
      endStage?: boolean;
      /**
       * @description A disabled stage cannot be set on new accounts (A5).
       * @default false
       * @example false
       */
      disabled?: boolean;
      sla?: components['schemas']['StageSlaBody'] | null;
    };
    StageCountersResponse: {
      /** @example stg-kickoff */
      id: string;
      /** @example Kickoff */
      name: string;
      /**
       * @description Whole days in this stage in the current cycle (L9); null for a canceled account (L10).
       * @example 6
       */
      days: number | null;
      /** @example 518400000 */
      ms: number | null;
      /**
       * @description Cumulative days over all cycles.
       * @example 6
       */
      totalDays: number | null;
      /** @example 518400000 */
      totalMs: number | null;
      /**
       * @description B2: whole business days in this stage in the current cycle, on the account's calendar; null when canceled.
       * @example 4
       */
      businessDays: number | null;
    };
    StageOrderBody: {
      /**
       * @example [
       *       "0b6c…-kickoff-id",
       *       "5d1e…-configuration-id",
       *       "9f3a…-go-live-id"
       *     ]
       */
      stageIds: string[];
    };
    StageRefResponse: {
      /** @example stg-configuration */
      id: string;
      /** @example Configuration */
      name: string;
    };
    StageReportResponse: {
      /** @example stg-kickoff */
      stageId: string;
      /** @example Kickoff */
      name: string;
      /** @example 0 */
      order: number;
      /** @example false */
      endStage: boolean;
      /** @example false */
      disabled: boolean;
      /**
       * @description Accounts in this stage at `to`.
       * @example 5
       */
      accounts: number;
      /**
       * @description Cycles in scope that entered the stage.
       * @example 20
       */
      entered: number;
      /**
       * @description Of those, cycles that reached a later stage afterwards.
       * @example 14
       */
      advanced: number;
      /**
       * @description advanced / entered; null for an end stage or none entered.
       * @example 0.7
       */
      conversion: number | null;
      days: components['schemas']['DurationStatisticsResponse'];
    };
    StageResponse: {
      /**
       * @description Stable id; history and "Days in" fields refer to it.
       * @example 0b6c1f9e-3f0a-4c7e-9d51-1a2b3c4d5e6f
       */
      id: string;
      /** @example Kickoff */
      name: string;
      /** @example #1E88E5 */
      color: string;
      /**
       * @description Position, from 0.
       * @example 0
       */
      order: number;
      /** @example false */
      endStage: boolean;
      /** @example false */
      disabled: boolean;
      /** @description B3: the stage SLA; null = none. */
      sla: components['schemas']['StageSlaResponse'] | null;
    };
    StageSlaBody: {
      /**
       * @description Expected time in the stage, in whole days of `unit`.
       * @example 5
       */
      expected: number;
      /**
       * @description Business days count on the account's calendar (B2).
       * @example business-days
       * @enum {string}
       */
      unit: 'business-days' | 'calendar-days';
      /**
       * @description At risk from this fraction of `expected`.
       * @default 0.8
       * @example 0.8
       */
      atRisk?: number;
    };
    StageSlaResponse: {
      /**
       * @description Expected time in the stage, in whole days of `unit`.
       * @example 5
       */
      expected: number;
      /**
       * @example business-days
       * @enum {string}
       */
      unit: 'business-days' | 'calendar-days';
      /**
       * @description At risk from this fraction of `expected`; absent = 0.8.
       * @example 0.8
       */
      atRisk?: number;
    };
    StatusHistoryEntryResponse: {
      /** @example 1f0c… */
      changeId: string;
      /**
       * @description Insertion order.
       * @example 2
       */
      seq: number;
      from: components['schemas']['StageRefResponse'] | null;
      to: components['schemas']['StageRefResponse'] | null;
      /** @example 2025-03-07T09:00:00.000Z */
      at: string;
      /** @example 2025-03-07T09:00:01.000Z */
      recordedAt: string;
      /** @enum {string} */
      source: 'rest' | 'csv' | 'crm';
      /** @example csm-42 */
      actor: string | null;
      /** @example b7d1… */
      requestId: string | null;
      /**
       * @description False when, in time order, the entry repeats the value it lands on (no transition).
       * @example true
       */
      effective: boolean;
      /** @enum {string|null} */
      cause: 'set' | 'moved-back' | 'cycle-restarted' | 'cleared' | null;
      /** @example 1 */
      cycle: number | null;
    };
    StatusHistoryResponse: {
      /** @example acme */
      accountId: string;
      /** @example onboarding-status */
      attributeKey: string;
      /** @description In time order (L11). */
      entries: components['schemas']['StatusHistoryEntryResponse'][];
    };
    SubscriptionResponse: {
      /** @example true */
      active: boolean;
      /** @example 2026-01-31 */
      renewalDate: string | null;
    };
    TaskPageResponse: {
      /** @description Sorted by due date (no due date last). */
      items: components['schemas']['TaskRowResponse'][];
      /** @example 1 */
      page: number;
      /** @example 50 */
      pageSize: number;
      /** @example 120 */
      total: number;
    };
    TaskRowResponse: {
      /** @example acme */
      accountId: string;
      /**
       * @description Null for a play task (`kind: play-task`), which belongs to no cycle.
       * @example c-5f2a9b1c0d3e
       */
      cycleId: string | null;
      /**
       * @description Null for a play task (`kind: play-task`), which belongs to no cycle.
       * @example Enterprise onboarding
       */
      cycleName: string | null;
      /**
       * @description Null for a play task (`kind: play-task`), which belongs to no cycle.
       * @example kickoff
       */
      stageId: string | null;
      /**
       * @description Null for a play task (`kind: play-task`), which belongs to no cycle.
       * @example Kickoff
       */
      stageName: string | null;
      /**
       * @description Null for a play task (`kind: play-task`), which belongs to no cycle.
       * @example welcome
       */
      activityId: string | null;
      /**
       * @description Null for a play task (`kind: play-task`), which belongs to no cycle.
       * @example Welcome
       */
      activityName: string | null;
      /**
       * @description Null for an activity row; a play task’s id is its firing id (complete it at `/v1/accounts/{accountId}/play-tasks/{taskId}/complete`).
       * @example send-welcome-pack
       */
      taskId: string | null;
      /** @example Send the welcome pack */
      taskName: string | null;
      /**
       * @example task
       * @enum {string}
       */
      kind: 'activity' | 'task' | 'play-task';
      /**
       * Format: date
       * @example 2025-03-08
       */
      dueDate: string | null;
      /** @example csm-42 */
      ownerId: string | null;
      /** @example false */
      overdue: boolean;
      /**
       * @description The play that made a play task; null for cycle rows.
       * @example null
       */
      playId: string | null;
      /**
       * @description Its name when the play fired; null for cycle rows.
       * @example null
       */
      playName: string | null;
    };
    TemplateActivityBody: {
      tasks?: components['schemas']['TemplateTaskBody'][];
      /**
       * @description Keep it to keep the item (C10); omit for a new item.
       * @example kickoff
       */
      id?: string;
      /** @example Kickoff */
      name: string;
      /**
       * @description Sort key among siblings; default: the position in the list.
       * @example 1
       */
      order?: number;
      daysDue?: components['schemas']['DaysDueBody'] | null;
    };
    TemplateActivityResponse: {
      /** @example welcome */
      id: string;
      /** @example Welcome */
      name: string;
      /** @example 0 */
      order: number;
      daysDue: components['schemas']['DaysDueResponse'] | null;
      tasks: components['schemas']['TemplateTaskResponse'][];
    };
    TemplateBody: {
      /** @example Enterprise onboarding */
      name: string;
      /** @example From kickoff to go-live */
      description?: string | null;
      /**
       * @description C8: started when a cycle of this template completes.
       * @example adoption
       */
      nextTemplateId?: string | null;
      stages?: components['schemas']['TemplateStageBody'][];
    };
    TemplateChangesResponse: {
      added: components['schemas']['ItemRefResponse'][];
      renamed: components['schemas']['RenamedItemRefResponse'][];
      removed: components['schemas']['ItemRefResponse'][];
    };
    TemplateEditPreviewResponse: {
      /** @example enterprise-onboarding */
      templateId: string;
      /** @example 2 */
      fromVersion: number;
      /** @example 3 */
      toVersion: number;
      template: components['schemas']['TemplateChangesResponse'];
      cycles: components['schemas']['CyclesPreviewResponse'];
    };
    TemplateEditResponse: {
      template: components['schemas']['TemplateResponse'];
      /**
       * @description C10: follow at GET /v1/jobs/{jobId}.
       * @example cycles-recalculation-propagate-enterprise-onboarding-v2
       */
      propagationJobId: string;
    };
    TemplateListResponse: {
      items: components['schemas']['TemplateResponse'][];
    };
    TemplateResponse: {
      /** @example enterprise-onboarding */
      id: string;
      /** @example Enterprise onboarding */
      name: string;
      /** @example From kickoff to go-live */
      description: string | null;
      /**
       * @description +1 with every edit (C10).
       * @example 2
       */
      version: number;
      /**
       * @description C8: started when a cycle of this template completes.
       * @example adoption
       */
      nextTemplateId: string | null;
      /**
       * @description C2: the global default.
       * @example false
       */
      isDefault: boolean;
      /**
       * @description The built-in default template (it cannot be deleted).
       * @example false
       */
      builtIn: boolean;
      stages: components['schemas']['TemplateStageResponse'][];
      /**
       * Format: date-time
       * @example 2025-03-01T09:00:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @example 2025-03-02T09:00:00.000Z
       */
      updatedAt: string;
    };
    TemplateStageBody: {
      activities?: components['schemas']['TemplateActivityBody'][];
      /**
       * @description Keep it to keep the item (C10); omit for a new item.
       * @example kickoff
       */
      id?: string;
      /** @example Kickoff */
      name: string;
      /**
       * @description Sort key among siblings; default: the position in the list.
       * @example 1
       */
      order?: number;
      daysDue?: components['schemas']['DaysDueBody'] | null;
    };
    TemplateStageResponse: {
      /** @example kickoff */
      id: string;
      /** @example Kickoff */
      name: string;
      /** @example 0 */
      order: number;
      daysDue: components['schemas']['DaysDueResponse'] | null;
      activities: components['schemas']['TemplateActivityResponse'][];
    };
    TemplateTaskBody: {
      /**
       * @description "csm" assigns the task to the account owner.
       * @example csm
       */
      ownerRole?: string | null;
      /**
       * @description Keep it to keep the item (C10); omit for a new item.
       * @example kickoff
       */
      id?: string;
      /** @example Kickoff */
      name: string;
      /**
       * @description Sort key among siblings; default: the position in the list.
       * @example 1
       */
      order?: number;
      daysDue?: components['schemas']['DaysDueBody'] | null;
    };
    TemplateTaskResponse: {
      /** @example send-welcome-pack */
      id: string;
      /** @example Send the welcome pack */
      name: string;
      /** @example 0 */
      order: number;
      daysDue: components['schemas']['DaysDueResponse'] | null;
      /** @example csm */
      ownerRole: string | null;
    };
    TimelinePointResponse: {
      /**
       * Format: date-time
       * @example 2025-03-02T00:00:00.000Z
       */
      at: string;
      /**
       * @description Accounts per stage id at `at`.
       * @example {
       *       "stg-kickoff": 4,
       *       "stg-configuration": 2
       *     }
       */
      stages: {
        [key: string]: number;
      };
      /** @example 1 */
      none: number;
    };
    UpdateAttributeBody: {
      /** @example Onboarding Status */
      name?: string;
      /** @example Tracks onboarding from kickoff to go-live */
      description?: string;
      /**
       * @description `null` unlinks the flow.
       * @example Onboarding
       */
      flow?: string | null;
    };
    UpdateCalendarBody: {
      /** @example Germany (Berlin) */
      name?: string;
      /**
       * @description ISO weekdays that are worked: 1 = Monday … 7 = Sunday. Default Monday to Friday.
       * @example [
       *       1,
       *       2,
       *       3,
       *       4,
       *       5
       *     ]
       */
      workingWeekdays?: number[];
      /**
       * @description Dates (YYYY-MM-DD, in the calendar’s zone) that are never worked; replaces the whole list.
       * @example [
       *       "2025-12-25",
       *       "2025-12-26"
       *     ]
       */
      holidays?: string[];
      /**
       * @description IANA time-zone name; the calendar’s days begin and end at its midnights.
       * @example Europe/Berlin
       */
      timeZone?: string;
    };
    UpdateCycleBody: {
      /**
       * @description Make this cycle the primary one (C5); only `true` is accepted.
       * @example true
       * @enum {boolean}
       */
      primary?: true;
      /**
       * @description C11: the new start date.
       * @example 2025-03-01
       */
      startDate?: string | unknown | unknown;
      /**
       * @description C11: also move the cycle-start-relative due dates of incomplete items.
       * @example true
       */
      recalculate?: boolean;
    };
    UpdatedCycleResponse: {
      /** @example c-5f2a9b1c0d3e */
      cycleId: string;
      /** @example acme */
      accountId: string;
      /** @example enterprise-onboarding */
      templateId: string;
      /** @example 2 */
      templateVersion: number;
      /** @example Enterprise onboarding */
      name: string;
      /**
       * @description C5: the one primary among the account’s active cycles.
       * @example true
       */
      primary: boolean;
      /**
       * @example active
       * @enum {string}
       */
      status: 'active' | 'completed' | 'removed';
      /**
       * Format: date-time
       * @example 2025-03-01T00:00:00.000Z
       */
      startDate: string;
      /**
       * Format: date-time
       * @example 2025-03-01T09:00:00.000Z
       */
      assignedAt: string;
      /**
       * Format: date-time
       * @example null
       */
      completedAt: string | null;
      /** @description C6: the first incomplete stage (active cycles only). */
      currentStage: components['schemas']['CurrentStageResponse'] | null;
      stages: components['schemas']['CycleStageResponse'][];
      /** @description C11: the due dates the start date change moved. */
      dueDateChanges: components['schemas']['DueDateChangeResponse'][];
    };
    UpdatePlayBody: {
      /** @example Kickoff overdue → call */
      name?: string;
      trigger?: components['schemas']['PlayTriggerBody'];
      action?: components['schemas']['PlayActionBody'];
      /**
       * @description Pause (true) or resume (false); occurrences while paused are not replayed.
       * @example true
       */
      paused?: boolean;
    };
    UpdateSegmentBody: {
      /** @example Stuck in Kickoff over 45 days */
      name?: string;
      description?: string | null;
      /**
       * @description A criteria tree (SPEC S1): {"all": [...]} / {"any": [...]} of conditions. Lifecycle: {"attribute", "isOneOf" (+ "daysInStage" / "daysInAttribute": {gt, gte, lt, lte, eq}) | "isNotOneOf" | "changed": {lastDays | from / to, fromStage?, toStage?} | "completed": true | window | "doesNotExist": true}; account: {"field": "clientType" | "ownerId", "isOneOf"}, {"field": "canceled", "is"}, {"field": "renewalDate", "withinDays"}. Stages by name (case-insensitive) or id.
       * @example {
       *       "all": [
       *         {
       *           "attribute": "onboarding-status",
       *           "isOneOf": [
       *             "Kickoff"
       *           ],
       *           "daysInStage": {
       *             "gt": 30
       *           }
       *         },
       *         {
       *           "field": "clientType",
       *           "isOneOf": [
       *             "enterprise"
       *           ]
       *         }
       *       ]
       *     }
       */
      criteria?: {
        [key: string]: unknown;
      };
    };
    UpdateStageBody: {
      /** @example Kick-off */
      name?: string;
      /** @example #FB8C00 */
      color?: string;
      /**
       * @description Allowed in any state (A4, A5).
       * @example true
       */
      disabled?: boolean;
      /**
       * @description May change only while the attribute is a draft (409 once active).
       * @example false
       */
      endStage?: boolean;
      sla?: components['schemas']['StageSlaBody'] | null;
    };
  };
  responses: {
    /** @description The request does not match this document: `details.fields` names every offending field and what is allowed. */
    BadRequest: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorResponse'];
      };
    };
    /** @description No API key, or not a valid one: send `Authorization: Bearer <api key>`. */
    Unauthorized: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorResponse'];
      };
    };
    /** @description The key’s role may not do this (a viewer may only read). */
    Forbidden: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorResponse'];
      };
    };
    /** @description What the request names does not exist; `details.code` says which kind of thing. */
    NotFound: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorResponse'];
      };
    };
    /** @description The current state refuses the change (a rule such as A4), or another writer changed it first: reload and retry. */
    Conflict: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorResponse'];
      };
    };
    /** @description The body is over the limit (1 MB of JSON; the CSV import has its own limit). */
    PayloadTooLarge: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorResponse'];
      };
    };
    /** @description The body is not in the media type this operation reads. */
    UnsupportedMediaType: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorResponse'];
      };
    };
    /** @description The request has the documented shape, but a rule refuses its content; the message names the rule and what is allowed. */
    UnprocessableEntity: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorResponse'];
      };
    };
    /** @description Over the API key’s requests per minute; retry after `Retry-After` seconds. */
    TooManyRequests: {
      headers: {
        /** @description Seconds until the key may call again. */
        'Retry-After': number;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorResponse'];
      };
    };
    /** @description The service that owns the operation is not reachable now; retry shortly. */
    ServiceUnavailable: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorResponse'];
      };
    };
  };
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  AccountViewController_list: {
    parameters: {
      query?: {
        /**
         * @description Only accounts with a state of this attribute.
         * @example onboarding-status
         */
        attribute?: string;
        /**
         * @description Stage name or id (needs `attribute`); "none" = no value.
         * @example Kickoff
         */
        stage?: string;
        /** @example 1 */
        page?: number;
        /** @example 50 */
        pageSize?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AccountPageResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AccountViewController_view: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example acme */
        accountId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AccountResponse'] & {
            /** @description Null without a primary cycle, or while cycle planning is unavailable (then `degraded` names it). */
            primaryCycle: components['schemas']['PrimaryCycleSummaryResponse'] | null;
            /** @description Services whose part is missing from this answer. */
            degraded?: 'cycle-planning'[];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AccountCyclesController_available: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        accountId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateListResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AccountCyclesController_list: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        accountId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AccountCyclesResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AccountCyclesController_assign: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        accountId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AssignCycleBody'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AccountCyclesController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        cycleId: string;
        accountId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RemovedCycleResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AccountCyclesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        cycleId: string;
        accountId: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['UpdateCycleBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UpdatedCycleResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AccountCyclesController_completeActivity: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        activityId: string;
        accountId: string;
        cycleId: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CompleteItemBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CompletionResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AccountCyclesController_completeStage: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        stageId: string;
        accountId: string;
        cycleId: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CompleteItemBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CompletionResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AccountCyclesController_completeTask: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        taskId: string;
        accountId: string;
        cycleId: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CompleteItemBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CompletionResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  PlaysController_accountFirings: {
    parameters: {
      query?: {
        /** @example 1 */
        page?: number;
        /** @example 50 */
        pageSize?: number;
      };
      header?: never;
      path: {
        accountId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlayFiringPageResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  PlaysController_completeTask: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        accountId: string;
        taskId: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CompletePlayTaskBody'];
      };
    };
    responses: {
      /** @description The firing that made the task, with `action.completedAt`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlayFiringResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AccountCyclesController_primary: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        accountId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PrimaryCycleResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AccountSegmentsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example acme */
        accountId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AccountSegmentsResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  StatusesController_put: {
    parameters: {
      query?: never;
      header?: {
        /** @description A repeat with the same key changes nothing (L12); default: the request id. */
        'Idempotency-Key'?: string;
      };
      path: {
        /** @example acme */
        accountId: string;
        /** @example onboarding-status */
        attributeKey: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SetStatusBody'];
      };
    };
    responses: {
      /** @description Applied, or nothing to do. 404: unknown attribute; 409: disabled stage or inactive attribute (L1, A5); 422: unknown stage or `at` in the future (L1). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SetStatusResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  StatusesController_history: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example acme */
        accountId: string;
        /** @example onboarding-status */
        attributeKey: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StatusHistoryResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AttributesController_list: {
    parameters: {
      query?: {
        /** @example active */
        state?: 'draft' | 'active';
        /**
         * @description Exact flow, ignoring case and surrounding spaces.
         * @example Onboarding
         */
        flow?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AttributeResponse'][];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AttributesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateAttributeBody'];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description The version of the attribute, for If-Match. */
          ETag?: string;
          /** @description The new attribute. */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AttributeResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AttributesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example onboarding-status */
        key: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          /** @description The version of the attribute, for If-Match. */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AttributeResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AttributesController_update: {
    parameters: {
      query?: never;
      header?: {
        /** @description The version (ETag) the change is based on, e.g. "3"; a stale one gives 409. Without it (or `*`) the server checks the version it read. */
        'If-Match'?: string;
      };
      path: {
        /** @example onboarding-status */
        key: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['UpdateAttributeBody'];
      };
    };
    responses: {
      200: {
        headers: {
          /** @description The version of the attribute, for If-Match. */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AttributeResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AttributesController_activate: {
    parameters: {
      query?: never;
      header?: {
        /** @description The version (ETag) the change is based on, e.g. "3"; a stale one gives 409. Without it (or `*`) the server checks the version it read. */
        'If-Match'?: string;
      };
      path: {
        /** @example onboarding-status */
        key: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          /** @description The version of the attribute, for If-Match. */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AttributeResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AttributesController_daysInFields: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example onboarding-status */
        key: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DaysInFieldResponse'][];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AttributesController_reorderStages: {
    parameters: {
      query?: never;
      header?: {
        /** @description The version (ETag) the change is based on, e.g. "3"; a stale one gives 409. Without it (or `*`) the server checks the version it read. */
        'If-Match'?: string;
      };
      path: {
        /** @example onboarding-status */
        key: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['StageOrderBody'];
      };
    };
    responses: {
      200: {
        headers: {
          /** @description The version of the attribute, for If-Match. */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AttributeResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AttributesController_addStage: {
    parameters: {
      query?: never;
      header?: {
        /** @description The version (ETag) the change is based on, e.g. "3"; a stale one gives 409. Without it (or `*`) the server checks the version it read. */
        'If-Match'?: string;
      };
      path: {
        /** @example onboarding-status */
        key: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['StageBody'];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description The version of the attribute, for If-Match. */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AttributeResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AttributesController_removeStage: {
    parameters: {
      query?: never;
      header?: {
        /** @description The version (ETag) the change is based on, e.g. "3"; a stale one gives 409. Without it (or `*`) the server checks the version it read. */
        'If-Match'?: string;
      };
      path: {
        /** @example 0b6c1f9e-3f0a-4c7e-9d51-1a2b3c4d5e6f */
        stageId: string;
        /** @example onboarding-status */
        key: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          /** @description The version of the attribute, for If-Match. */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AttributeResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  AttributesController_updateStage: {
    parameters: {
      query?: never;
      header?: {
        /** @description The version (ETag) the change is based on, e.g. "3"; a stale one gives 409. Without it (or `*`) the server checks the version it read. */
        'If-Match'?: string;
      };
      path: {
        /** @example 0b6c1f9e-3f0a-4c7e-9d51-1a2b3c4d5e6f */
        stageId: string;
        /** @example onboarding-status */
        key: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['UpdateStageBody'];
      };
    };
    responses: {
      200: {
        headers: {
          /** @description The version of the attribute, for If-Match. */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AttributeResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  BulkPrimaryController_setPrimary: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['BulkPrimaryBody'];
      };
    };
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BulkPrimaryResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  CalendarsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CalendarResponse'][];
        };
      };
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  CalendarsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateCalendarBody'];
      };
    };
    responses: {
      201: {
        headers: {
          /** @description The new calendar. */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CalendarResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  CalendarsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example germany */
        key: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CalendarResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  CalendarsController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example germany */
        key: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CalendarResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  CalendarsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example germany */
        key: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['UpdateCalendarBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CalendarResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  ClientTypesController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ClientTypeListResponse'];
        };
      };
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  ClientTypesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateClientTypeBody'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ClientTypeResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  ClientTypesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        key: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ClientTypeResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  ClientTypesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        key: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ClientTypeBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ClientTypeResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  ClientTypesController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        key: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  TemplatesController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateListResponse'];
        };
      };
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  TemplatesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateTemplateBody'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  TemplatesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        templateId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  TemplatesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        templateId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TemplateBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateEditResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  TemplatesController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        templateId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  TemplatesController_preview: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        templateId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TemplateBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateEditPreviewResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  StatusImportController_import: {
    parameters: {
      query?: {
        /** @description Apply all rows or none: validate every row first, apply only if none is invalid (L13). */
        atomic?: 'true' | 'false';
        /** @description Validate and report, apply nothing (L13). */
        dryRun?: 'true' | 'false';
        /** @description Answer 202 at once and import in a background job (large files); progress at GET /v1/jobs/{jobId}. */
        async?: 'true' | 'false';
      };
      header?: {
        /** @description Row keys become <key>+row; default: the file SHA-256 + row, so the same file twice changes nothing. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    /** @description A CSV file: a header naming accountId, attributeKey, stage (and optionally at), then one row per status. */
    requestBody: {
      content: {
        'text/csv': string;
      };
    };
    responses: {
      /** @description Imported (or validated) now. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImportReportResponse'];
        };
      };
      /** @description async=true: queued; follow GET /v1/jobs/{jobId}. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImportSummaryResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  StatusImportController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example 9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10 */
        importId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImportSummaryResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  StatusImportController_rows: {
    parameters: {
      query?: {
        status?: 'applied' | 'noop' | 'duplicate' | 'invalid' | 'valid' | 'failed';
        /** @example 1 */
        page?: number;
        /** @example 500 */
        pageSize?: number;
      };
      header?: never;
      path: {
        /** @example 9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10 */
        importId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImportRowsPageResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  JobStatusController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description `<queue>-<key>`: the queue that holds the job, then the key of its work.
         * @example cycles-recalculation-propagate-enterprise-onboarding-v2
         */
        jobId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  PlaysController_list: {
    parameters: {
      query?: {
        /** @example 1 */
        page?: number;
        /** @example 50 */
        pageSize?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlayListResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  PlaysController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreatePlayBody'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlayResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  PlaysController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        playId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlayResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  PlaysController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        playId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  PlaysController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        playId: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['UpdatePlayBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlayResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  PlaysController_firings: {
    parameters: {
      query?: {
        /** @example 1 */
        page?: number;
        /** @example 50 */
        pageSize?: number;
      };
      header?: never;
      path: {
        playId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlayFiringPageResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  ReportsController_lifecycle: {
    parameters: {
      query: {
        /** @example onboarding-status */
        attribute: string;
        /**
         * @description Window start (inclusive); default: 90 days before `to`.
         * @example 2025-01-01
         */
        from?: string;
        /**
         * @description Window end (exclusive; a date includes that whole day); default: now.
         * @example 2025-03-31
         */
        to?: string;
        /** @description Timeline step; default: day up to 62 days, week up to 2 years, else month. */
        interval?: 'day' | 'week' | 'month';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LifecycleReportResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  SegmentsController_list: {
    parameters: {
      query?: {
        /** @example 1 */
        page?: number;
        /** @example 50 */
        pageSize?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SegmentListResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  SegmentsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateSegmentBody'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SegmentResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  SegmentsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example 0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10 */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SegmentResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  SegmentsController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example 0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10 */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeletedSegmentResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  SegmentsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example 0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10 */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['UpdateSegmentBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SegmentResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  SegmentsController_members: {
    parameters: {
      query?: {
        /** @example 1 */
        page?: number;
        /** @example 50 */
        pageSize?: number;
      };
      header?: never;
      path: {
        /** @example 0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10 */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MembersPageResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  SegmentsController_progress: {
    parameters: {
      query: {
        /**
         * @description The attribute whose stages make the board.
         * @example onboarding-status
         */
        attribute: string;
        /**
         * @description The board as it was then (stages and days from the history); not after now.
         * @example 2025-01-31
         */
        asOf?: string;
        /**
         * @description Account ids listed per stage (counts and statistics cover all).
         * @example 50
         */
        limitPerStage?: number;
      };
      header?: never;
      path: {
        /** @example 0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10 */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ProgressResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  SegmentsController_preview: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PreviewSegmentBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PreviewResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  SessionController_session: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SessionResponse'];
        };
      };
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  SettingsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SettingsResponse'];
        };
      };
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  SettingsController_setDefault: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SetDefaultTemplateBody'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SettingsResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  TasksController_list: {
    parameters: {
      query?: {
        /** @example acme */
        accountId?: string;
        /**
         * @description Tasks of this owner (tasks without an owner are the account owner’s).
         * @example user-7
         */
        ownerId?: string;
        /**
         * @description true: due day passed; false: not overdue (incl. no due date).
         * @example true
         */
        overdue?: boolean;
        /**
         * @description Due before this day (exclusive).
         * @example 2025-04-01
         */
        dueBefore?: string | unknown | unknown;
        /** @example 1 */
        page?: number;
        /** @example 50 */
        pageSize?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TaskPageResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      422: components['responses']['UnprocessableEntity'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
}
