import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { targetConstructorToSchema, validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { dataHeaderFields, EVENTS, EVENT_TYPES, eventsOfTopic } from './event-registry';
import { DEAD_LETTER_SCHEMA, RECORD_POLICY_TEXT } from './record-policy';
import { ALL_TOPICS, deadLetterTopic, TOPIC_SPECS } from './topics';

type Json = Record<string, unknown>;
/** A payload class (class-validator metadata is keyed by constructor). */
type PayloadClass = abstract new (...args: never[]) => unknown;

/**
 * Fields that may be null: `@IsOptional()` and `@ValidateIf((_o, v) => v !== null)` both skip
 * validation of a null value, so the schema must accept null there too.
 */
function nullableFields(cls: PayloadClass): string[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(cls, '', true, false)
    .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
    .map((m) => m.propertyName);
}

/** Every class reachable from `roots` through `@Type(() => X)` nested fields. */
function reachableClasses(roots: PayloadClass[]): PayloadClass[] {
  const seen = new Set<PayloadClass>();
  const visit = (cls: PayloadClass) => {
    if (seen.has(cls)) return;
    seen.add(cls);
    for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
      const nested = defaultMetadataStorage.findTypeMetadata(cls, m.propertyName)?.typeFunction();
      if (typeof nested === 'function') visit(nested as PayloadClass);
    }
  };
  roots.forEach(visit);
  return [...seen];
}

/**
 * Makes generated schemas say what validation accepts: nullable fields accept null, and an
 * ISO-8601 value (a date or a date-time) is `anyOf` the two formats — with `oneOf`, a validator
 * that treats `format` as an annotation (the JSON Schema default) refuses every value.
 */
function faithful(schemas: Record<string, Json>, classes: PayloadClass[]): void {
  for (const cls of classes) {
    const properties = schemas[cls.name]?.properties as Record<string, Json> | undefined;
    if (!properties) continue;
    for (const field of nullableFields(cls)) {
      if (properties[field]) properties[field] = { anyOf: [properties[field], { type: 'null' }] };
    }
  }
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const object = node as Json;
    const variants = object.oneOf as Json[] | undefined;
    if (variants?.length === 2 && variants.every((v) => v.type === 'string') && variants.some((v) => v.format === 'date-time')) {
      object.anyOf = variants;
      delete object.oneOf;
    }
    Object.values(object).forEach(visit);
  };
  visit(schemas);
}

/**
 * The AsyncAPI 3.0 catalogue of every topic and event, derived from the contracts themselves
 * (payload schemas come from the class-validator classes), so it cannot drift from the code.
 * `docs/asyncapi.json` is this document; a test checks they are equal.
 */
export function buildAsyncApi(): Json {
  // class-transformer's metadata gives the class behind each `@Type(() => X)` (nested objects).
  const options = { refPointerPrefix: '#/components/schemas/', classTransformerMetadataStorage: defaultMetadataStorage };
  const schemas = validationMetadatasToSchemas(options) as Record<string, Json>;
  // A payload class that only inherits its fields (`cycle.removed`) has no metadata of its own.
  for (const type of EVENT_TYPES) schemas[EVENTS[type].data.name] ??= targetConstructorToSchema(EVENTS[type].data, options) as Json;
  faithful(schemas, reachableClasses(EVENT_TYPES.map((t) => EVENTS[t].data)));
  const usedSchemas = new Set<string>();
  const collect = (name: string) => {
    if (usedSchemas.has(name) || !schemas[name]) return;
    usedSchemas.add(name);
    JSON.stringify(schemas[name]).replace(/#\/components\/schemas\/(\w+)/g, (_m, ref: string) => {
      collect(ref);
      return '';
    });
  };
  const messages: Json = {};
  for (const type of EVENT_TYPES) {
    const spec = EVENTS[type];
    collect(spec.data.name);
    messages[type] = {
      name: type,
      title: type,
      summary: spec.summary,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: {
          'event-type': { const: type },
          'event-id': { type: 'string', format: 'uuid' },
          ...Object.fromEntries(
            Object.entries(dataHeaderFields(type)).map(([header, field]) => [
              header,
              { type: 'string', description: `data.${field}, for consumers that pass records over by their headers` },
            ]),
          ),
        },
      },
      payload: {
        type: 'object',
        required: ['id', 'type', 'version', 'occurredAt', 'source', 'data'],
        properties: {
          id: { type: 'string', format: 'uuid', description: 'Idempotency key' },
          type: { const: type },
          version: { const: spec.version },
          occurredAt: { type: 'string', format: 'date-time', description: 'Event time' },
          source: { type: 'string' },
          data: { $ref: `#/components/schemas/${spec.data.name}` },
        },
      },
      'x-kafka-key': `data.${spec.keyField}`,
      bindings: {
        kafka: {
          key: { type: 'string', description: `data.${spec.keyField}: the aggregate id (keeps its events in one partition, in order)` },
        },
      },
    };
  }
  const channels: Json = {};
  const operations: Json = {};
  for (const topic of ALL_TOPICS) {
    const types = eventsOfTopic(topic);
    const channelId = topic.replace(/[.-]/g, '_');
    channels[channelId] = {
      address: topic,
      description: `${TOPIC_SPECS[topic].description} Invalid messages go to ${topic}.dlq with the reason.`,
      messages: Object.fromEntries(types.map((t) => [t.replace(/[.-]/g, '_'), { $ref: `#/components/messages/${t}` }])),
      bindings: {
        kafka: { partitions: TOPIC_SPECS[topic].partitions, topicConfiguration: { 'cleanup.policy': [TOPIC_SPECS[topic].cleanupPolicy] } },
      },
    };
    operations[`publish_${channelId}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channelId}` },
      messages: types.map((t) => ({ $ref: `#/channels/${channelId}/messages/${t.replace(/[.-]/g, '_')}` })),
    };
    const dlqId = `${channelId}_dlq`;
    channels[dlqId] = {
      address: deadLetterTopic(topic),
      description: `Records of ${topic} that a consumer could not use, one dead letter each (a batch that could not be decoded: one for its offset range).`,
      messages: { dead_letter: { $ref: '#/components/messages/dead-letter' } },
      bindings: { kafka: { partitions: 1, topicConfiguration: { 'cleanup.policy': ['delete'] } } },
    };
    operations[`publish_${dlqId}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${dlqId}` },
      messages: [{ $ref: `#/channels/${dlqId}/messages/dead_letter` }],
    };
  }
  messages['dead-letter'] = {
    name: 'dead-letter',
    title: 'dead letter',
    summary: 'A record a consumer could not use: the reason, where it was and its raw bytes.',
    contentType: 'application/json',
    headers: { type: 'object', properties: { 'dlq-reason': { type: 'string', maxLength: 200 } } },
    payload: DEAD_LETTER_SCHEMA,
    'x-kafka-key': 'the original record key',
  };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Lifecycle platform events',
      version: '1.0.0',
      description:
        'Every topic and event of the lifecycle platform. Envelope: { id, type, version, occurredAt, source, data }; Kafka key = the aggregate id. ' +
        'Delivery is at least once: consumers deduplicate by `id`. ' +
        RECORD_POLICY_TEXT,
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      messages,
      schemas: Object.fromEntries([...usedSchemas].sort().map((n) => [n, schemas[n]])),
    },
  };
}
