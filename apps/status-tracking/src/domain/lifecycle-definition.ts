import { stagesInOrder, type SlaStage } from '@lifecycle/rules';

/**
 * The status-tracking service's own view of a lifecycle status attribute (A1/A2), as replicated
 * from the catalog's `lifecycle.attributes` events. Only what the L* and B* rules need.
 */
export interface StageDefinition extends SlaStage {
  name: string;
  disabled: boolean;
}

export interface LifecycleDefinition {
  key: string;
  name: string;
  state: 'draft' | 'active';
  stages: readonly StageDefinition[];
}

export function findStage(def: LifecycleDefinition, stageId: string): StageDefinition | undefined {
  return def.stages.find((stage) => stage.id === stageId);
}

/**
 * Resolves what a user, a CSV row or a CRM event called a stage (L12: "name or id").
 * The id wins over a name (ids are stable, names can be renamed); names compare trimmed and
 * case-insensitively, as A2 makes them unique that way.
 */
export function resolveStageRef(def: LifecycleDefinition, ref: string): StageDefinition | undefined {
  const trimmed = ref.trim();
  if (trimmed === '') return undefined;
  const byId = def.stages.find((stage) => stage.id === trimmed);
  if (byId) return byId;
  const wanted = normalizeStageName(trimmed);
  return def.stages.find((stage) => normalizeStageName(stage.name) === wanted);
}

/** Names of the stages a new value may take (A5: disabled stages excluded), in order. */
export function enabledStageNames(def: LifecycleDefinition): string[] {
  return stagesInOrder(def.stages)
    .filter((stage) => !stage.disabled)
    .map((stage) => stage.name);
}

function normalizeStageName(name: string): string {
  return name.trim().toLocaleLowerCase('en-US');
}
