/** C8: a template may name a next template; completing its cycle starts the next one. */
import type { AccountCycle } from './account-cycle';
import { CycleError, CycleErrorCode } from './cycle-errors';
import type { CycleTemplate } from './cycle-template';

export interface NextCyclePlan {
  templateId: string;
  startDate: Date;
  primary: boolean;
}

/**
 * C8: what to start when `completedCycle` (a cycle of `template`) completes: the template's next
 * template, starting on the completion date, primary if the completed cycle was. Null when the
 * template names no next one, or when the account already runs the next template (`accountCycles`
 * given): a chain never starts a second concurrent copy. Chaining back to a completed template is
 * allowed (a yearly renewal cycle may chain to itself).
 */
export function nextInChain(
  template: CycleTemplate,
  completedCycle: AccountCycle,
  accountCycles: readonly AccountCycle[] = [],
): NextCyclePlan | null {
  if (template.id !== completedCycle.templateId) {
    throw new CycleError(
      CycleErrorCode.TemplateMismatch,
      `Cycle "${completedCycle.cycleId}" runs template "${completedCycle.templateId}", not "${template.id}"`,
      { cycleId: completedCycle.cycleId, templateId: template.id },
    );
  }
  if (completedCycle.status !== 'completed' || completedCycle.completedAt === null) {
    throw new CycleError(
      CycleErrorCode.CycleNotCompleted,
      `Cycle "${completedCycle.name}" is ${completedCycle.status}; the next cycle of a chain starts when it completes`,
      { cycleId: completedCycle.cycleId, status: completedCycle.status },
    );
  }
  const nextTemplateId = template.nextTemplateId ?? null;
  if (nextTemplateId === null) return null;
  if (accountCycles.some((c) => c.status === 'active' && c.templateId === nextTemplateId)) return null;
  return { templateId: nextTemplateId, startDate: completedCycle.completedAt, primary: completedCycle.primary };
}
