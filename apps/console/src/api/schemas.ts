/**
 * The names the console uses for the API's shapes. Most are the gateway's OpenAPI schemas
 * (`openapi.ts`, generated: `npm run console:api`); the shapes below the line are answers the
 * document does not describe (cycle planning, the progress board, the lifecycle report, an
 * account's segments), written from the services' views and kept to the fields the console reads.
 */
import type { components } from './openapi';

type Schemas = components['schemas'];

export type Attribute = Schemas['AttributeResponse'];
export type Stage = Schemas['StageResponse'];
export type StageInput = Schemas['StageInputDto'];
export type AccountView = Schemas['AccountViewDto'];
export type AccountPage = Schemas['AccountPageDto'];
export type LifecycleView = Schemas['LifecycleViewDto'];
export type StageCounters = Schemas['StageCountersDto'];
export type StatusHistory = Schemas['StatusHistoryDto'];
export type StatusHistoryEntry = Schemas['StatusHistoryEntryDto'];
export type ImportSummary = Schemas['ImportSummaryDto'];
export type ImportRow = Schemas['ImportReportRowDto'];
export type ImportRowsPage = Schemas['ImportRowsPageDto'];
export type Job = Schemas['JobViewDto'];
export type Segment = Schemas['SegmentView'];
export type SegmentList = Schemas['SegmentListView'];
export type SegmentPreview = Schemas['PreviewView'];
export type Member = Schemas['MemberView'];
export type MembersPage = Schemas['MembersView'];

// ---------------------------------------------------------------------------------------------
// Answers the document does not describe.

export type DaysDueBase = 'cycleStart' | 'renewal';

export interface DaysDue {
  days: number;
  relativeTo: DaysDueBase;
}

interface TemplateItem {
  id: string;
  name: string;
  order: number;
  daysDue: DaysDue | null;
}

export interface TemplateTask extends TemplateItem {
  ownerRole: string | null;
}

export interface TemplateActivity extends TemplateItem {
  tasks: TemplateTask[];
}

export interface TemplateStage extends TemplateItem {
  activities: TemplateActivity[];
}

/** `GET /v1/cycle-templates/{id}` (cycle-planning `templates/dto/template.view.ts`). */
export interface CycleTemplate {
  id: string;
  name: string;
  description: string | null;
  version: number;
  nextTemplateId: string | null;
  isDefault: boolean;
  builtIn: boolean;
  stages: TemplateStage[];
  createdAt: string;
  updatedAt: string;
}

export interface TemplateList {
  items: CycleTemplate[];
}

export interface TemplateEdit {
  template: CycleTemplate;
  propagationJobId: string;
}

export interface ChangedItem {
  kind: 'cycle' | 'stage' | 'activity' | 'task';
  id: string;
  name: string;
}

/** `POST /v1/cycle-templates/{id}/preview` (C10). */
export interface TemplateEditPreview {
  templateId: string;
  fromVersion: number;
  toVersion: number;
  template: { added: ChangedItem[]; renamed: (ChangedItem & { previousName: string })[]; removed: ChangedItem[] };
  cycles: { cyclesReached: number; cyclesChanged: number; cyclesCompleted: number; added: number; renamed: number; removed: number };
}

export interface Settings {
  defaultCycleTemplateId: string;
  defaultCycleTemplateName: string | null;
}

export interface ClientType {
  key: string;
  name: string;
  templateIds: string[];
  defaultTemplateId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ClientTypeList {
  items: ClientType[];
}

interface CycleItem {
  id: string;
  name: string;
  order: number;
  daysDue: DaysDue | null;
  /** `YYYY-MM-DD`. */
  dueDate: string | null;
  /** Why there is no due date although `daysDue` is set (C4). */
  dueDateReason: string | null;
  completedAt: string | null;
  overdue: boolean;
}

export interface CycleTask extends CycleItem {
  ownerId: string | null;
  ownerRole: string | null;
}

export interface CycleActivity extends CycleItem {
  tasks: CycleTask[];
}

export interface CycleStage extends CycleItem {
  activities: CycleActivity[];
}

/** An account's cycle (cycle-planning `cycles/dto/cycle.view.ts`). */
export interface AccountCycle {
  cycleId: string;
  accountId: string;
  templateId: string;
  templateVersion: number;
  name: string;
  primary: boolean;
  status: 'active' | 'completed' | 'removed';
  startDate: string;
  assignedAt: string;
  completedAt: string | null;
  currentStage: { stageId: string; name: string; daysIn: number; since: string } | null;
  stages: CycleStage[];
}

export interface AccountCycles {
  accountId: string;
  primaryCycleId: string | null;
  cycles: AccountCycle[];
}

/** `GET /v1/tasks` rows (C9). */
export interface OpenTask {
  accountId: string;
  cycleId: string;
  cycleName: string;
  stageId: string;
  stageName: string;
  activityId: string;
  activityName: string;
  taskId: string | null;
  taskName: string | null;
  kind: 'activity' | 'task';
  dueDate: string | null;
  ownerId: string | null;
  overdue: boolean;
}

export interface TaskPage {
  items: OpenTask[];
  page: number;
  pageSize: number;
  total: number;
}

export interface DayStatistics {
  accounts: number;
  avg: number | null;
  median: number | null;
  max: number | null;
}

/** `GET /v1/segments/{id}/progress` (S4). */
export interface ProgressBoard {
  segmentId: string;
  attribute: string;
  at: string;
  asOf: string | null;
  total: number;
  groups: {
    /** null: the "None" group. */
    stageId: string | null;
    name: string;
    order: number | null;
    endStage: boolean;
    disabled: boolean;
    known: boolean;
    count: number;
    accountIds: string[];
    accountIdsTruncated: boolean;
    daysInStage: DayStatistics;
  }[];
}

export interface DurationStatistics {
  count: number;
  medianDays: number | null;
  p90Days: number | null;
}

/** `GET /v1/reports/lifecycle`. */
export interface LifecycleReport {
  attribute: string;
  from: string;
  to: string;
  interval: 'day' | 'week' | 'month';
  accounts: number;
  accountsWithoutValue: number;
  cycles: { inScope: number; completed: number; running: number; cleared: number; restarted: number; movedBack: number };
  stages: {
    stageId: string;
    name: string;
    order: number;
    endStage: boolean;
    disabled: boolean;
    accounts: number;
    entered: number;
    advanced: number;
    conversion: number | null;
    days: DurationStatistics;
  }[];
  cycleDays: DurationStatistics;
  timeline: { at: string; stages: Record<string, number>; none: number }[];
}
