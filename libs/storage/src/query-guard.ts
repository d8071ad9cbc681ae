import type { Collection, Document } from 'mongodb';

/**
 * The guard every collection of `Storage` applies to what it sends: a query or a write reaches the
 * server only when its `$`-keys are operators the code uses and its field names are plain. Input
 * is validated where it enters (DTOs, envelopes, criteria); this is the second line, in one place,
 * so that no string from outside can become an operator or a path, whatever a repository does
 * with it: `{ "$where": … }`, a key `a.b` or `$gt` inside a stored document, or a path segment
 * starting with `$` are refused before they leave the process.
 */
export class UnsafeQueryError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`refused to send to the database: ${path}: ${reason}`);
    this.name = 'UnsafeQueryError';
  }
}

const QUERY_OPERATORS = new Set([
  '$and',
  '$or',
  '$nor',
  '$not',
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$all',
  '$size',
  '$exists',
  '$type',
  '$elemMatch',
  '$regex',
  '$options',
]);
const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);
const UPDATE_OPERATORS = new Set(['$set', '$setOnInsert', '$unset', '$inc', '$min', '$max', '$push', '$addToSet', '$pull', '$pullAll']);
const ARRAY_MODIFIERS = new Set(['$each', '$position', '$slice', '$sort']);
const PIPELINE_STAGES = new Set(['$match', '$group', '$sort', '$skip', '$limit', '$project', '$count']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/**
 * Where in the checked argument the guard stands: a root and the keys and indexes below it, kept
 * as they are and formatted (`update.$set.lifecycle[0]`) only for a refusal's message — the
 * guard sees every write of every service, so passing a check allocates nothing per key.
 */
class Where {
  private readonly parts: (string | number)[] = [];
  constructor(private readonly root: string) {}

  /**
   * One level down (a key, or an array index); `leave()` comes back up. A refusal throws with the
   * path as it stands, so an unbalanced path after a throw is never read again.
   */
  enter(part: string | number): void {
    this.parts.push(part);
  }

  leave(): void {
    this.parts.pop();
  }

  refuse(reason: string): never {
    throw new UnsafeQueryError(this.toString(), reason);
  }

  toString(): string {
    let text = this.root;
    for (const part of this.parts) text += typeof part === 'number' ? `[${part}]` : `.${part}`;
    return text;
  }
}

const whereOf = (where: string | Where): Where => (typeof where === 'string' ? new Where(where) : where);

/** A field path of a query or an update (`lifecycle.onboarding.stageId`, `outbox.0`). */
function checkPath(path: string, where: Where): void {
  let from = 0;
  for (;;) {
    const dot = path.indexOf('.', from);
    const end = dot === -1 ? path.length : dot;
    if (end === from) where.refuse(`empty segment in the field path "${path}"`);
    if (path.charCodeAt(from) === 0x24 /* $ */) where.refuse(`"$" segment in the field path "${path}"`);
    if (dot === -1) break;
    from = dot + 1;
  }
  if (path.includes('\0')) where.refuse(`NUL in the field path "${path}"`);
}

/** A value as it is stored or compared: the keys of its subdocuments are plain names, never paths or operators. */
function checkValue(value: unknown, where: Where): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'object' || item === null) continue;
      where.enter(i);
      checkValue(item, where);
      where.leave();
    }
    return;
  }
  if (!isPlainObject(value)) return;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key.startsWith('$')) where.refuse(`"$" key "${key}" in a stored value`);
    if (key.includes('.')) where.refuse(`dotted key "${key}" in a stored value`);
    if (key.includes('\0')) where.refuse(`NUL in the key "${key}"`);
    const item = value[key];
    if (typeof item !== 'object' || item === null) continue;
    where.enter(key);
    checkValue(item, where);
    where.leave();
  }
}

/** A filter: logical operators over filters, field paths with a value or an operator object. */
export function checkFilter(filter: unknown, at: string | Where = 'filter'): void {
  if (filter === undefined) return;
  const where: Where = whereOf(at);
  if (!isPlainObject(filter)) where.refuse('a filter must be an object');
  for (const key in filter) {
    if (!Object.hasOwn(filter, key)) continue;
    const condition = filter[key];
    if (key.startsWith('$')) {
      if (!LOGICAL_OPERATORS.has(key)) where.refuse(`operator "${key}" is not allowed at the top of a filter`);
      where.enter(key);
      if (!Array.isArray(condition)) where.refuse('needs an array of filters');
      for (let i = 0; i < condition.length; i++) {
        where.enter(i);
        checkFilter(condition[i], where);
        where.leave();
      }
      where.leave();
      continue;
    }
    checkPath(key, where);
    where.enter(key);
    checkCondition(condition, where);
    where.leave();
  }
}

