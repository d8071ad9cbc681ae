import type { AttributeProjection, AttributeTransition } from '../domain/account-projection';
import type { ProjectedAttribute } from '../domain/projection-updates';

/**
 * The scalar keys a projection stores beside its transitions and completions where the engine
 * cannot match ONE subdocument of an array on several fields, nor hold both bounds of a range to
 * one element (`EngineCapabilities.elemMatchOnSubdocuments`; docs/architecture.md, "The embedded
 * engine's exceptions"). `changed` and `completed` windows are then one anchored `$regex` over
 * these keys (`iso-range-regex.ts`). They are written by the repository and never reach the domain.
 *
 * Every transition is stored as four sortable strings, `<prefix><ISO time>`:
 *
 *   `any|2024-06-01T10:00:00.000Z`            every change
 *   `to:<to>|…`, `from:<from>|…`              by target / by source stage
 *   `from-to:<from>><to>|…`                   by both
 *
 * Stage ids are `encodeURIComponent`-encoded (so they contain none of `|`, `:`, `>`) and "None"
 * is the empty string. ISO-8601 UTC strings of years 0000–9999 sort like the instants, so a
 * window is a string range inside one prefix.
 */
export interface QueryKeys {
  changeKeys: string[];
  completionKeys: string[];
}

/** An attribute as stored: the domain's state plus, on such engines, its query keys. */
export type StoredAttribute = ProjectedAttribute & Partial<QueryKeys>;

export function changeKeysOf(transitions: readonly AttributeTransition[]): string[] {
  return transitions.flatMap((t) => {
    const at = t.at.toISOString();
    return [
      `${changeKeyPrefix(undefined, undefined)}${at}`,
      `${changeKeyPrefix(undefined, t.to ?? null)}${at}`,
      `${changeKeyPrefix(t.from ?? null, undefined)}${at}`,
      `${changeKeyPrefix(t.from ?? null, t.to ?? null)}${at}`,
    ];
  });
}

/** The key prefix for a `changed` condition: undefined = any stage, null = "None". */
export function changeKeyPrefix(from: string | null | undefined, to: string | null | undefined): string {
  const encode = (stageId: string | null): string => (stageId === null ? '' : encodeURIComponent(stageId));
  if (from === undefined && to === undefined) return 'any|';
  if (from === undefined) return `to:${encode(to ?? null)}|`;
  if (to === undefined) return `from:${encode(from)}|`;
  return `from-to:${encode(from)}>${encode(to)}|`;
}

/** The keys of completion times: their ISO-8601 strings. */
export function completionKeysOf(completions: readonly Date[]): string[] {
  return completions.map((at) => at.toISOString());
}

/** The attribute with its query keys, computed from its transitions and completions. */
export function withQueryKeys<A extends AttributeProjection>(attribute: A): A & QueryKeys {
  return {
    ...attribute,
    changeKeys: changeKeysOf(attribute.transitions ?? []),
    completionKeys: completionKeysOf(attribute.completions ?? []),
  };
}

/** The attribute as the domain has it: the query keys a document may hold left out. */
export function withoutQueryKeys<A extends AttributeProjection>(stored: A & Partial<QueryKeys>): A {
  const { changeKeys: _changeKeys, completionKeys: _completionKeys, ...attribute } = stored;
  return attribute as A;
}
