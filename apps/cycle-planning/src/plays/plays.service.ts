import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { buildEnvelope, nameBasedId } from '@lifecycle/messaging';
import { AggregateLock } from '@lifecycle/storage';
import {
  CycleError,
  CycleErrorCode,
  catalogProblems,
  namedList,
  playTaskCompletion,
  playTaskOf,
  segmentProblems,
  validatePlay,
  type Play,
  type PlayAction,
  type PlayFiring,
  type PlayTask,
  type PlayTrigger,
} from '../domain';
import { AttributeReplicaRepository } from '../attributes/attribute-replica.repository';
import { SavedSegmentRepository } from '../segments/saved-segment.repository';
import { CycleTemplateRepository } from '../templates/cycle-template.repository';
import { PlayFiringRepository } from './play-firing.repository';
import { PlayOutbox } from './play-outbox';
import { PlayRepository, type PlayFields } from './play.repository';

export interface PlayInput {
  name: string;
  trigger: PlayTrigger;
  action: PlayAction;
  paused?: boolean;
}

export type PlayChanges = Partial<PlayInput>;

/** How often an edit is tried again when another edit of the same play won the race. */
const MAX_ATTEMPTS = 5;

/** P1/P2: plays as an admin defines them, and their firings per play and per account. */
@Injectable()
export class PlaysService {
  constructor(
    private readonly plays: PlayRepository,
    private readonly firings: PlayFiringRepository,
    private readonly templates: CycleTemplateRepository,
    private readonly attributes: AttributeReplicaRepository,
    private readonly segments: SavedSegmentRepository,
    private readonly outbox: PlayOutbox,
    private readonly lock: AggregateLock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async create(input: PlayInput): Promise<Play> {
    const fields = await this.checked({
      name: input.name.trim(),
      trigger: input.trigger,
      action: input.action,
      paused: input.paused ?? false,
    });
    return this.plays.insert(randomUUID(), fields, new Date());
  }

  async list(page: number, pageSize: number): Promise<{ items: Play[]; total: number }> {
    return this.plays.page((page - 1) * pageSize, pageSize);
  }

  async get(id: string): Promise<Play> {
    const play = await this.plays.get(id);
    if (play === undefined) throw playNotFound(id);
    return play;
  }

  /** Edits, pauses (`paused: true`) and resumes; occurrences while paused are never replayed (P2). */
  async update(id: string, changes: PlayChanges): Promise<Play> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      const fields = await this.checked({
        name: changes.name?.trim() ?? current.name,
        trigger: changes.trigger ?? current.trigger,
        action: changes.action ?? current.action,
        paused: changes.paused ?? current.paused,
      });
      const updated = await this.plays.update(id, current.version, fields, new Date());
      if (updated !== undefined) return updated;
    }
    throw new CycleError(CycleErrorCode.ConcurrentUpdate, `Play "${id}" kept changing while this edit was applied; retry`, { playId: id });
  }

  /** Its firings stay listed (per account too): they happened. */
  async remove(id: string): Promise<void> {
    if (!(await this.plays.delete(id))) throw playNotFound(id);
  }

  async firingsOfPlay(id: string, page: number, pageSize: number): Promise<{ items: PlayFiring[]; total: number }> {
    await this.get(id);
    return this.firings.page({ playId: id }, (page - 1) * pageSize, pageSize);
  }

  async firingsOfAccount(accountId: string, page: number, pageSize: number): Promise<{ items: PlayFiring[]; total: number }> {
    return this.firings.page({ accountId }, (page - 1) * pageSize, pageSize);
  }

  /**
   * P1: completes a play's one-off task once (`playTaskCompletion`: a second time is a 409
   * `TASK_ALREADY_COMPLETED`, like a cycle task), with `play.task-completed` in the firing's outbox
   * in the same update. The update matches an open task only, so two racing completions (two
   * instances) record one; the loser reads it back completed and gets the 409.
   */
  async completeTask(accountId: string, taskId: string, at: Date | undefined): Promise<PlayFiring> {
    return this.lock.run(taskId, async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const firing = await this.firings.get(taskId);
        const task = firing === undefined || firing.accountId !== accountId ? null : playTaskOf(firing);
        if (firing === undefined || task === null) {
          throw new CycleError(CycleErrorCode.TaskNotFound, `Account "${accountId}" has no play task "${taskId}"`, { accountId, taskId });
        }
        const now = new Date();
        const completedAt = playTaskCompletion(task, at, now);
        if (await this.firings.completeTask(taskId, completedAt, this.completedEvent(task, completedAt))) {
          this.outbox.flushSoon(taskId);
          return { ...firing, action: { ...firing.action, completedAt } };
        }
      }
      throw new CycleError(CycleErrorCode.ConcurrentUpdate, `Play task "${taskId}" kept changing while it was completed; retry`, {
        taskId,
      });
    });
  }

  private completedEvent(task: PlayTask, completedAt: Date): AnyEnvelope {
    return buildEnvelope(
      this.config.serviceName,
      'play.task-completed',
      {
        playId: task.playId,
        playName: task.playName,
        accountId: task.accountId,
        taskId: task.taskId,
        taskName: task.taskName,
        ownerId: task.ownerId,
        dueDate: task.dueDate.toISOString().slice(0, 10),
        completedAt: completedAt.toISOString(),
      },
      // Once per task: a retried publish of the same completion keeps its id.
      { id: nameBasedId(`cycle-planning:play-task-completed:${task.taskId}`), occurredAt: completedAt },
    ) as AnyEnvelope;
  }

  /**
   * P1: the rules' checks (`validatePlay`), then what the play names must exist: the saved segment
   * of `segment.entered` in the replica of `segment.definitions` (`segmentProblems`), the attribute
   * and stage of an SLA trigger in the catalog's replica (`catalogProblems`), the template it
   * assigns. Every problem is listed in one 422 `INVALID_PLAY`, naming what exists.
   */
  private async checked(fields: PlayFields): Promise<PlayFields> {
    validatePlay(fields);
    const problems =
      fields.trigger.type === 'segment.entered'
        ? segmentProblems(fields.trigger, await this.segments.names())
        : catalogProblems(fields.trigger, await this.attributes.playCatalog());
    const action = fields.action;
    if (action.type === 'assign-template' && (await this.templates.get(action.templateId)) === undefined) {
      const known = (await this.templates.list()).map((t) => t.template.id).sort();
      problems.push(`action assign-template: unknown template "${action.templateId}"; templates: ${namedList(known) || 'none'}`);
    }
    if (problems.length > 0) {
      throw new CycleError(CycleErrorCode.InvalidPlay, `Play "${fields.name}" is invalid: ${problems.join('; ')}`, {
        problems,
        ...(action.type === 'assign-template' ? { templateId: action.templateId } : {}),
      });
    }
    return { ...fields, trigger: stripped(fields.trigger), action: stripped(fields.action) };
  }
}

function playNotFound(id: string): CycleError {
  return new CycleError(CycleErrorCode.PlayNotFound, `No play "${id}"`, { playId: id });
}

/** The stored form keeps the fields that were given, nothing undefined. */
function stripped<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
