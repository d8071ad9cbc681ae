import { DECORATORS } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, IS_ISO8601, ValidationTypes } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';

/**
 * The OpenAPI schema of a request class (body, path parameters, query) derived from its
 * class-validator decorators, the rules the server enforces, so the document cannot drift from
 * the validation. `@ApiProperty` adds only what validation cannot say: description, example,
 * default, and the type of a property that validation leaves open.
 *
 * Every request class is closed (`additionalProperties: false`): the ValidationPipe refuses
 * unknown fields (forbidNonWhitelisted).
 */

type Json = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- a class, as the metadata stores know it
type Class = Function;

// class-transformer keeps its `@Type()` records here and exports no typed path to them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

interface ConditionalMeta {
  name?: string;
  constraints: [(object: object, value: unknown) => boolean];
}

/** Whether a property may be absent and whether it may be null, from IsOptional / ValidateIf. */
function presence(target: Class, property: string): { optional: boolean; nullable: boolean } {
  const metas = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .filter((m) => m.propertyName === property && m.type === ValidationTypes.CONDITIONAL_VALIDATION) as unknown as ConditionalMeta[];
  let optional = false;
  let nullable = false;
  for (const meta of metas) {
    const condition = meta.constraints[0];
    // Validation is skipped when the condition is false: that value passes whatever else is declared.
    if (!condition({}, undefined)) optional = true;
    if (!condition({ [property]: null }, null)) nullable = true;
  }
  return { optional, nullable };
}

/** Annotations only: the constraints come from validation. */
const ANNOTATIONS = ['description', 'example', 'examples', 'default', 'deprecated', 'title'] as const;

function apiAnnotations(target: Class, property: string): Json {
  const declared = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, (target as { prototype: object }).prototype, property) ??
    {}) as Json;
  const picked: Json = {};
  for (const key of ANNOTATIONS) if (declared[key] !== undefined) picked[key] = declared[key];
  // A property validation leaves untyped (`@IsDefined()` alone) takes the declared type.
  for (const key of ['type', 'additionalProperties', 'format'] as const)
    if (declared[key] !== undefined) picked[`declared:${key}`] = declared[key];
  return picked;
}

/** JSON Schema pieces class-validator-jsonschema emits that OpenAPI 3.0 has no words for. */
function toOpenApi30(schema: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'not' && JSON.stringify(value) === '{"type":"null"}') continue; // IsDefined: expressed by `required`
    if (Array.isArray(value)) out[key] = value.map((v: unknown) => (isObject(v) ? toOpenApi30(v) : v));
    else out[key] = isObject(value) ? toOpenApi30(value) : value;
  }
  return out;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(schema: Json): unknown {
  if (schema.type !== undefined) return schema.type;
  const variants = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  const types = new Set(variants?.map((v) => v.type));
  return types.size === 1 ? [...types][0] : undefined;
}

/** The schema of one request class; `nested` collects the classes it refers to. */
export function requestSchema(target: Class, nested: Set<Class> = new Set()): SchemaObject {
  const base = targetConstructorToSchema(target, {
    refPointerPrefix: SCHEMA_REF_PREFIX,
    classTransformerMetadataStorage: defaultMetadataStorage,
    // A date or a date-time: the two formats overlap on no value, but a string may be either.
    additionalConverters: { [IS_ISO8601]: { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] } },
  }) as Json;
  const properties: Json = {};
  const required: string[] = [];
  for (const [property, raw] of Object.entries((base.properties ?? {}) as Record<string, Json>)) {
    const { optional, nullable } = presence(target, property);
    const annotations = apiAnnotations(target, property);
    const schema = toOpenApi30(raw);
    if (typeOf(schema) === undefined && annotations['declared:type'] !== undefined && schema.$ref === undefined) {
      schema.type = annotations['declared:type'];
      if (annotations['declared:additionalProperties'] !== undefined)
        schema.additionalProperties = annotations['declared:additionalProperties'];
    }
    // A free-form object (`@IsObject()`, e.g. a criteria tree) takes what `@ApiProperty` says of its members.
    if (schema.type === 'object' && schema.properties === undefined && annotations['declared:additionalProperties'] !== undefined) {
      schema.additionalProperties = annotations['declared:additionalProperties'];
    }
    if (schema.format === undefined && annotations['declared:format'] !== undefined) schema.format = annotations['declared:format'];
    for (const key of ANNOTATIONS) if (annotations[key] !== undefined) schema[key] = annotations[key];
    collectRefs(target, property, nested);
    if (nullable) {
      // OpenAPI 3.0 cannot put `nullable` beside a `$ref`.
      properties[property] =
        schema.$ref === undefined ? { ...schema, nullable: true } : { type: 'object', allOf: [{ $ref: schema.$ref }], nullable: true };
    } else {
      properties[property] = schema;
    }
    if (!optional) required.push(property);
  }
  return {
    type: 'object',
    properties: properties as SchemaObject['properties'],
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

function collectRefs(target: Class, property: string, nested: Set<Class>): void {
  const type = defaultMetadataStorage.findTypeMetadata(target, property);
  if (type?.typeFunction) {
    const cls = type.typeFunction() as Class;
    if (cls !== Number && cls !== String && cls !== Boolean && cls !== Date) nested.add(cls);
  }
}

/** The request class and every class it nests, by schema name. */
export function requestSchemas(target: Class): Map<string, SchemaObject> {
  const out = new Map<string, SchemaObject>();
  const pending = [target];
  while (pending.length > 0) {
    const cls = pending.pop()!;
    if (out.has(cls.name)) continue;
    const nested = new Set<Class>();
    out.set(cls.name, requestSchema(cls, nested));
    pending.push(...nested);
  }
  return out;
}
