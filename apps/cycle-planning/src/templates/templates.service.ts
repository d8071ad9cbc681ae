import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ClientTypeRepository } from '../client-types/client-type.repository';
import { AccountRepository } from '../accounts/account.repository';
import { AccountCyclesRepository } from '../cycles/account-cycles.repository';
import { ownersByRoleOf } from '../cycles/cycle-assignment';
import {
  CycleError,
  CycleErrorCode,
  diffTemplates,
  previewPropagation,
  templateNotFound,
  validateTemplate,
  validateTemplateEdit,
  type CycleTemplate,
  type PropagationChanges,
  type PropagationPreview,
} from '../domain';
import { CalendarReplica } from '@lifecycle/messaging';
import { StageEntriesRepository } from '../accounts/stage-entries.repository';
import { CycleJobsQueue } from '../jobs/cycle-jobs.queue';
import { CycleTemplateRepository, type TemplateRecord } from './cycle-template.repository';
import { DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_ID } from './default-cycle-template';
import { SettingsRepository } from './settings.repository';
import { buildTemplate, type TemplateInput } from './template-input';

export interface TemplateEdit {
  template: TemplateRecord;
  propagationJobId: string;
}

export interface TemplateEditPreview {
  templateId: string;
  fromVersion: number;
  toVersion: number;
  /** What the edit changes in the template itself. */
  template: PropagationChanges;
  /** What it would do to the active cycles of the template (completed work is exempt, C10). */
  cycles: PropagationPreview;
}

export interface SettingsView {
  defaultCycleTemplateId: string;
  defaultCycleTemplateName: string | null;
}

/** Accounts previewed together (their facts are one read: on the embedded engine a scan of `accounts`). */
const PREVIEW_PAGE = 500;

