import { ATTRIBUTE_KEY_PATTERN, COLOR_PATTERN, type AttributePayload, type EventTypesOf, type Topics } from '@lifecycle/contracts';
import { slaProblems, type StageSla } from '@lifecycle/rules';
import { AttributeError, AttributeErrorCode, invalidField, slaOnEndStage, stageNotFound } from './attribute-errors';

/**
 * The status attribute aggregate (A1-A6): pure functions from (attribute, input, context) to the
 * new attribute and the event that announces it. No I/O; ids and time come from the context.
 */

export type AttributeState = 'draft' | 'active';

export interface Stage {
  /** Stable, generated; history and "Days in" fields refer to it (A5), never to the name. */
  readonly id: string;
  readonly name: string;
  /** `#RRGGBB`, stored upper-case. */
  readonly color: string;
  /** 0, 1, 2 … = the position in `stages`. */
  readonly order: number;
  readonly endStage: boolean;
  readonly disabled: boolean;
  /** B3: the expected time in the stage; null = none (always null on an end stage). */
  readonly sla: StageSla | null;
}

export interface Attribute {
  /** Slug, unique, immutable (A1). */
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** Free text such as Onboarding or Renewal; null when not linked to a flow. */
  readonly flow: string | null;
  readonly state: AttributeState;
  /** 1 on creation, +1 with every change (optimistic concurrency; replicas keep the highest). */
  readonly version: number;
  /** In order. */
  readonly stages: readonly Stage[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type AttributeEventType = EventTypesOf<typeof Topics.LifecycleAttributes>;

/** A6: every change is announced with the full attribute (event-carried state). */
export interface AttributeEvent {
  readonly type: AttributeEventType;
  readonly data: AttributePayload;
}

/** The result of every command; `event` is null when the command changed nothing (no new version). */
export interface AttributeChange {
  readonly attribute: Attribute;
  readonly event: AttributeEvent | null;
}

export interface AttributeContext {
  readonly now: Date;
  readonly newStageId: () => string;
}

export interface StageInput {
  name: string;
  color: string;
  endStage?: boolean;
  disabled?: boolean;
  sla?: StageSla | null;
}

export interface NewAttribute {
  key: string;
  name: string;
  description?: string;
  flow?: string | null;
  stages?: readonly StageInput[];
}

/** `flow: null` unlinks the flow; an absent field is left as it is. */
export interface AttributeDetailsPatch {
  name?: string;
  description?: string;
  flow?: string | null;
}

/** `sla: null` removes the stage's SLA; an absent field is left as it is. */
export interface StagePatch {
  name?: string;
  color?: string;
  disabled?: boolean;
  endStage?: boolean;
  sla?: StageSla | null;
}

export const LIMITS = {
  keyLength: 64,
  nameLength: 200,
  descriptionLength: 2000,
  flowLength: 100,
  stageNameLength: 100,
  stages: 100,
} as const;

// ---------------------------------------------------------------------------------------------
// Commands

export function createAttribute(input: NewAttribute, ctx: AttributeContext): AttributeChange & { event: AttributeEvent } {
  const key = validKey(input.key);
  const now = ctx.now.toISOString();
  let attribute: Attribute = {
    key,
    name: validText('name', input.name, LIMITS.nameLength, true),
    description: validText('description', input.description ?? '', LIMITS.descriptionLength, false),
    flow: validFlow(input.flow ?? null),
    state: 'draft',
    version: 1,
    stages: [],
    createdAt: now,
    updatedAt: now,
  };
  const stages = input.stages ?? [];
  stages.forEach((stage, index) => {
    attribute = appendStage(attribute, stage, ctx, `stages[${index}]`);
  });
  return { attribute, event: announce('attribute.created', attribute) };
}

export function updateDetails(attribute: Attribute, patch: AttributeDetailsPatch, ctx: AttributeContext): AttributeChange {
  const next: Attribute = {
    ...attribute,
    ...(patch.name === undefined ? {} : { name: validText('name', patch.name, LIMITS.nameLength, true) }),
    ...(patch.description === undefined
      ? {}
      : { description: validText('description', patch.description, LIMITS.descriptionLength, false) }),
    ...(patch.flow === undefined ? {} : { flow: validFlow(patch.flow) }),
  };
  return commit(attribute, next, 'attribute.updated', ctx);
}

/** A4: allowed in both states; the new stage always goes last. */
export function addStage(attribute: Attribute, input: StageInput, ctx: AttributeContext): AttributeChange {
  return commit(attribute, appendStage(attribute, input, ctx, 'stage'), 'attribute.updated', ctx);
}

/**
 * A4: renaming, recolouring, disabling/enabling and the SLA (B3) are always allowed (A5: a disabled stage stays
 * in the definition). The end-stage flag may change only while draft: once accounts can sit in a
 * stage, turning it into (or out of) an end stage would rewrite completed cycles (L5).
 */
export function updateStage(attribute: Attribute, stageId: string, patch: StagePatch, ctx: AttributeContext): AttributeChange {
  const current = requireStage(attribute, stageId);
  const name = patch.name === undefined ? current.name : validText('name', patch.name, LIMITS.stageNameLength, true);
  assertUniqueName(attribute, name, 'name', current.id);
  if (patch.endStage !== undefined && patch.endStage !== current.endStage && attribute.state === 'active') {
    throw new AttributeError(
      AttributeErrorCode.EndStageLocked,
      `Stage "${current.name}" of attribute "${attribute.key}" cannot ${patch.endStage ? 'become' : 'stop being'} an end stage: ` +
        'the attribute is active, and which stages complete a cycle is fixed once accounts may be in them',
      { key: attribute.key, stageId },
    );
  }
  const endStage = patch.endStage ?? current.endStage;
  const updated: Stage = {
    ...current,
    name,
    color: patch.color === undefined ? current.color : validColor(patch.color, 'color'),
    disabled: patch.disabled ?? current.disabled,
    endStage,
    // B3: an SLA may be set, changed or removed in either state; it never sits on an end stage.
    sla: validSla(attribute, name, endStage, patch.sla === undefined ? current.sla : patch.sla, 'sla'),
  };
  const next = { ...attribute, stages: attribute.stages.map((s) => (s.id === stageId ? updated : s)) };
  return commit(attribute, next, 'attribute.updated', ctx);
}

/**
 * A4: `stageIds` must name every stage exactly once (else 400). While draft any order is taken;
 * once active the order is fixed, so only the current order is accepted (a no-op).
 */
export function reorderStages(attribute: Attribute, stageIds: readonly string[], ctx: AttributeContext): AttributeChange {
  assertPermutation(attribute, stageIds);
  const unchanged = stageIds.every((id, index) => attribute.stages[index]?.id === id);
  if (unchanged) return { attribute, event: null };
  if (attribute.state === 'active') {
    throw new AttributeError(
      AttributeErrorCode.StageOrderLocked,
      `Stages of attribute "${attribute.key}" cannot be reordered: the attribute is active, and the order of an active ` +
        "attribute is fixed because accounts' moves forward and back (and their counters) depend on it. " +
        'Rename or disable stages instead, or append a new one.',
      { key: attribute.key, state: attribute.state },
    );
  }
  const byId = new Map(attribute.stages.map((s) => [s.id, s]));
  const stages = stageIds.map((id) => byId.get(id)).filter((s): s is Stage => s !== undefined);
  return commit(attribute, { ...attribute, stages: renumber(stages) }, 'attribute.updated', ctx);
}

/** A4: only while draft; an active attribute's stage ids are fixed (history refers to them). */
export function removeStage(attribute: Attribute, stageId: string, ctx: AttributeContext): AttributeChange {
  const stage = requireStage(attribute, stageId);
  if (attribute.state === 'active') {
    throw new AttributeError(
      AttributeErrorCode.StageRemovalLocked,
      `Stage "${stage.name}" cannot be removed from attribute "${attribute.key}": the attribute is active, and the stages ` +
        'of an active attribute are fixed because accounts and their history refer to them. Disable the stage instead.',
      { key: attribute.key, stageId, state: attribute.state },
    );
  }
  const stages = renumber(attribute.stages.filter((s) => s.id !== stageId));
  return commit(attribute, { ...attribute, stages }, 'attribute.updated', ctx);
}

/** A3. Activating an active attribute is a no-op. */
export function activate(attribute: Attribute, ctx: AttributeContext): AttributeChange {
  if (attribute.state === 'active') return { attribute, event: null };
  const problems = activationProblems(attribute);
  if (problems.length > 0) {
    throw new AttributeError(
      AttributeErrorCode.NotActivatable,
      `Attribute "${attribute.key}" cannot be activated: ${problems.join('; ')}`,
      { key: attribute.key, problems },
    );
  }
  return commit(attribute, { ...attribute, state: 'active' }, 'attribute.activated', ctx);
}

/**
 * A3, made precise: an account must be able to start a cycle and to complete it, so activation
 * needs an enabled stage that is not an end stage and an enabled end stage. Empty = activatable.
 */
export function activationProblems(attribute: Attribute): string[] {
  const problems: string[] = [];
  if (attribute.stages.length === 0) return ['it has no stages; add at least one stage and one end stage'];
  const enabled = attribute.stages.filter((s) => !s.disabled);
  if (!enabled.some((s) => !s.endStage)) problems.push('it needs at least one enabled stage that is not an end stage');
  if (!attribute.stages.some((s) => s.endStage)) problems.push('it needs at least one end stage');
  else if (!enabled.some((s) => s.endStage)) problems.push('it needs at least one enabled end stage');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Queries

export function findStage(attribute: Attribute, stageId: string): Stage | undefined {
  return attribute.stages.find((s) => s.id === stageId);
}

/** A6: the event payload and the REST body share this shape. */
export function toPayload(attribute: Attribute): AttributePayload {
  return {
    key: attribute.key,
    name: attribute.name,
    description: attribute.description,
    ...(attribute.flow === null ? {} : { flow: attribute.flow }),
    state: attribute.state,
    version: attribute.version,
    stages: attribute.stages.map((s) => ({ ...s })),
    updatedAt: attribute.updatedAt,
  };
}

/** A2: names compare trimmed and case-insensitively. */
export function normalizeStageName(name: string): string {
  return name.trim().toLocaleLowerCase('en-US');
}

/** Flows compare the same way when filtering ("onboarding" finds "Onboarding"). */
export function normalizeFlow(flow: string): string {
  return flow.trim().toLocaleLowerCase('en-US');
}

// ---------------------------------------------------------------------------------------------
// Internals

function commit(before: Attribute, after: Attribute, type: AttributeEventType, ctx: AttributeContext): AttributeChange {
  if (sameDefinition(before, after)) return { attribute: before, event: null };
  const attribute: Attribute = { ...after, version: before.version + 1, updatedAt: ctx.now.toISOString() };
  return { attribute, event: announce(type, attribute) };
}

function announce(type: AttributeEventType, attribute: Attribute): AttributeEvent {
  return { type, data: toPayload(attribute) };
}

function sameDefinition(a: Attribute, b: Attribute): boolean {
  const definition = (x: Attribute) => JSON.stringify([x.name, x.description, x.flow, x.state, x.stages]);
  return definition(a) === definition(b);
}

function appendStage(attribute: Attribute, input: StageInput, ctx: AttributeContext, field: string): Attribute {
  if (attribute.stages.length >= LIMITS.stages) {
    throw new AttributeError(
      AttributeErrorCode.TooManyStages,
      `Attribute "${attribute.key}" already has ${LIMITS.stages} stages, the most an attribute may have`,
      { key: attribute.key, limit: LIMITS.stages },
    );
  }
  const name = validText(`${field}.name`, input.name, LIMITS.stageNameLength, true);
  assertUniqueName(attribute, name, `${field}.name`, null);
  const stage: Stage = {
    id: newStageId(attribute, ctx),
    name,
    color: validColor(input.color, `${field}.color`),
    order: attribute.stages.length,
    endStage: input.endStage ?? false,
    disabled: input.disabled ?? false,
    sla: validSla(attribute, name, input.endStage ?? false, input.sla ?? null, `${field}.sla`),
  };
  return { ...attribute, stages: [...attribute.stages, stage] };
}

function newStageId(attribute: Attribute, ctx: AttributeContext): string {
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = ctx.newStageId();
    if (!findStage(attribute, id)) return id;
  }
  throw new Error('the stage id generator keeps returning ids in use'); // a bug, not a rule
}

function requireStage(attribute: Attribute, stageId: string): Stage {
  const stage = findStage(attribute, stageId);
  if (!stage) throw stageNotFound(attribute.key, stageId);
  return stage;
}

function assertUniqueName(attribute: Attribute, name: string, field: string, exceptStageId: string | null): void {
  const wanted = normalizeStageName(name);
  const clash = attribute.stages.find((s) => s.id !== exceptStageId && normalizeStageName(s.name) === wanted);
  if (clash) {
    throw new AttributeError(
      AttributeErrorCode.DuplicateStageName,
      `${field}: attribute "${attribute.key}" already has a stage named "${clash.name}"; stage names must be unique (ignoring case)`,
      { field, name, conflictsWith: clash.id },
    );
  }
}

function assertPermutation(attribute: Attribute, stageIds: readonly string[]): void {
  const known = new Set(attribute.stages.map((s) => s.id));
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of stageIds) {
    if (seen.has(id)) repeated.add(id);
    seen.add(id);
  }
  const unknown = [...seen].filter((id) => !known.has(id));
  const missing = [...known].filter((id) => !seen.has(id));
  if (unknown.length === 0 && missing.length === 0 && repeated.size === 0) return;
  const parts = [
    missing.length ? `missing: ${missing.join(', ')}` : '',
    unknown.length ? `unknown: ${unknown.join(', ')}` : '',
    repeated.size ? `repeated: ${[...repeated].join(', ')}` : '',
  ].filter(Boolean);
  throw new AttributeError(
    AttributeErrorCode.InvalidStageOrder,
    `stageIds must list every stage of attribute "${attribute.key}" exactly once (${parts.join('; ')})`,
    { field: 'stageIds', missing, unknown, repeated: [...repeated] },
  );
}

function renumber(stages: readonly Stage[]): Stage[] {
  return stages.map((s, order) => (s.order === order ? s : { ...s, order }));
}

function validKey(key: string): string {
  if (key.length === 0 || key.length > LIMITS.keyLength || !ATTRIBUTE_KEY_PATTERN.test(key)) {
    throw invalidField(
      'key',
      `key must be a lowercase slug of at most ${LIMITS.keyLength} characters (letters, digits, single dashes), e.g. onboarding-status`,
    );
  }
  return key;
}

/** Trimmed; `required` = not empty after trimming. */
function validText(field: string, value: string, maxLength: number, required: boolean): string {
  const trimmed = value.trim();
  if (required && trimmed.length === 0) throw invalidField(field, `${field} must not be empty`);
  if (trimmed.length > maxLength) throw invalidField(field, `${field} must be at most ${maxLength} characters`);
  return trimmed;
}

function validFlow(flow: string | null): string | null {
  if (flow === null) return null;
  const trimmed = validText('flow', flow, LIMITS.flowLength, false);
  return trimmed === '' ? null : trimmed;
}

/** B3: a valid SLA, or a refusal naming the field; an end stage refuses any SLA. */
function validSla(attribute: Attribute, stageName: string, endStage: boolean, sla: StageSla | null, field: string): StageSla | null {
  if (sla === null) return null;
  if (endStage) throw slaOnEndStage(attribute.key, stageName, field);
  const problems = slaProblems(sla, { name: stageName, endStage });
  if (problems.length > 0) throw invalidField(field, `${field}: ${problems.map((p) => p.replace(/^sla\./, '')).join('; ')}`);
  return { expected: sla.expected, unit: sla.unit, ...(sla.atRisk === undefined ? {} : { atRisk: sla.atRisk }) };
}

function validColor(color: string, field: string): string {
  if (!COLOR_PATTERN.test(color)) throw invalidField(field, `${field} must be a colour #RRGGBB, e.g. #1E88E5`);
  return color.toUpperCase();
}
