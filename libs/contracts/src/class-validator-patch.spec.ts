import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import isLength from 'validator/lib/isLength';
import validatorIsISO8601 from 'validator/lib/isISO8601';
import {
  isISO8601,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  length,
  Min,
  validate,
  ValidateIf,
  ValidateNested,
  validateSync,
  ValidatorConstraint,
  Validate,
  type ValidationError,
  type ValidatorConstraintInterface,
  Validator,
  type ValidatorOptions,
} from 'class-validator';
import { EventEnvelopeDto } from './envelope';
import { memoizeValidationMetadata } from './validation-metadata';

/** The executor class-validator runs (not exported by its index): the oracle of the plan. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationExecutor } = require('class-validator/cjs/validation/ValidationExecutor') as {
  ValidationExecutor: new (
    validator: Validator,
    options?: ValidatorOptions,
  ) => {
    ignoreAsyncValidations: boolean;
    execute(object: object, targetSchema: string | undefined, errors: ValidationError[]): void;
    stripEmptyErrors(errors: ValidationError[]): ValidationError[];
  };
};

// class-validator's executor as patched (`patches/class-validator+0.14.4.patch`): it derives the
// grouping of a class's rules once per rules array, and asks a property's rules before it builds
// an error for it (a property that passes leaves none); a whole object whose rules all pass is
// answered from a plan of them without an executor. These cases run each validation twice, the
// second from the derived groups and plan, and pin the errors both give; a property pins the
// plan's answers to the executor's. `length` (the rule of `@Length`) measures a string without
// validator's isLength when the string holds nothing isLength counts apart; `isISO8601` checks a
// calendar date's day without building a Date. Their answers are validator's.

class Line {
  @IsString() sku: unknown;
  @IsInt() @Min(1) quantity: unknown;
}

class Order {
  @IsDefined() @IsString() id: unknown;
  @IsOptional() @IsString() note: unknown;
  @ValidateNested({ each: true }) lines: unknown;
  @ValidateNested() first: unknown;
}

let slowChecks = 0;

/** Declared async: only `validate` (not `validateSync`) runs it. */
@ValidatorConstraint({ name: 'notTaken', async: true })
class NotTaken implements ValidatorConstraintInterface {
  validate(value: unknown): Promise<boolean> {
    slowChecks += 1;
    return Promise.resolve(value !== 'taken');
  }
  defaultMessage(): string {
    return 'is taken';
  }
}

/** Declared sync, answers with a promise all the same. */
@ValidatorConstraint({ name: 'evenLater' })
class EvenLater implements ValidatorConstraintInterface {
  validate(value: unknown): Promise<boolean> {
    return Promise.resolve(typeof value === 'number' && value % 2 === 0);
  }
  defaultMessage(): string {
    return 'must be even';
  }
}

class Account {
  @IsString() kind: unknown;
  @ValidateIf((o: Account) => o.kind === 'company') @IsString() vat: unknown;
  @IsString({ each: true }) tags: unknown;
  @IsInt({ context: { code: 'E_SEATS' } }) seats: unknown;
  @IsOptional() @Validate(NotTaken) handle: unknown;
  @IsOptional() @Validate(EvenLater) pairs: unknown;
}

const account = (fields: Record<string, unknown>): Account =>
  Object.assign(new Account(), { kind: 'person', tags: ['a'], seats: 1, ...fields });

const order = (fields: Record<string, unknown>): Order => Object.assign(new Order(), fields);
const line = (sku: unknown, quantity: unknown): Line => Object.assign(new Line(), { sku, quantity });

/** Each error as `path: constraint,…`, children flattened. */
function described(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [`${path}: ${Object.keys(e.constraints).sort().join(',')}`] : [];
    return [...own, ...described(e.children ?? [], path)];
  });
}

const twice = (value: object, options?: Parameters<typeof validateSync>[1]): string[] => {
  const first = described(validateSync(value, options));
  expect(described(validateSync(value, options))).toEqual(first);
  return first;
};