/** What stands at a field path: a literal, or an object of operators (never a mix). */
function checkCondition(condition: unknown, where: Where): void {
  if (!isPlainObject(condition)) {
    checkValue(condition, where);
    return;
  }
  let operators = 0;
  let fields = 0;
  for (const key in condition) {
    if (!Object.hasOwn(condition, key)) continue;
    if (key.startsWith('$')) operators++;
    else fields++;
  }
  if (operators === 0) {
    checkValue(condition, where);
    return;
  }
  if (fields > 0) where.refuse('operators mixed with field names');
  for (const operator in condition) {
    if (!Object.hasOwn(condition, operator)) continue;
    const operand = condition[operator];
    if (!QUERY_OPERATORS.has(operator)) where.refuse(`operator "${operator}" is not allowed`);
    if (LOGICAL_OPERATORS.has(operator)) where.refuse(`"${operator}" belongs at the top of a filter`);
    where.enter(operator);
    if (operator === '$elemMatch') {
      // Operators on the elements (`{ $gte, $lt }`) or a filter over subdocument fields.
      if (isPlainObject(operand) && onlyElementOperators(operand)) checkCondition(operand, where);
      else checkFilter(operand, where);
    } else if (operator === '$not') {
      checkCondition(operand, where);
    } else {
      checkValue(operand, where);
    }
    where.leave();
  }
}

/** True when every key is an operator other than a logical one (and there is at least one). */
function onlyElementOperators(operand: Record<string, unknown>): boolean {
  let any = false;
  for (const key in operand) {
    if (!Object.hasOwn(operand, key)) continue;
    if (!key.startsWith('$') || LOGICAL_OPERATORS.has(key)) return false;
    any = true;
  }
  return any;
}

/** An update document: allowed update operators over field paths. */
export function checkUpdate(update: unknown, at: string | Where = 'update'): void {
  const where: Where = whereOf(at);
  if (Array.isArray(update)) where.refuse('pipeline updates are not used');
  if (!isPlainObject(update)) where.refuse('an update must be an object');
  for (const operator in update) {
    if (!Object.hasOwn(update, operator)) continue;
    const fields = update[operator];
    if (!UPDATE_OPERATORS.has(operator)) where.refuse(`update operator "${operator}" is not allowed`);
    where.enter(operator);
    if (!isPlainObject(fields)) where.refuse('needs an object of field paths');
    for (const path in fields) {
      if (!Object.hasOwn(fields, path)) continue;
      const value = fields[path];
      checkPath(path, where);
      where.enter(path);
      // `$pull` takes a condition on the elements (`{ $in: [...] }`) or a filter over their fields.
      if (operator === '$pull') {
        if (isPlainObject(value) && !hasOperatorKey(value)) checkFilter(value, where);
        else checkCondition(value, where);
      } else if ((operator === '$push' || operator === '$addToSet') && isPlainObject(value) && hasOperatorKey(value)) {
        for (const modifier in value) {
          if (!Object.hasOwn(value, modifier)) continue;
          if (!ARRAY_MODIFIERS.has(modifier)) where.refuse(`modifier "${modifier}" is not allowed`);
          where.enter(modifier);
          checkValue(value[modifier], where);
          where.leave();
        }
      } else checkValue(value, where);
      where.leave();
    }
    where.leave();
  }
}

function hasOperatorKey(value: Record<string, unknown>): boolean {
  for (const key in value) if (Object.hasOwn(value, key) && key.startsWith('$')) return true;
  return false;
}

/** A projection or a sort: field paths only. */
function checkPaths(spec: unknown, where: Where): void {
  if (!isPlainObject(spec)) return;
  for (const path in spec) if (Object.hasOwn(spec, path)) checkPath(path, where);
}

function checkOptions(options: unknown, where: Where): void {
  if (!isPlainObject(options)) return;
  where.enter('projection');
  checkPaths(options.projection, where);
  where.leave();
  where.enter('sort');
  checkPaths(options.sort, where);
  where.leave();
}

