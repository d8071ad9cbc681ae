import type { Attribute } from './attribute';

/**
 * The standard "Days in" fields the catalog offers for an attribute (seed: "Days in Onboarding
 * Status", "Days in Kickoff" …). Field ids use the attribute key and stage ids, so renaming a
 * stage changes the label only (A5); disabled stages keep their field (still queryable).
 */
export type DaysInField =
  | { readonly field: string; readonly label: string; readonly scope: 'attribute' }
  | { readonly field: string; readonly label: string; readonly scope: 'stage'; readonly stageId: string; readonly disabled: boolean };

export function attributeDaysInField(key: string): string {
  return `daysIn:${key}`;
}

export function stageDaysInField(key: string, stageId: string): string {
  return `daysIn:${key}:${stageId}`;
}

/** The attribute's own field first, then one per stage in stage order. */
export function daysInFields(attribute: Attribute): DaysInField[] {
  return [
    { field: attributeDaysInField(attribute.key), label: `Days in ${attribute.name}`, scope: 'attribute' },
    ...attribute.stages.map((stage) => ({
      field: stageDaysInField(attribute.key, stage.id),
      label: `Days in ${stage.name}`,
      scope: 'stage' as const,
      stageId: stage.id,
      disabled: stage.disabled,
    })),
  ];
}