describe("class-validator's executor (patched)", () => {
  beforeAll(() => memoizeValidationMetadata());

  it('is the patched module', () => {
    const source = readFileSync(require.resolve('class-validator/cjs/validation/ValidationExecutor.js'), 'utf8');
    expect(source).toContain('lifecycle-platform patch');
    for (const file of ['decorator/string/Length.js', 'decorator/string/IsISO8601.js', 'validation/Validator.js'])
      expect(readFileSync(require.resolve(`class-validator/cjs/${file}`), 'utf8')).toContain('lifecycle-platform patch');
  });

  it("checks an ISO 8601 date as validator's isISO8601 does, strict or not", () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const date = fc
      .tuple(
        fc.nat({ max: 9999 }),
        fc.nat({ max: 13 }),
        fc.nat({ max: 32 }),
        fc.constantFrom('', 'T00:00:00Z', 'T23:59:59.999+02:00', ' 10:00', 'T24:00', 'X', '-', '0'),
      )
      .map(([y, m, d, tail]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}${tail}`);
    const options = fc.constantFrom(undefined, {}, { strict: true }, { strict: true, strictSeparator: true }, { strictSeparator: true });
    fc.assert(
      fc.property(
        fc.oneof(date, fc.string({ maxLength: 30 }), fc.constantFrom('+2024-02-29', '2024-060', '2024-W05-1')),
        options,
        (value, o) => {
          expect(isISO8601(value, o)).toBe(validatorIsISO8601(value, o));
        },
      ),
      { numRuns: 20000, seed: 5 },
    );
    expect(isISO8601('2024-02-29T10:00:00Z', { strict: true })).toBe(true);
    expect(isISO8601('2023-02-29T10:00:00Z', { strict: true })).toBe(false);
    expect(isISO8601('1900-02-29', { strict: true })).toBe(false);
    expect(isISO8601('2026-04-31T10:00:00Z', { strict: true })).toBe(false);
    expect(isISO8601('2026-04-31T10:00:00Z')).toBe(true);
    expect(isISO8601(20240229, { strict: true })).toBe(false);
  });

  it('answers a whole object from its plan as the executor does, whitelisting included', () => {
    /** The executor alone, as validateSync runs it for an object the plan does not pass. */
    const executorErrors = (object: object, options?: ValidatorOptions): string[] => {
      const executor = new ValidationExecutor(new Validator(), options);
      executor.ignoreAsyncValidations = true;
      const errors: ValidationError[] = [];
      executor.execute(object, undefined, errors);
      return described(executor.stripEmptyErrors(errors));
    };
    const value = fc.oneof(
      fc.constantFrom(
        'person',
        'company',
        'a',
        '',
        'acct-1',
        '2024-02-29T10:00:00Z',
        '2023-02-29T10:00:00Z',
        '5f0c3c2e-2b7a-4c1e-9a57-2d6a1f0e8b11',
      ),
      fc.integer({ min: -2, max: 3 }),
      fc.constantFrom(undefined, null, 1.5, [], ['a'], ['a', 2], {}, { k: 1 }),
      fc.string({ maxLength: 3 }),
    );
    const options = fc.constantFrom<ValidatorOptions | undefined>(
      undefined,
      { whitelist: true },
      { whitelist: true, forbidNonWhitelisted: true },
      { forbidUnknownValues: false },
      { skipMissingProperties: true },
      { skipNullProperties: true },
      { skipUndefinedProperties: true },
    );
    // Mostly valid fields, so that whole objects pass often and the plan answers alone.
    const field = (valid: unknown) =>
      fc.oneof(
        { arbitrary: fc.constant(valid), weight: 4 },
        { arbitrary: value, weight: 1 },
        { arbitrary: fc.constantFrom(undefined, null), weight: 1 },
      );
    const extra = fc.option(value, { nil: undefined, freq: 2 });
    const objects = fc.oneof(
      fc
        .record({ kind: field('company'), vat: field('BE1'), tags: field(['a']), seats: field(1), pairs: fc.constant(undefined), extra })
        .map((f) => [Account, f] as const),
      fc
        .record({
          id: field('5f0c3c2e-2b7a-4c1e-9a57-2d6a1f0e8b11'),
          type: field('a'),
          version: field(1),
          occurredAt: field('2024-02-29T10:00:00Z'),
          source: field('acct-1'),
          data: field({}),
          extra,
        })
        .map((f) => [EventEnvelopeDto, f] as const),
    );
    fc.assert(
      fc.property(objects, options, ([cls, fields], o) => {
        const own = Object.fromEntries(Object.entries(fields).filter(([k, v]) => k !== 'extra' || v !== undefined));
        const planned = Object.assign(new (cls as new () => object)(), own);
        const executed = Object.assign(new (cls as new () => object)(), own);
        expect(described(validateSync(planned, o))).toEqual(executorErrors(executed, o));
        expect(Object.keys(planned)).toEqual(Object.keys(executed));
      }),
      { numRuns: 3000, seed: 9 },
    );
  });

  it("measures a string's length as validator's isLength does", () => {
    // Surrogate pairs, lone surrogates, variation selectors after a character and alone.
    const unit = fc.constantFrom('a', 'é', '\u{1F600}', '\uD83D', '\uDE00', '\uFE0F', '\uFE0E', ' ');
    fc.assert(
      fc.property(
        fc.array(unit, { maxLength: 6 }).map((units) => units.join('')),
        fc.nat({ max: 6 }),
        fc.option(fc.nat({ max: 6 }), { nil: undefined }),
        (value, min, max) => {
          expect(length(value, min, max)).toBe(isLength(value, { min, max }));
        },
      ),
      { numRuns: 2000, seed: 3 },
    );
    expect(length('ab\u{1F600}', 3, 3)).toBe(true);
    expect(length('abc', 3, 3)).toBe(true);
    expect(length('abcd', 3, 3)).toBe(false);
    expect(length(7, 0, 10)).toBe(false);
  });

  it('passes a valid object, its optional field absent, with no errors left for valid nested ones', () => {
    expect(twice(order({ id: 'o-1', lines: [line('a', 1), line('b', 2)], first: line('a', 1) }))).toEqual([]);
  });

  it('reports defined, optional, nested and each-element rules by path', () => {
    const errors = twice(order({ note: 5, lines: [line('a', 1), line(3, 0)], first: line('a', 'x') }));
    expect(errors.sort()).toEqual([
      'first.quantity: isInt,min',
      'id: isDefined,isString',
      'lines.1.quantity: min',
      'lines.1.sku: isString',
      'note: isString',
    ]);
    // Only a nested object is wrong: the whole-object plan leaves nested classes to the executor.
    expect(twice(order({ id: 'o-1', lines: [line('a', 0)], first: line('a', 1) }))).toEqual(['lines.0.quantity: min']);
    expect(twice(order({ id: 'o-1', lines: [], first: line('a', null) }))).toEqual(['first.quantity: isInt,min']);
  });

  it('strips or refuses undeclared properties as whitelisting asks', () => {
    const extra = (): Order => order({ id: 'o-1', lines: [], first: line('a', 1), secret: 'x' });
    const stripped = extra();
    expect(twice(stripped, { whitelist: true })).toEqual([]);
    expect(Object.keys(stripped)).not.toContain('secret');
    expect(twice(extra(), { whitelist: true, forbidNonWhitelisted: true })).toEqual(['secret: whitelistValidation']);
  });

  it('validates a conditional property only when its condition holds', () => {
    expect(twice(account({ vat: 7 }))).toEqual([]);
    expect(twice(account({ kind: 'company', vat: 7 }))).toEqual(['vat: isString']);
    expect(twice(account({ kind: 'company', vat: 'BE0123' }))).toEqual([]);
  });

  it('checks each element of an array or a set, and keeps the context of a failed rule', () => {
    expect(twice(account({ tags: new Set(['a', 'b']) }))).toEqual([]);
    expect(twice(account({ tags: ['a', 2] }))).toEqual(['tags: isString']);
    expect(twice(account({ tags: new Set(['a', 2]) }))).toEqual(['tags: isString']);
    expect(twice(account({ tags: [] }))).toEqual([]);
    expect(twice(account({ tags: new Map([['k', 1]]) }))).toEqual(['tags: isString']);
    const [seats] = validateSync(account({ seats: 'many' }));
    expect(seats!.contexts).toEqual({ isInt: { code: 'E_SEATS' } });
  });

  it('skips missing or null properties as the options say, and only those', () => {
    const missing = account({ kind: undefined, seats: null });
    expect(twice(missing, { skipMissingProperties: true })).toEqual([]);
    expect(twice(missing, { skipNullProperties: true })).toEqual(['kind: isString']);
    expect(twice(missing, { skipUndefinedProperties: true })).toEqual(['seats: isInt']);
    expect(twice(missing)).toEqual(['kind: isString', 'seats: isInt']);
  });

  it('leaves async rules to validate(), which awaits them, and to nothing in validateSync()', async () => {
    slowChecks = 0;
    expect(twice(account({ handle: 'taken' }))).toEqual([]);
    expect(slowChecks).toBe(0);
    expect(described(await validate(account({ handle: 'taken' })))).toEqual(['handle: notTaken']);
    expect(described(await validate(account({ handle: 'free' })))).toEqual([]);
    expect(slowChecks).toBe(2);
  });

  it('awaits a promise a rule declared sync answers with, in validate()', async () => {
    expect(described(await validate(account({ pairs: 3 })))).toEqual(['pairs: evenLater']);
    expect(described(await validate(account({ pairs: 4 })))).toEqual([]);
  });
});
