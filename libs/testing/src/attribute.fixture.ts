import type { AttributePayload } from '@lifecycle/contracts';
import type { ApiClient, ApiSchemas } from '@lifecycle/contracts/api';

/**
 * The one "Onboarding Status" attribute of tests, benches and the demo: Kickoff, Configuration,
 * Implementation, Go Live (the end stage). As a create body for the API, and as the catalog's
 * event payload (fixed stage ids) for services fed from `lifecycle.attributes` directly.
 */
export const ONBOARDING = 'onboarding-status';
export const ONBOARDING_STAGES = ['Kickoff', 'Configuration', 'Implementation', 'Go Live'] as const;
export const ONBOARDING_STAGE_IDS = {
  kickoff: 'stg-kickoff',
  configuration: 'stg-configuration',
  implementation: 'stg-implementation',
  goLive: 'stg-go-live',
} as const;

const COLORS = ['#1E88E5', '#8E24AA', '#FB8C00', '#43A047'] as const;

export function onboardingAttributeBody(): ApiSchemas['CreateAttributeBody'] {
  return {
    key: ONBOARDING,
    name: 'Onboarding Status',
    description: 'Tracks the onboarding journey of new customers.',
    flow: 'Onboarding',
    stages: ONBOARDING_STAGES.map((name, i) => ({ name, color: COLORS[i]!, ...(name === 'Go Live' ? { endStage: true } : {}) })),
  };
}

/** As the catalog publishes it; `overrides` rename or disable stages by id. */
export function onboardingAttributePayload(
  version = 1,
  overrides: { [stageId: string]: { name?: string; disabled?: boolean } } = {},
): AttributePayload {
  const ids = Object.values(ONBOARDING_STAGE_IDS);
  return {
    key: ONBOARDING,
    name: 'Onboarding Status',
    description: 'Onboarding lifecycle',
    flow: 'Onboarding',
    state: 'active',
    version,
    stages: ONBOARDING_STAGES.map((name, i) => ({
      id: ids[i]!,
      name: overrides[ids[i]!]?.name ?? name,
      color: COLORS[i]!,
      order: i + 1,
      endStage: name === 'Go Live',
      disabled: overrides[ids[i]!]?.disabled ?? false,
    })),
    updatedAt: new Date().toISOString(),
  };
}

/**
 * Creates and activates the attribute through the API; an attribute already there (409) is taken
 * as it is, so a seed can run twice.
 */
export async function createActiveOnboarding(api: ApiClient): Promise<{ created: boolean; attribute: ApiSchemas['AttributeResponse'] }> {
  const created = await api.POST('/v1/attributes', { body: onboardingAttributeBody() });
  if (created.error !== undefined && created.response.status !== 409) {
    throw new Error(`creating ${ONBOARDING} failed: ${created.response.status} ${created.error.message}`);
  }
  const activated = await api.POST('/v1/attributes/{key}/activate', { params: { path: { key: ONBOARDING } } });
  if (activated.data === undefined)
    throw new Error(`activating ${ONBOARDING} failed: ${activated.response.status} ${activated.error.message}`);
  return { created: created.data !== undefined, attribute: activated.data };
}