function checkPipeline(pipeline: unknown): void {
  const where: Where = new Where('pipeline');
  if (!Array.isArray(pipeline)) where.refuse('needs an array of stages');
  for (let i = 0; i < pipeline.length; i++) {
    const stage: unknown = pipeline[i];
    where.enter(i);
    if (!isPlainObject(stage)) where.refuse('a stage must be an object');
    const [name, ...more] = Object.keys(stage);
    if (name === undefined || more.length > 0 || !PIPELINE_STAGES.has(name)) where.refuse(`stage "${String(name)}" is not allowed`);
    where.enter(name);
    if (name === '$match') checkFilter(stage[name], where);
    if (name === '$sort' || name === '$project') checkPaths(stage[name], where);
    where.leave();
    where.leave();
  }
}

function checkBulkOperation(operation: unknown, where: Where): void {
  if (!isPlainObject(operation)) where.refuse('an operation must be an object');
  for (const kind in operation) {
    if (!Object.hasOwn(operation, kind)) continue;
    const spec = operation[kind];
    where.enter(kind);
    if (!isPlainObject(spec)) where.refuse('needs an object');
    switch (kind) {
      case 'insertOne':
        checkValue(spec.document, where);
        break;
      case 'updateOne':
      case 'updateMany':
        where.enter('filter');
        checkFilter(spec.filter, where);
        where.leave();
        where.enter('update');
        checkUpdate(spec.update, where);
        where.leave();
        break;
      case 'replaceOne':
        where.enter('filter');
        checkFilter(spec.filter, where);
        where.leave();
        where.enter('replacement');
        checkValue(spec.replacement, where);
        where.leave();
        break;
      case 'deleteOne':
      case 'deleteMany':
        where.enter('filter');
        checkFilter(spec.filter, where);
        where.leave();
        break;
      default:
        where.refuse(`bulk operation "${kind}" is not allowed`);
    }
    where.leave();
  }
}

type Check = (args: unknown[]) => void;

/** Which arguments of a collection method are filters, updates, documents or options. */
const CHECKS: Record<string, Check> = {
  find: ([filter, options]) => {
    checkFilter(filter);
    checkOptions(options, new Where('options'));
  },
  findOne: ([filter, options]) => {
    checkFilter(filter);
    checkOptions(options, new Where('options'));
  },
  countDocuments: ([filter]) => checkFilter(filter),
  distinct: ([key, filter]) => {
    checkPath(String(key), new Where('distinct'));
    checkFilter(filter);
  },
  deleteOne: ([filter]) => checkFilter(filter),
  deleteMany: ([filter]) => checkFilter(filter),
  findOneAndDelete: ([filter, options]) => {
    checkFilter(filter);
    checkOptions(options, new Where('options'));
  },
  updateOne: ([filter, update]) => {
    checkFilter(filter);
    checkUpdate(update);
  },
  updateMany: ([filter, update]) => {
    checkFilter(filter);
    checkUpdate(update);
  },
  findOneAndUpdate: ([filter, update, options]) => {
    checkFilter(filter);
    checkUpdate(update);
    checkOptions(options, new Where('options'));
  },
  replaceOne: ([filter, replacement]) => {
    checkFilter(filter);
    checkValue(replacement, new Where('replacement'));
  },
  insertOne: ([document]) => checkValue(document, new Where('document')),
  insertMany: ([documents]) => checkValue(documents, new Where('documents')),
  bulkWrite: ([operations]) => {
    const where: Where = new Where('bulkWrite');
    if (!Array.isArray(operations)) where.refuse('needs an array of operations');
    for (let i = 0; i < operations.length; i++) {
      const operation: unknown = operations[i];
      where.enter(i);
      checkBulkOperation(operation, where);
      where.leave();
    }
  },
  aggregate: ([pipeline]) => checkPipeline(pipeline ?? []),
};

/** The collection, its queries and writes checked by the guard first (a refused one rejects, nothing is sent). */
export function guardedCollection<T extends Document>(collection: Collection<T>): Collection<T> {
  return new Proxy(collection, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      const check = CHECKS[property];
      const method = value as (...args: unknown[]) => unknown;
      if (check === undefined) return method.bind(target);
      return (...args: unknown[]) => {
        check(args);
        return method.apply(target, args);
      };
    },
  });
}
