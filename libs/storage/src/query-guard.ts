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

/** A field path of a query or an update (`lifecycle.onboarding.stageId`, `outbox.0`). */
function checkPath(path: string, where: string): void {
  const segments = path.split('.');
  for (const segment of segments) {
    if (segment.length === 0) throw new UnsafeQueryError(where, `empty segment in the field path "${path}"`);
    if (segment.startsWith('$')) throw new UnsafeQueryError(where, `"$" segment in the field path "${path}"`);
    if (segment.includes('\0')) throw new UnsafeQueryError(where, `NUL in the field path "${path}"`);
  }
}

/** A value as it is stored or compared: the keys of its subdocuments are plain names, never paths or operators. */
function checkValue(value: unknown, where: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkValue(item, `${where}[${i}]`));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$')) throw new UnsafeQueryError(where, `"$" key "${key}" in a stored value`);
    if (key.includes('.')) throw new UnsafeQueryError(where, `dotted key "${key}" in a stored value`);
    if (key.includes('\0')) throw new UnsafeQueryError(where, `NUL in the key "${key}"`);
    checkValue(item, `${where}.${key}`);
  }
}

/** A filter: logical operators over filters, field paths with a value or an operator object. */
export function checkFilter(filter: unknown, where = 'filter'): void {
  if (filter === undefined) return;
  if (!isPlainObject(filter)) throw new UnsafeQueryError(where, 'a filter must be an object');
  for (const [key, condition] of Object.entries(filter)) {
    if (key.startsWith('$')) {
      if (!LOGICAL_OPERATORS.has(key)) throw new UnsafeQueryError(where, `operator "${key}" is not allowed at the top of a filter`);
      if (!Array.isArray(condition)) throw new UnsafeQueryError(`${where}.${key}`, 'needs an array of filters');
      condition.forEach((child, i) => checkFilter(child, `${where}.${key}[${i}]`));
      continue;
    }
    checkPath(key, where);
    checkCondition(condition, `${where}.${key}`);
  }
}

/** What stands at a field path: a literal, or an object of operators (never a mix). */
function checkCondition(condition: unknown, where: string): void {
  if (!isPlainObject(condition)) {
    checkValue(condition, where);
    return;
  }
  const keys = Object.keys(condition);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length === 0) {
    checkValue(condition, where);
    return;
  }
  if (operators.length !== keys.length) throw new UnsafeQueryError(where, 'operators mixed with field names');
  for (const [operator, operand] of Object.entries(condition)) {
    if (!QUERY_OPERATORS.has(operator)) throw new UnsafeQueryError(where, `operator "${operator}" is not allowed`);
    if (LOGICAL_OPERATORS.has(operator)) throw new UnsafeQueryError(where, `"${operator}" belongs at the top of a filter`);
    if (operator === '$elemMatch') {
      // Operators on the elements (`{ $gte, $lt }`) or a filter over subdocument fields.
      const inner = isPlainObject(operand) ? Object.keys(operand) : [];
      if (inner.length > 0 && inner.every((k) => k.startsWith('$') && !LOGICAL_OPERATORS.has(k)))
        checkCondition(operand, `${where}.$elemMatch`);
      else checkFilter(operand, `${where}.$elemMatch`);
    } else if (operator === '$not') {
      checkCondition(operand, `${where}.$not`);
    } else {
      checkValue(operand, `${where}.${operator}`);
    }
  }
}

/** An update document: allowed update operators over field paths. */
export function checkUpdate(update: unknown, where = 'update'): void {
  if (Array.isArray(update)) throw new UnsafeQueryError(where, 'pipeline updates are not used');
  if (!isPlainObject(update)) throw new UnsafeQueryError(where, 'an update must be an object');
  for (const [operator, fields] of Object.entries(update)) {
    if (!UPDATE_OPERATORS.has(operator)) throw new UnsafeQueryError(where, `update operator "${operator}" is not allowed`);
    if (!isPlainObject(fields)) throw new UnsafeQueryError(`${where}.${operator}`, 'needs an object of field paths');
    for (const [path, value] of Object.entries(fields)) {
      checkPath(path, `${where}.${operator}`);
      const at = `${where}.${operator}.${path}`;
      // `$pull` takes a condition on the elements (`{ $in: [...] }`) or a filter over their fields.
      if (operator === '$pull') {
        if (isPlainObject(value) && Object.keys(value).every((k) => !k.startsWith('$'))) checkFilter(value, at);
        else checkCondition(value, at);
      } else if (
        (operator === '$push' || operator === '$addToSet') &&
        isPlainObject(value) &&
        Object.keys(value).some((k) => k.startsWith('$'))
      ) {
        for (const [modifier, operand] of Object.entries(value)) {
          if (!ARRAY_MODIFIERS.has(modifier)) throw new UnsafeQueryError(at, `modifier "${modifier}" is not allowed`);
          checkValue(operand, `${at}.${modifier}`);
        }
      } else checkValue(value, at);
    }
  }
}

