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
  const forget =
    <A extends unknown[], R>(register: (...args: A) => R) =>
    (...args: A): R => {
      memo = new WeakMap();
      return register(...args);
    };
  storage.addValidationMetadata = forget(storage.addValidationMetadata.bind(storage));
  storage.addConstraintMetadata = forget(storage.addConstraintMetadata.bind(storage));
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let byOptions = memo.get(target);
    if (byOptions === undefined) memo.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (found === undefined) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
}
