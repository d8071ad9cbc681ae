/**
 * The names the console uses for the API's shapes: the platform's OpenAPI schemas
 * (docs/openapi.json, generated from the code by `npm run contract` into
 * libs/contracts/src/api/openapi.ts), under the words the screens speak.
 */
import type { components, paths } from '@lifecycle/contracts/api';

type Schemas = components['schemas'];

export type Attribute = Schemas['AttributeResponse'];
export type Stage = Schemas['StageResponse'];
export type StageInput = Schemas['StageBody'];
export type AccountView = Schemas['AccountResponse'];
/** `GET /v1/accounts/{id}` (SPEC 5.4): the account, its primary cycle, and which part is missing if any. */
export type ComposedAccount = paths['/v1/accounts/{accountId}']['get']['responses'][200]['content']['application/json'];
export type LifecycleView = Schemas['LifecycleResponse'];
export type ImportSummary = Schemas['ImportSummaryResponse'];
export type ImportRow = Schemas['ImportReportRowResponse'];
export type Segment = Schemas['SegmentResponse'];
export type Member = Schemas['MemberResponse'];

export type CycleTemplate = Schemas['TemplateResponse'];
/** The whole tree of `PUT /v1/cycle-templates/{id}` and its preview. */
export type TemplateBody = Schemas['TemplateBody'];
export type TemplateEditPreview = Schemas['TemplateEditPreviewResponse'];
export type DaysDue = Schemas['DaysDueResponse'];
export type DaysDueBase = DaysDue['relativeTo'];
export type ClientType = Schemas['ClientTypeResponse'];
export type Settings = Schemas['SettingsResponse'];
export type AccountCycle = Schemas['CycleResponse'];
export type CycleActivity = Schemas['CycleActivityResponse'];
export type CycleTask = Schemas['CycleTaskResponse'];
export type LifecycleReport = Schemas['LifecycleReportResponse'];
export type Play = Schemas['PlayResponse'];
export type PlayBody = Schemas['CreatePlayBody'];
export type PlayFiring = Schemas['PlayFiringResponse'];
export type TaskRow = Schemas['TaskRowResponse'];
export type SlaView = Schemas['SlaResponse'];
export type ReportInterval = LifecycleReport['interval'];
/** What `GET /v1/session` says of the presented key. */
export type KeySession = Schemas['SessionResponse'];
/** The platform's one error body (SPEC 5.3). */
export type ErrorResponse = Schemas['ErrorResponse'];
