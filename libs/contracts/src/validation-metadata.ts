import { getMetadataStorage } from 'class-validator';

type Lookup = ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas'];
type Metadata = ReturnType<Lookup>;

/** Marks the storage whose lookup is already memoized (this module may be loaded more than once). */
const MEMOIZED = Symbol.for('lifecycle.validation-metadata-memo');

/**
 * class-validator looks up a class's rules at every `validate` call (and at every nested object)
 * by testing each registered class for being an ancestor of it, so the cost of validating a
 * two-field event grows with every DTO the process loads (typestack/class-validator#2686). The
 * rules of a class are fixed once its module has loaded, so the answer is memoized per class and
 * per call options; registering any rule later (a class loaded afterwards, a decorator applied at
 * run time) clears the memo, so no answer is ever stale.
 */
export function memoizeValidationMetadata(): void {
  const storage = getMetadataStorage() as ReturnType<typeof getMetadataStorage> & { [MEMOIZED]?: true };
  if (storage[MEMOIZED]) return;
  storage[MEMOIZED] = true;
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  let memo = new WeakMap<object, Map<string, Metadata>>();
  // Without groups (nearly every call) the answer is found without building a key: by schema,
  // then by the two flags.
  let plain = new WeakMap<object, Map<string | undefined, (Metadata | undefined)[]>>();
  const forget =
    <A extends unknown[], R>(register: (...args: A) => R) =>
    (...args: A): R => {
      memo = new WeakMap();
      plain = new WeakMap();
      return register(...args);
    };
  storage.addValidationMetadata = forget(storage.addValidationMetadata.bind(storage));
  storage.addConstraintMetadata = forget(storage.addConstraintMetadata.bind(storage));
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups === undefined || groups.length === 0) {
      let bySchema = plain.get(target);
      if (bySchema === undefined) plain.set(target, (bySchema = new Map()));
      let slots = bySchema.get(schema);
      if (slots === undefined) bySchema.set(schema, (slots = [undefined, undefined, undefined, undefined]));
      const slot = (always ? 1 : 0) + (strictGroups ? 2 : 0);
      return (slots[slot] ??= lookup(target, schema, always, strictGroups, groups));
    }
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups.join('\u0000')}`;
    let byOptions = memo.get(target);
    if (byOptions === undefined) memo.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (found === undefined) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
}
