import type { DaysDue } from '../domain';

/**
 * `cycle_templates`: the current version of each template (C1), plus
 * - `propagatedVersion`: the highest version whose propagation job finished (C10); a template whose
 *   `version` is ahead gets its job (re)queued at start, so an edit saved just before a crash still
 *   reaches its cycles;
 * - `isBuiltIn`: the global default created at first start (C2).
 * `template_versions`: one immutable snapshot per saved version (`_id` = `<templateId>@<version>`),
 * which propagation reads, so a job always applies the edit it was queued for.
 * Items are stored as the domain has them (plain subdocuments, optional fields absent).
 */
export const CYCLE_TEMPLATE_COLLECTION = 'cycle_templates';
export const TEMPLATE_VERSION_COLLECTION = 'template_versions';

export interface StoredTemplateTask {
  id: string;
  name: string;
  order: number;
  daysDue?: DaysDue;
  ownerRole?: string;
}

export interface StoredTemplateActivity {
  id: string;
  name: string;
  order: number;
  daysDue?: DaysDue;
  tasks: StoredTemplateTask[];
}

export interface StoredTemplateStage {
  id: string;
  name: string;
  order: number;
  daysDue?: DaysDue;
  activities: StoredTemplateActivity[];
}

export interface StoredTemplate {
  name: string;
  description: string | null;
  version: number;
  nextTemplateId: string | null;
  stages: StoredTemplateStage[];
}

export interface CycleTemplateDocument extends StoredTemplate {
  _id: string;
  propagatedVersion: number;
  isBuiltIn: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface TemplateVersionDocument {
  /** `<templateId>@<version>` */
  _id: string;
  templateId: string;
  version: number;
  template: StoredTemplate;
  createdAt: Date;
}

export function templateVersionId(templateId: string, version: number): string {
  return `${templateId}@${version}`;
}