/** A projection or a sort: field paths only. */
function checkPaths(spec: unknown, where: string): void {
  if (!isPlainObject(spec)) return;
  for (const path of Object.keys(spec)) checkPath(path, where);
}

function checkOptions(options: unknown, where: string): void {
  if (!isPlainObject(options)) return;
  checkPaths(options.projection, `${where}.projection`);
  checkPaths(options.sort, `${where}.sort`);
}

function checkPipeline(pipeline: unknown): void {
  if (!Array.isArray(pipeline)) throw new UnsafeQueryError('pipeline', 'needs an array of stages');
  pipeline.forEach((stage, i) => {
    const where = `pipeline[${i}]`;
    if (!isPlainObject(stage)) throw new UnsafeQueryError(where, 'a stage must be an object');
    const [name, ...more] = Object.keys(stage);
    if (name === undefined || more.length > 0 || !PIPELINE_STAGES.has(name))
      throw new UnsafeQueryError(where, `stage "${String(name)}" is not allowed`);
    if (name === '$match') checkFilter(stage[name], `${where}.$match`);
    if (name === '$sort' || name === '$project') checkPaths(stage[name], `${where}.${name}`);
  });
}

function checkBulkOperation(operation: unknown, i: number): void {
  const where = `bulkWrite[${i}]`;
  if (!isPlainObject(operation)) throw new UnsafeQueryError(where, 'an operation must be an object');
  for (const [kind, spec] of Object.entries(operation)) {
    if (!isPlainObject(spec)) throw new UnsafeQueryError(`${where}.${kind}`, 'needs an object');
    switch (kind) {
      case 'insertOne':
        checkValue(spec.document, `${where}.insertOne`);
        break;
      case 'updateOne':
      case 'updateMany':
        checkFilter(spec.filter, `${where}.${kind}.filter`);
        checkUpdate(spec.update, `${where}.${kind}.update`);
        break;
      case 'replaceOne':
        checkFilter(spec.filter, `${where}.replaceOne.filter`);
        checkValue(spec.replacement, `${where}.replaceOne.replacement`);
        break;
      case 'deleteOne':
      case 'deleteMany':
        checkFilter(spec.filter, `${where}.${kind}.filter`);
        break;
      default:
        throw new UnsafeQueryError(where, `bulk operation "${kind}" is not allowed`);
    }
  }
}

type Check = (args: unknown[]) => void;

/** Which arguments of a collection method are filters, updates, documents or options. */
const CHECKS: Record<string, Check> = {
  find: ([filter, options]) => {
    checkFilter(filter);
    checkOptions(options, 'options');
  },
  findOne: ([filter, options]) => {
    checkFilter(filter);
    checkOptions(options, 'options');
  },
  countDocuments: ([filter]) => checkFilter(filter),
  distinct: ([key, filter]) => {
    checkPath(String(key), 'distinct');
    checkFilter(filter);
  },
  deleteOne: ([filter]) => checkFilter(filter),
  deleteMany: ([filter]) => checkFilter(filter),
  findOneAndDelete: ([filter, options]) => {
    checkFilter(filter);
    checkOptions(options, 'options');
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
    checkOptions(options, 'options');
  },
  replaceOne: ([filter, replacement]) => {
    checkFilter(filter);
    checkValue(replacement, 'replacement');
  },
  insertOne: ([document]) => checkValue(document, 'document'),
  insertMany: ([documents]) => checkValue(documents, 'documents'),
  bulkWrite: ([operations]) => {
    if (!Array.isArray(operations)) throw new UnsafeQueryError('bulkWrite', 'needs an array of operations');
    operations.forEach(checkBulkOperation);
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
