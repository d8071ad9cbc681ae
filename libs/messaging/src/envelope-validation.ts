import {
  aggregateKey,
  ENVELOPE_FIELDS,
  EventEnvelopeDto,
  EVENTS,
  isEventType,
  RECORD_POLICY,
  type AnyEnvelope,
  type EventType,
  type Topic,
} from '@lifecycle/contracts';
import { plainToInstance, TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { utf8Text } from './dead-letter';
import { InvalidMessageError } from './message-errors';

/**
 * The largest record value a consumer accepts (the broker's own default limit is about 1 MiB per
 * batch). Larger records are dead-lettered, never applied.
 */
export const MAX_MESSAGE_BYTES = RECORD_POLICY.maxValueBytes;

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`);
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/**
 * The class an event's data is validated against, and turned into: the type's own data class, a
 * smaller class of the fields a consumer reads (`HandlerOptions.reads`), or null for a type the
 * consumer has no handler for (it ignores the event whatever its data holds).
 */
export type DataClassOf = (type: EventType) => (new () => object) | null;

const OWN_DATA_CLASS: DataClassOf = (type) => EVENTS[type].data as new () => object;

/**
 * The properties a data class declares (any class-validator decorator), inherited ones included;
 * derived from the rules class-validator answers with (memoized by `@lifecycle/contracts`), so a
 * rule registered later, which makes it answer anew, is seen here too.
 */
const declaredCache = new WeakMap<readonly object[], readonly string[]>();
function declaredProperties(dataClass: new () => object): readonly string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dataClass, '', true, false);
  let names = declaredCache.get(metadata);
  if (names === undefined) {
    names = [...new Set(metadata.map((m) => m.propertyName))];
    declaredCache.set(metadata, names);
  }
  return names;
}

/**
 * The declared properties of `data` only. Whitelisting strips every other one after the
 * transform anyway; picking them first spares the transform a deep copy of fields the reader
 * never sees (a reader of a `status.changed`'s pair skips its clock and stages).
 */
function declaredOnly(dataClass: new () => object, data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const picked: Record<string, unknown> = {};
  for (const name of declaredProperties(dataClass)) if (Object.hasOwn(data, name)) picked[name] = (data as Record<string, unknown>)[name];
  return picked;
}

/**
 * Whether class-transformer has nothing to do for a data class (no `@Type`, `@Transform`,
 * `@Expose` or `@Exclude` on it or its ancestors), asked once per class: its decorators have all
 * run before the class can be named here.
 */
const plainCache = new WeakMap<new () => object, boolean>();
function transformsNothing(dataClass: new () => object): boolean {
  let plain = plainCache.get(dataClass);
  if (plain === undefined) {
    const storage = defaultMetadataStorage;
    plain =
      storage.getStrategy(dataClass) === 'none' &&
      storage.getExposedMetadatas(dataClass).length === 0 &&
      storage.getExcludedMetadatas(dataClass).length === 0 &&
      declaredProperties(dataClass).every(
        (name) =>
          storage.findTypeMetadata(dataClass, name) === undefined &&
          storage.findTransformMetadatas(dataClass, name, TransformationType.PLAIN_TO_CLASS).length === 0,
      );
    plainCache.set(dataClass, plain);
  }
  return plain;
}

/**
 * `data` as an instance of its class. Where the class declares nothing for class-transformer,
 * `plainToInstance` would only deep-copy what `JSON.parse` has just made (no dates, no instances
 * in it): the parsed values are taken as they are.
 */
function dataInstance(dataClass: new () => object, data: unknown): object {
  const picked = declaredOnly(dataClass, data);
  if (typeof picked !== 'object' || picked === null || !transformsNothing(dataClass)) return plainToInstance(dataClass, picked) as object;
  return Object.assign(new dataClass(), picked);
}

/**
 * Parses and validates one raw message of `topic`; throws `InvalidMessageError` with every reason.
 * The envelope, type and version are always checked; the data against `dataClassOf(type)`.
 */
export function parseEnvelope(topic: Topic, raw: Buffer | null, dataClassOf: DataClassOf = OWN_DATA_CLASS): AnyEnvelope {
  if (raw === null) throw new InvalidMessageError('tombstone (null value): every record must carry an event envelope');
  if (raw.length === 0) throw new InvalidMessageError('empty message value');
  if (raw.length > MAX_MESSAGE_BYTES) {
    throw new InvalidMessageError(`message of ${raw.length} bytes exceeds the limit of ${MAX_MESSAGE_BYTES} bytes`);
  }
  const text = utf8Text(raw);
  if (text === null) throw new InvalidMessageError('value is not valid UTF-8 (an event envelope is UTF-8 JSON)');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InvalidMessageError(`value is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidMessageError('value must be a JSON object (the event envelope)');
  }
  // The envelope's own fields are flat: an instance holding them is all validation needs
  // (`plainToInstance` would copy `data` deeply, and `data` becomes its type's class below). Other
  // top-level fields are dropped, as unknown fields of `data` are.
  const envelope = new EventEnvelopeDto();
  for (const field of ENVELOPE_FIELDS) (envelope as unknown as Record<string, unknown>)[field] = (json as Record<string, unknown>)[field];
  const envelopeErrors = flatten(validateSync(envelope));
  if (envelopeErrors.length > 0) throw new InvalidMessageError('invalid event envelope', envelopeErrors);

  const type = envelope.type;
  if (!isEventType(type)) {
    throw new InvalidMessageError(`unknown event type "${type}"`);
  }
  const spec = EVENTS[type];
  if (spec.topic !== topic) {
    throw new InvalidMessageError(`event type "${type}" does not belong on topic "${topic}" (it belongs on "${spec.topic}")`);
  }
  if (envelope.version !== spec.version) {
    throw new InvalidMessageError(`unsupported version ${envelope.version} of "${type}"; supported: ${spec.version}`);
  }
  const dataClass = dataClassOf(type);
  if (dataClass === null) return { ...envelope, type } as unknown as AnyEnvelope;
  const data = dataInstance(dataClass, envelope.data);
  // Unknown fields in `data` are stripped, not rejected: readers tolerate additive changes.
  const dataErrors = flatten(validateSync(data, { whitelist: true, forbidUnknownValues: true }), 'data');
  if (dataErrors.length > 0) throw new InvalidMessageError(`invalid data of "${type}"`, dataErrors);

  return { ...envelope, type, data } as AnyEnvelope;
}

/**
 * The Kafka key must be the event's aggregate id (usually the account id): the key decides the
 * partition, and one partition is what keeps an account's events in order.
 */
export function checkKey(envelope: AnyEnvelope, rawKey: Buffer | null): void {
  const expected = aggregateKey(envelope);
  if (rawKey === null) {
    throw new InvalidMessageError(
      `record has no key; the key of "${envelope.type}" must be its aggregate id "${expected}" (it keeps the aggregate's events in one partition, in order)`,
    );
  }
  const key = utf8Text(rawKey);
  if (key !== expected) {
    throw new InvalidMessageError(
      `record key ${key === null ? '(not UTF-8)' : JSON.stringify(key)} is not the aggregate id "${expected}" of "${envelope.type}" (the key keeps the aggregate's events in one partition, in order)`,
    );
  }
}
