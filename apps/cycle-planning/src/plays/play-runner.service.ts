import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { buildEnvelope, CalendarReplica, nameBasedId } from '@lifecycle/messaging';
import { AccountRepository } from '../accounts/account.repository';
import { AccountCyclesService } from '../cycles/account-cycles.service';
import { CycleError, CycleErrorCode, playTaskDueDate, triggers, type Play, type PlayFiring, type TriggerOccurrence } from '../domain';
import { PlayFiringRepository } from './play-firing.repository';
import { PlayOutbox } from './play-outbox';
import { PlayRepository } from './play.repository';

/** P2: the firing id — the same play and trigger event always give the same id, whoever computes it. */
export function playFiringId(playId: string, triggerEventId: string): string {
  return nameBasedId(`cycle-planning:play-firing:${playId}|${triggerEventId}`);
}

/**
 * P1/P2: runs the plays a trigger occurrence sets off, each exactly once per occurrence. The
 * firing id is name-based on (play, trigger event id): the firing document is inserted once (a
 * redelivered event finds it and does nothing), the one-off task lives in it (written with it),
 * and a template is assigned under the firing id as the cycle id, so a retry after a crash between
 * the assignment and the record finds its own cycle and records `assigned`, never a second cycle.
 */
@Injectable()
export class PlayRunner {
  private readonly logger = new Logger(PlayRunner.name);

  constructor(
    private readonly plays: PlayRepository,
    private readonly firings: PlayFiringRepository,
    private readonly outbox: PlayOutbox,
    private readonly accounts: AccountRepository,
    private readonly calendars: CalendarReplica,
    private readonly cycles: AccountCyclesService,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** Every active play the occurrence triggers fires once; returns the firings recorded now. */
  async onOccurrence(occurrence: TriggerOccurrence): Promise<PlayFiring[]> {
    const fired: PlayFiring[] = [];
    for (const play of await this.plays.active(occurrence.type)) {
      if (!triggers(play, occurrence)) continue;
      const firing = await this.fire(play, occurrence);
      if (firing !== null) fired.push(firing);
    }
    return fired;
  }

  private async fire(play: Play, occurrence: TriggerOccurrence): Promise<PlayFiring | null> {
    const id = playFiringId(play.id, occurrence.eventId);
    if ((await this.firings.get(id)) !== undefined) return null;
    const firedAt = new Date();
    const firing: PlayFiring = {
      id,
      playId: play.id,
      playName: play.name,
      accountId: occurrence.accountId,
      trigger: occurrence,
      action: await this.act(play, occurrence, id, firedAt),
      firedAt,
    };
    if (!(await this.firings.record(firing, this.event(firing)))) return null;
    this.outbox.flushSoon(id);
    this.logger.log(
      `play ${play.id} fired for ${occurrence.accountId} on ${occurrence.type} ${occurrence.eventId}: ${firing.action.outcome}`,
    );
    return firing;
  }

  private async act(play: Play, occurrence: TriggerOccurrence, firingId: string, firedAt: Date): Promise<PlayFiring['action']> {
    const action = play.action;
    const account = await this.accounts.get(occurrence.accountId);
    switch (action.type) {
      case 'create-task': {
        // The account owner at the time it fires; the due date on the account's calendar (B1).
        const calendar = await this.calendars.resolve(account?.calendarKey);
        return {
          type: 'create-task',
          outcome: 'task-created',
          taskId: firingId,
          taskName: action.taskName,
          ownerId: account?.ownerId ?? null,
          dueDate: playTaskDueDate(action, firedAt, calendar.calendar),
        };
      }
      case 'assign-template': {
        if (account === undefined) {
          return {
            type: 'assign-template',
            outcome: 'skipped',
            templateId: action.templateId,
            reason: 'the account is unknown to cycle planning',
          };
        }
        try {
          const { cycle } = await this.cycles.assign(occurrence.accountId, { templateId: action.templateId, cycleId: firingId });
          return { type: 'assign-template', outcome: 'assigned', templateId: action.templateId, cycleId: cycle.cycleId };
        } catch (error) {
          if (!(error instanceof CycleError)) throw error;
          if (error.code === CycleErrorCode.TemplateAlreadyRunning) {
            return { type: 'assign-template', outcome: 'already-running', templateId: action.templateId, reason: error.message };
          }
          if (error.code === CycleErrorCode.TemplateNotFound || error.code === CycleErrorCode.AccountNotFound) {
            return { type: 'assign-template', outcome: 'skipped', templateId: action.templateId, reason: error.message };
          }
          throw error;
        }
      }
    }
  }

  private event(firing: PlayFiring): AnyEnvelope {
    const { trigger, action } = firing;
    return buildEnvelope(
      this.config.serviceName,
      'play.fired',
      {
        playId: firing.playId,
        playName: firing.playName,
        accountId: firing.accountId,
        trigger: {
          type: trigger.type,
          eventId: trigger.eventId,
          occurredAt: trigger.occurredAt.toISOString(),
          ...(trigger.segmentId === undefined ? {} : { segmentId: trigger.segmentId }),
          ...(trigger.attributeKey === undefined ? {} : { attributeKey: trigger.attributeKey }),
          ...(trigger.stageId === undefined ? {} : { stageId: trigger.stageId }),
        },
        action: { ...action },
        firedAt: firing.firedAt.toISOString(),
      },
      { id: firing.id, occurredAt: firing.firedAt },
    ) as AnyEnvelope;
  }
}