/** C1, C2, C10: the template catalog, the global default, and edits (queued propagation). */
@Injectable()
export class TemplatesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TemplatesService.name);

  constructor(
    private readonly templates: CycleTemplateRepository,
    private readonly settings: SettingsRepository,
    private readonly clientTypes: ClientTypeRepository,
    private readonly cycles: AccountCyclesRepository,
    private readonly accounts: AccountRepository,
    private readonly jobs: CycleJobsQueue,
    private readonly stageEntries: StageEntriesRepository,
    private readonly calendars: CalendarReplica,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureDefaultTemplate();
    // C10: an edit saved just before a crash, or whose job expired unfinished, is propagated now.
    for (const template of await this.templates.pendingPropagations()) {
      await this.jobs.enqueuePropagation(template.id, template.version);
      this.logger.log(`propagation of ${template.id} v${template.version} queued at start`);
    }
  }

  /** C2: the built-in default exists from first start (idempotent: fixed id, insert if absent). */
  async ensureDefaultTemplate(): Promise<void> {
    const now = new Date();
    if ((await this.templates.get(DEFAULT_TEMPLATE_ID)) === undefined) {
      await this.templates.insert(buildTemplate(DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_ID, 1), now, true);
    }
    await this.settings.initialize(DEFAULT_TEMPLATE_ID, now);
  }

  async list(): Promise<TemplateRecord[]> {
    return this.templates.list();
  }

  async get(templateId: string): Promise<TemplateRecord> {
    const record = await this.templates.get(templateId);
    if (record === undefined) throw templateNotFound(templateId);
    return record;
  }

  async defaultTemplateId(): Promise<string> {
    return (await this.settings.get())?.defaultTemplateId ?? DEFAULT_TEMPLATE_ID;
  }

  /** C3: the template a new account of `clientType` starts with: the type's default, else the global one. */
  async defaultTemplateFor(clientType: string | null): Promise<CycleTemplate> {
    const type = clientType === null ? undefined : await this.clientTypes.get(clientType);
    if (type?.defaultTemplateId) {
      const record = await this.templates.get(type.defaultTemplateId);
      if (record) return record.template;
      this.logger.warn(`client type ${type.key}: default template ${type.defaultTemplateId} is missing; using the global default`);
    }
    let record = await this.templates.get(await this.defaultTemplateId());
    if (record === undefined) {
      // Events can arrive before start-up finished creating the default.
      await this.ensureDefaultTemplate();
      record = await this.templates.get(await this.defaultTemplateId());
    }
    if (record === undefined) throw templateNotFound(await this.defaultTemplateId());
    return record.template;
  }

  /** C1 quick entry: the whole tree in one request; version 1. */
  async create(input: TemplateInput, templateId: string): Promise<TemplateRecord> {
    const template = buildTemplate(input, templateId, 1);
    validateTemplate(template);
    await this.assertNextTemplate(template);
    if (!(await this.templates.insert(template, new Date()))) {
      throw new CycleError(CycleErrorCode.TemplateAlreadyExists, `Cycle template "${templateId}" already exists`, { templateId });
    }
    return this.get(templateId);
  }

  /** C1/C10: an edit is a new version; its propagation to the active cycles is queued. */
  async update(templateId: string, input: TemplateInput): Promise<TemplateEdit> {
    const current = await this.get(templateId);
    const next = this.nextVersion(current.template, input);
    await this.assertNextTemplate(next);
    const now = new Date();
    if (!(await this.templates.replace(next, current.template.version, now))) {
      throw new CycleError(
        CycleErrorCode.ConcurrentUpdate,
        `Cycle template "${templateId}" was edited by someone else meanwhile (it is no longer version ${current.template.version}); reload and edit again`,
        { templateId, version: current.template.version },
      );
    }
    await this.templates.saveVersion(next, now);
    const propagationJobId = await this.jobs.enqueuePropagation(templateId, next.version);
    return { template: await this.get(templateId), propagationJobId };
  }

  /** C10 preview: what the edit would change, in the template and in its active cycles; nothing is saved. */
  async preview(templateId: string, input: TemplateInput): Promise<TemplateEditPreview> {
    const current = (await this.get(templateId)).template;
    const next = this.nextVersion(current, input);
    const total: PropagationPreview = {
      cyclesReached: 0,
      cyclesChanged: 0,
      cyclesCompleted: 0,
      added: 0,
      renamed: 0,
      removed: 0,
      addedDated: 0,
      addedWaiting: 0,
    };
    // One pass over the accounts running the template (see `streamRunningTemplate`), facts a page at a time.
    for await (const page of this.cycles.streamRunningTemplate(templateId, PREVIEW_PAGE)) {
      const ids = page.map((r) => r.accountId);
      const [facts, entries, calendarOf] = await Promise.all([
        this.accounts.getMany(ids),
        this.stageEntries.getMany(ids),
        this.calendars.snapshot(),
      ]);
      const part = previewPropagation(
        current,
        next,
        page.flatMap((r) => r.cycles),
        (cycle) => ({
          subscription: facts.get(cycle.accountId)?.subscription ?? null,
          ownersByRole: ownersByRoleOf(facts.get(cycle.accountId)),
          calendar: calendarOf(facts.get(cycle.accountId)?.calendarKey).calendar,
          stageEntries: entries.get(cycle.accountId) ?? new Map(),
        }),
      );
      for (const key of Object.keys(total) as (keyof PropagationPreview)[]) total[key] += part[key];
    }
    return { templateId, fromVersion: current.version, toVersion: next.version, template: diffTemplates(current, next), cycles: total };
  }

  /** Refused (409) while the template is in use: active cycles, a default, or another template's next. */
  async remove(templateId: string): Promise<void> {
    await this.get(templateId);
    const inUse = (message: string, details: Record<string, unknown>) =>
      new CycleError(CycleErrorCode.TemplateInUse, `Cycle template "${templateId}" cannot be deleted: ${message}`, {
        templateId,
        ...details,
      });
    if ((await this.defaultTemplateId()) === templateId) {
      throw inUse('it is the global default cycle; make another template the default first', {});
    }
    const defaultingTypes = await this.clientTypes.defaultingTo(templateId);
    if (defaultingTypes.length > 0) {
      const keys = defaultingTypes.map((t) => t.key);
      throw inUse(`it is the default cycle of client type(s) ${keys.join(', ')}`, { clientTypes: keys });
    }
    const chaining = (await this.templates.chainingTo(templateId)).filter((t) => t.id !== templateId);
    if (chaining.length > 0) {
      const ids = chaining.map((t) => t.id);
      throw inUse(`template(s) ${ids.join(', ')} start it when they complete (C8)`, { chainedFrom: ids });
    }
    const running = await this.cycles.countAccountsRunningTemplate(templateId);
    if (running > 0) throw inUse(`${running} account(s) run an active cycle of it`, { activeAccounts: running });
    await this.templates.delete(templateId);
    await this.clientTypes.withdrawTemplate(templateId, new Date());
  }

  async settingsView(): Promise<SettingsView> {
    const id = await this.defaultTemplateId();
    return { defaultCycleTemplateId: id, defaultCycleTemplateName: (await this.templates.get(id))?.template.name ?? null };
  }

  /** C2: another template becomes the global default. */
  async setDefaultTemplate(templateId: string): Promise<SettingsView> {
    await this.get(templateId);
    await this.settings.setDefaultTemplate(templateId, new Date());
    return this.settingsView();
  }

  private nextVersion(current: CycleTemplate, input: TemplateInput): CycleTemplate {
    const next = buildTemplate(input, current.id, current.version + 1);
    validateTemplateEdit(current, next);
    return next;
  }

  private async assertNextTemplate(template: CycleTemplate): Promise<void> {
    const nextId = template.nextTemplateId ?? null;
    if (nextId === null || nextId === template.id) return;
    if ((await this.templates.existing([nextId])).size === 0) {
      throw new CycleError(CycleErrorCode.InvalidTemplate, `nextTemplateId "${nextId}" is not a cycle template`, {
        templateId: template.id,
        nextTemplateId: nextId,
      });
    }
  }
}
