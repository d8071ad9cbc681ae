import type { INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

import type {
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  RequestBodyObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { refusalsOf } from './api-refusals.decorator';
import { ERROR_RESPONSE_SCHEMA, errorResponseComponents, errorResponseName, type ErrorStatus } from './error-responses';
import { requestSchemas, SCHEMA_REF_PREFIX } from './request-schemas';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- a class, as Nest's metadata knows it
type Class = Function;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof METHODS)[number];

interface RouteArgument {
  index: number;
  data?: unknown;
}

/**
 * The OpenAPI document of one Nest application (a service, or the gateway's own routes), built
 * from the code so it cannot drift from it:
 * - path and query parameters and request bodies from the class-validator classes the handlers
 *   take (`@Param() p: XParams`, `@Query() q: XQuery`, `@Body() b: XBody`), with the patterns,
 *   bounds and closed objects the ValidationPipe enforces (request-schemas.ts);
 * - success responses from `@ApiOkResponse({ type })` and friends (response classes);
 * - error responses: what every operation of its kind can answer (400 when it takes input, 401,
 *   403 for writes, 413/415 for JSON bodies, 429, 503 from the gateway) plus its own
 *   `@ApiRefusals(...)`, each the one shared `ErrorResponse` with examples.
 * A handler that takes a named `@Param('x')` or an undocumented path parameter fails the build.
 */
export function buildOpenApiDocument(
  app: INestApplication,
  title: string,
  description: string,
  tags: Readonly<Record<string, string>> = {},
): OpenAPIObject {
  const builder = new DocumentBuilder().setTitle(title).setDescription(description).setVersion('1').addBearerAuth();
  for (const [name, text] of Object.entries(tags)) builder.addTag(name, text);
  const doc = SwaggerModule.createDocument(app, builder.build());
  const controllers = controllerClasses(app);
  const schemas: Record<string, SchemaObject | ReferenceObject> = { ...(doc.components?.schemas ?? {}) };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = (item as PathItemObject)[method];
      if (operation === undefined) continue;
      describeOperation(path, method, operation, controllers, schemas);
    }
  }
  schemas.ErrorResponse = ERROR_RESPONSE_SCHEMA;
  return {
    ...doc,
    components: {
      ...doc.components,
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
      responses: errorResponseComponents(),
    },
  };
}

function controllerClasses(app: INestApplication): Map<string, Class> {
  const out = new Map<string, Class>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      if (typeof wrapper.metatype === 'function') out.set(wrapper.metatype.name, wrapper.metatype);
    }
  }
  return out;
}

function describeOperation(
  path: string,
  method: Method,
  operation: OperationObject,
  controllers: Map<string, Class>,
  schemas: Record<string, SchemaObject | ReferenceObject>,
): void {
  const [controllerName, handlerName] = (operation.operationId ?? '').split('_');
  const controller = controllerName === undefined ? undefined : controllers.get(controllerName);
  if (controller === undefined || handlerName === undefined)
    throw new Error(`${method.toUpperCase()} ${path}: no controller for ${operation.operationId}`);
  const prototype = (controller as { prototype: Record<string, unknown> }).prototype;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {}) as Record<string, RouteArgument>;
  const types = (Reflect.getMetadata('design:paramtypes', prototype, handlerName) ?? []) as Class[];
  const where = `${method.toUpperCase()} ${path}`;

  const argsOf = (kind: RouteParamtypes) =>
    Object.entries(args)
      .filter(([key]) => Number(key.split(':')[0]) === kind)
      .map(([, arg]) => arg);
  const dtoOf = (kind: RouteParamtypes, role: string): Class | undefined => {
    const found = argsOf(kind);
    if (found.length === 0) return undefined;
    if (found.length > 1 || found[0]!.data !== undefined)
      throw new Error(`${where}: take the ${role} as one class (@${role}() x: XClass), not by name`);
    const type = types[found[0]!.index];
    return type === Object || type === undefined ? undefined : type;
  };

  const pathNames = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const params = dtoOf(RouteParamtypes.PARAM, 'Param');
  const query = dtoOf(RouteParamtypes.QUERY, 'Query');
  const headers = (operation.parameters ?? []).filter((p) => (p as ParameterObject).in === 'header');
  const parameters: ParameterObject[] = [];
  if (params !== undefined) parameters.push(...parametersOf(params, 'path'));
  if (query !== undefined) parameters.push(...parametersOf(query, 'query'));
  const declared = parameters.filter((p) => p.in === 'path').map((p) => p.name);
  if (declared.sort().join() !== [...pathNames].sort().join()) {
    throw new Error(`${where}: path parameters {${pathNames.join(', ')}} but the handler's params class declares {${declared.join(', ')}}`);
  }
  operation.parameters = [...parameters, ...headers];

  const body = dtoOf(RouteParamtypes.BODY, 'Body');
  if (body !== undefined) {
    operation.requestBody = { required: true, content: { 'application/json': { schema: { $ref: `${SCHEMA_REF_PREFIX}${body.name}` } } } };
  }
  const requestBody = operation.requestBody as RequestBodyObject | undefined;
  const json = requestBody?.content['application/json']?.schema as ReferenceObject | undefined;
  if (json?.$ref !== undefined) {
    const name = json.$ref.slice(SCHEMA_REF_PREFIX.length);
    const cls = body ?? apiBodyClass(prototype[handlerName]);
    if (cls === undefined) throw new Error(`${where}: request body ${name} is not a validation class`);
    for (const [schemaName, schema] of requestSchemas(cls)) schemas[schemaName] = schema;
    // A body whose every field is optional may be left out.
    requestBody!.required = ((schemas[name] as SchemaObject).required ?? []).length > 0;
  }

  const statuses = new Set<ErrorStatus>([401, 429, 503, ...refusalsOf(prototype[handlerName])]);
  if (operation.parameters.length > 0 || requestBody !== undefined) statuses.add(400);
  if (pathNames.length > 0) statuses.add(404);
  if (method !== 'get') statuses.add(403);
  if (requestBody !== undefined) {
    statuses.add(413);
    statuses.add(415);
  }
  for (const status of [...statuses].sort())
    operation.responses[String(status)] = { $ref: `#/components/responses/${errorResponseName(status)}` };
}

/** The class of `@ApiBody({ type })`, for a handler that takes its body raw and validates it itself. */
function apiBodyClass(handler: unknown): Class | undefined {
  const declared = (Reflect.getMetadata(DECORATORS.API_PARAMETERS, handler as object) ?? []) as { in?: string; type?: unknown }[];
  const type = declared.find((p) => p.in === 'body')?.type;
  return typeof type === 'function' ? (type as Class) : undefined;
}

function parametersOf(cls: Class, location: 'path' | 'query'): ParameterObject[] {
  const schema = requestSchemas(cls).get(cls.name)!;
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    // A query string has no null: a parameter is given or not.
    const { description, example, nullable: _nullable, ...constraints } = property as SchemaObject;
    return {
      name,
      in: location,
      required: location === 'path' || (schema.required ?? []).includes(name),
      ...(description === undefined ? {} : { description }),
      ...(example === undefined ? {} : { example }),
      schema: constraints,
    };
  });
}
