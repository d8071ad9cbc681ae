import type { ResolvedCriteria } from './criteria';
import { isTimeBased, referencedAttributes } from './criteria-traits';
import type { CatalogAttribute, CatalogStage, CriteriaCatalog } from './criteria-validation';
import { resolveCriteria } from './criteria-validation';

/**
 * A saved segment keeps its criteria in canonical form (`canonicalCriteria`: stages as ids,
 * windows as full ISO date-times), validated against the catalog when it was saved. Loading it
 * back must not depend on the catalog replica (it may not be rebuilt yet, and renames must not
 * matter, A5): the canonical tree is resolved against a catalog made of the ids it names itself.
 */
export function resolveSavedCriteria(canonical: unknown): ResolvedCriteria {
  return resolveCriteria(canonical, selfCatalog(canonical));
}

/** A saved segment as the membership evaluation uses it. */
export interface SavedSegment {
  id: string;
  criteria: ResolvedCriteria;
  attributes: string[];
  /** Membership changes with time alone (S5: re-evaluated by the daily roll). */
  timeBased: boolean;
}

export function savedSegment(id: string, criteria: ResolvedCriteria): SavedSegment {
  return { id, criteria, attributes: referencedAttributes(criteria), timeBased: isTimeBased(criteria) };
}

/**
 * The segments whose membership an update can change: a status event of one attribute can only
 * change the segments that read that attribute; account facts (client type, owner, canceled —
 * which also hides day counts, L10 — renewal) and a newly projected account can change any.
 */
export function affectedSegments(
  segments: readonly SavedSegment[],
  changed: { attributeKey: string } | 'facts' | 'new-account',
): SavedSegment[] {
  if (changed === 'facts' || changed === 'new-account') return [...segments];
  return segments.filter((s) => s.attributes.includes(changed.attributeKey));
}

function selfCatalog(canonical: unknown): CriteriaCatalog {
  const stagesByAttribute = new Map<string, Set<string>>();
  const visit = (node: unknown, depth: number): void => {
    if (depth > 20 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, depth + 1);
      return;
    }
    const obj = node as { [key: string]: unknown };
    for (const group of ['all', 'any']) if (Object.hasOwn(obj, group)) visit(obj[group], depth + 1);
    const attribute = obj['attribute'];
    if (typeof attribute !== 'string') return;
    const ids = stagesByAttribute.get(attribute) ?? new Set<string>();
    stagesByAttribute.set(attribute, ids);
    for (const list of ['isOneOf', 'isNotOneOf']) {
      const values = obj[list];
      if (Array.isArray(values)) for (const v of values) if (typeof v === 'string') ids.add(v);
    }
    const changed = obj['changed'];
    if (typeof changed === 'object' && changed !== null) {
      for (const key of ['fromStage', 'toStage']) {
        const v = (changed as { [key: string]: unknown })[key];
        if (typeof v === 'string') ids.add(v);
      }
    }
  };
  visit(canonical, 0);
  const attributes = new Map<string, CatalogAttribute>();
  for (const [key, ids] of stagesByAttribute) {
    const stages: CatalogStage[] = [...ids].map((id, order) => ({ id, name: id, order, disabled: false, endStage: false }));
    attributes.set(key, { key, stages });
  }
  return { attributes };
}
