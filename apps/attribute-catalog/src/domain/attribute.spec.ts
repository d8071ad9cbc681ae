import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AttributePayload } from '@lifecycle/contracts';
import {
  activate,
  activationProblems,
  addStage,
  createAttribute,
  removeStage,
  reorderStages,
  toPayload,
  updateDetails,
  updateStage,
  type Attribute,
  type AttributeChange,
} from './attribute';
import { AttributeError, AttributeErrorCode } from './attribute-errors';
import { contextAt, onboardingActive, onboardingDraft } from './attribute.fixture';

function errorOf(fn: () => unknown): AttributeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AttributeError) return e;
    throw e;
  }
  throw new Error('expected an AttributeError');
}

const names = (a: Attribute) => a.stages.map((s) => s.name);
const ids = (a: Attribute) => a.stages.map((s) => s.id);
const orders = (a: Attribute) => a.stages.map((s) => s.order);
/** A day later, with a fresh stage id sequence (ids already in use are skipped). */
const later = () => contextAt('2024-03-02T10:00:00.000Z');

describe('attribute aggregate', () => {
  describe('creation (A1, A2)', () => {
    it('starts as a draft at version 1 with generated stage ids in the given order', () => {
      const { attribute, event } = createAttribute(
        {
          key: 'onboarding-status',
          name: ' Onboarding Status ',
          flow: 'Onboarding',
          stages: [
            { name: 'Kickoff', color: '#1e88e5' },
            { name: 'Done', color: '#000000', endStage: true },
          ],
        },
        contextAt(),
      );
      expect(attribute).toEqual({
        key: 'onboarding-status',
        name: 'Onboarding Status',
        description: '',
        flow: 'Onboarding',
        state: 'draft',
        version: 1,
        stages: [
          { id: 's1', name: 'Kickoff', color: '#1E88E5', order: 0, endStage: false, disabled: false, sla: null },
          { id: 's2', name: 'Done', color: '#000000', order: 1, endStage: true, disabled: false, sla: null },
        ],
        createdAt: '2024-03-01T09:00:00.000Z',
        updatedAt: '2024-03-01T09:00:00.000Z',
      });
      expect(event).toEqual({ type: 'attribute.created', data: toPayload(attribute) });
    });

    it('may start without stages', () => {
      expect(createAttribute({ key: 'renewal', name: 'Renewal' }, contextAt()).attribute.stages).toEqual([]);
    });

    it.each(['Onboarding', 'onboarding_status', 'a--b', '-a', 'a-', '', 'x'.repeat(65), 'ü'])('refuses the key %j', (key) => {
      const e = errorOf(() => createAttribute({ key, name: 'X' }, contextAt()));
      expect(e.code).toBe(AttributeErrorCode.InvalidField);
      expect(e.kind).toBe('invalid');
      expect(e.details).toEqual({ field: 'key' });
    });

    it('refuses an empty or blank name', () => {
      expect(errorOf(() => createAttribute({ key: 'a', name: '   ' }, contextAt())).message).toBe('name must not be empty');
    });

    it.each(['red', '#FFF', '#GGGGGG', '1E88E5', '#1E88E5 '])('refuses the stage colour %j', (color) => {
      const e = errorOf(() => createAttribute({ key: 'a', name: 'A', stages: [{ name: 'Kickoff', color }] }, contextAt()));
      expect(e.code).toBe(AttributeErrorCode.InvalidField);
      expect(e.details).toEqual({ field: 'stages[0].color' });
    });

    it('refuses stage names that differ only in case or surrounding spaces', () => {
      const e = errorOf(() =>
        createAttribute(
          {
            key: 'a',
            name: 'A',
            stages: [
              { name: 'Kickoff', color: '#000000' },
              { name: ' KICKOFF', color: '#000000' },
            ],
          },
          contextAt(),
        ),
      );
      expect(e.code).toBe(AttributeErrorCode.DuplicateStageName);
      expect(e.kind).toBe('invalid');
      expect(e.details).toMatchObject({ field: 'stages[1].name', conflictsWith: 's1' });
      expect(e.message).toMatch(/already has a stage named "Kickoff"/);
    });

    it('treats an empty flow as no flow', () => {
      expect(createAttribute({ key: 'a', name: 'A', flow: '  ' }, contextAt()).attribute.flow).toBeNull();
    });
  });

  describe('details', () => {
    it('changes name, description and flow with a new version and an attribute.updated event', () => {
      const { attribute, event } = updateDetails(onboardingDraft(), { name: 'Onboarding', description: 'New', flow: 'Adoption' }, later());
      expect(attribute).toMatchObject({
        name: 'Onboarding',
        description: 'New',
        flow: 'Adoption',
        version: 2,
        updatedAt: '2024-03-02T10:00:00.000Z',
      });
      expect(attribute.createdAt).toBe('2024-03-01T09:00:00.000Z');
      expect(event?.type).toBe('attribute.updated');
      expect(event?.data.version).toBe(2);
    });

    it('unlinks the flow with null and leaves absent fields alone', () => {
      const { attribute } = updateDetails(onboardingDraft(), { flow: null }, later());
      expect(attribute.flow).toBeNull();
      expect(attribute.name).toBe('Onboarding Status');
      expect(toPayload(attribute)).not.toHaveProperty('flow');
    });

    it('is a no-op (same version, no event) when nothing changes', () => {
      const before = onboardingDraft();
      const change = updateDetails(before, { name: 'Onboarding Status' }, later());
      expect(change).toEqual({ attribute: before, event: null });
    });

    it('refuses an empty name', () => {
      expect(errorOf(() => updateDetails(onboardingDraft(), { name: '' }, later())).code).toBe(AttributeErrorCode.InvalidField);
    });
  });

  describe('stages while draft (A4)', () => {
    it('appends a stage last', () => {
      const { attribute, event } = addStage(onboardingDraft(), { name: 'Handover', color: '#123456' }, later());
      expect(names(attribute)).toEqual(['Kickoff', 'Configuration', 'Implementation', 'Go Live', 'Handover']);
      expect(attribute.stages[4]).toEqual({
        id: 's5',
        name: 'Handover',
        color: '#123456',
        order: 4,
        endStage: false,
        disabled: false,
        sla: null,
      });
      expect(event?.type).toBe('attribute.updated');
    });

    it('never reuses a stage id in use', () => {
      const { attribute } = addStage(onboardingDraft(), { name: 'Handover', color: '#123456' }, contextAt());
      expect(new Set(ids(attribute)).size).toBe(5);
    });

    it('refuses a stage whose name clashes case-insensitively with an existing one', () => {
      const e = errorOf(() => addStage(onboardingDraft(), { name: 'go live', color: '#123456' }, later()));
      expect(e.code).toBe(AttributeErrorCode.DuplicateStageName);
      expect(e.details).toMatchObject({ conflictsWith: 's4' });
    });

    it('reorders by a permutation of the stage ids and renumbers', () => {
      const { attribute } = reorderStages(onboardingDraft(), ['s4', 's2', 's1', 's3'], later());
      expect(names(attribute)).toEqual(['Go Live', 'Configuration', 'Kickoff', 'Implementation']);
      expect(orders(attribute)).toEqual([0, 1, 2, 3]);
      expect(attribute.version).toBe(2);
    });

    it.each([
      [['s1', 's2', 's3'], { missing: ['s4'], unknown: [], repeated: [] }],
      [['s1', 's2', 's3', 's4', 's9'], { missing: [], unknown: ['s9'], repeated: [] }],
      [['s1', 's1', 's2', 's3', 's4'], { missing: [], unknown: [], repeated: ['s1'] }],
    ])('refuses a reorder that is not a permutation: %j', (stageIds, details) => {
      const e = errorOf(() => reorderStages(onboardingDraft(), stageIds, later()));
      expect(e.code).toBe(AttributeErrorCode.InvalidStageOrder);
      expect(e.kind).toBe('invalid');
      expect(e.details).toEqual({ field: 'stageIds', ...details });
    });

    it('removes a stage and closes the gap in the order', () => {
      const { attribute } = removeStage(onboardingDraft(), 's2', later());
      expect(names(attribute)).toEqual(['Kickoff', 'Implementation', 'Go Live']);
      expect(orders(attribute)).toEqual([0, 1, 2]);
    });

    it('changes the end-stage flag while draft', () => {
      expect(updateStage(onboardingDraft(), 's3', { endStage: true }, later()).attribute.stages[2]?.endStage).toBe(true);
    });

    it('answers 404-kind for an unknown stage', () => {
      const e = errorOf(() => removeStage(onboardingDraft(), 'nope', later()));
      expect(e.code).toBe(AttributeErrorCode.StageNotFound);
      expect(e.kind).toBe('not-found');
    });

    it('refuses a hundred and first stage', () => {
      let attribute = createAttribute({ key: 'a', name: 'A' }, contextAt()).attribute;
      const ctx = contextAt();
      for (let i = 0; i < 100; i++) attribute = addStage(attribute, { name: `Stage ${i}`, color: '#000000' }, ctx).attribute;
      expect(errorOf(() => addStage(attribute, { name: 'One too many', color: '#000000' }, ctx)).code).toBe(
        AttributeErrorCode.TooManyStages,
      );
    });
  });

  describe('activation (A3)', () => {
    it('activates with an attribute.activated event', () => {
      const { attribute, event } = activate(onboardingDraft(), later());
      expect(attribute.state).toBe('active');
      expect(attribute.version).toBe(2);
      expect(event).toEqual({ type: 'attribute.activated', data: toPayload(attribute) });
    });

    it('is a no-op on an active attribute', () => {
      const active = onboardingActive();
      expect(activate(active, later())).toEqual({ attribute: active, event: null });
    });

    it('needs at least one stage', () => {
      const e = errorOf(() => activate(createAttribute({ key: 'a', name: 'A' }, contextAt()).attribute, later()));
      expect(e.code).toBe(AttributeErrorCode.NotActivatable);
      expect(e.kind).toBe('conflict');
      expect(e.message).toBe('Attribute "a" cannot be activated: it has no stages; add at least one stage and one end stage');
    });

    it('needs an end stage', () => {
      const draft = updateStage(onboardingDraft(), 's4', { endStage: false }, later()).attribute;
      expect(activationProblems(draft)).toEqual(['it needs at least one end stage']);
      expect(errorOf(() => activate(draft, later())).code).toBe(AttributeErrorCode.NotActivatable);
    });

    it('needs an enabled end stage and an enabled stage to start in', () => {
      let draft = updateStage(onboardingDraft(), 's4', { disabled: true }, later()).attribute;
      expect(activationProblems(draft)).toEqual(['it needs at least one enabled end stage']);
      draft = createAttribute({ key: 'a', name: 'A', stages: [{ name: 'Done', color: '#000000', endStage: true }] }, contextAt()).attribute;
      expect(activationProblems(draft)).toEqual(['it needs at least one enabled stage that is not an end stage']);
    });
  });

  describe('stages once active (A4, A5)', () => {
    it('refuses a reorder with a 409-kind error that says why', () => {
      const e = errorOf(() => reorderStages(onboardingActive(), ['s2', 's1', 's3', 's4'], later()));
      expect(e.code).toBe(AttributeErrorCode.StageOrderLocked);
      expect(e.kind).toBe('conflict');
      expect(e.message).toMatch(/cannot be reordered: the attribute is active/);
    });

    it('accepts the current order as a no-op', () => {
      const active = onboardingActive();
      expect(reorderStages(active, ['s1', 's2', 's3', 's4'], later()).event).toBeNull();
    });

    it('refuses removing a stage with a 409-kind error that suggests disabling', () => {
      const e = errorOf(() => removeStage(onboardingActive(), 's2', later()));
      expect(e.code).toBe(AttributeErrorCode.StageRemovalLocked);
      expect(e.kind).toBe('conflict');
      expect(e.message).toMatch(/cannot be removed .* the attribute is active.*Disable the stage instead/);
    });

    it('allows renaming, recolouring, disabling and enabling; ids and order stay', () => {
      const active = onboardingActive();
      const renamed = updateStage(active, 's2', { name: 'Setup', color: '#abcdef' }, later()).attribute;
      const disabled = updateStage(renamed, 's2', { disabled: true }, later()).attribute;
      expect(disabled.stages[1]).toEqual({
        id: 's2',
        name: 'Setup',
        color: '#ABCDEF',
        order: 1,
        endStage: false,
        disabled: true,
        sla: null,
      });
      expect(disabled.version).toBe(4);
      // A5: a disabled stage stays in the definition.
      expect(ids(disabled)).toEqual(['s1', 's2', 's3', 's4']);
      expect(updateStage(disabled, 's2', { disabled: false }, later()).attribute.stages[1]?.disabled).toBe(false);
    });

    it('allows renaming a stage to another casing of its own name, but not to another stage name', () => {
      const active = onboardingActive();
      expect(updateStage(active, 's1', { name: 'KICKOFF' }, later()).attribute.stages[0]?.name).toBe('KICKOFF');
      expect(errorOf(() => updateStage(active, 's1', { name: 'go live' }, later())).code).toBe(AttributeErrorCode.DuplicateStageName);
    });

    it('refuses changing the end-stage flag, but accepts restating it', () => {
      const active = onboardingActive();
      const e = errorOf(() => updateStage(active, 's3', { endStage: true }, later()));
      expect(e.code).toBe(AttributeErrorCode.EndStageLocked);
      expect(e.kind).toBe('conflict');
      expect(updateStage(active, 's4', { endStage: true }, later()).event).toBeNull();
    });

    it('appends a new stage last, possibly an end stage', () => {
      const { attribute } = addStage(onboardingActive(), { name: 'Churned', color: '#FF0000', endStage: true }, later());
      expect(names(attribute)).toEqual(['Kickoff', 'Configuration', 'Implementation', 'Go Live', 'Churned']);
      expect(attribute.stages[4]).toMatchObject({ order: 4, endStage: true });
      expect(attribute.state).toBe('active');
    });
  });

  describe('events (A6)', () => {
    it('carry the full attribute with a version that grows by one per change', () => {
      const ctx = contextAt();
      const changes: AttributeChange[] = [];
      let attribute = onboardingDraft(ctx);
      for (const step of [
        (a: Attribute) => addStage(a, { name: 'Handover', color: '#101010' }, later()),
        (a: Attribute) => reorderStages(a, ['s5', 's1', 's2', 's3', 's4'], later()),
        (a: Attribute) => activate(a, later()),
        (a: Attribute) => updateStage(a, 's5', { disabled: true }, later()),
      ]) {
        const change = step(attribute);
        changes.push(change);
        attribute = change.attribute;
      }
      expect(changes.map((c) => [c.event?.type, c.event?.data.version])).toEqual([
        ['attribute.updated', 2],
        ['attribute.updated', 3],
        ['attribute.activated', 4],
        ['attribute.updated', 5],
      ]);
      expect(changes.at(-1)?.event?.data).toEqual(toPayload(attribute));
    });

    it('produce payloads that pass the contract validation', () => {
      const payload = plainToInstance(AttributePayload, toPayload(onboardingActive()));
      expect(validateSync(payload, { whitelist: true, forbidNonWhitelisted: true })).toEqual([]);
      expect(toPayload(onboardingActive())).not.toHaveProperty('createdAt');
    });
  });
});
