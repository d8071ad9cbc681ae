import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import isLength from 'validator/lib/isLength';
import {
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
} from 'class-validator';
import { memoizeValidationMetadata } from './validation-metadata';

// class-validator's executor as patched (`patches/class-validator+0.14.4.patch`): it derives the
// grouping of a class's rules once per rules array, and asks a property's rules before it builds
// an error for it (a property that passes leaves none). These cases run each validation twice, the
// second from the derived groups, and pin the errors both give. `length` (the rule of `@Length`)
// measures a string without validator's isLength when the string holds nothing isLength counts
// apart; its answers are isLength's.

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
    expect(readFileSync(require.resolve('class-validator/cjs/decorator/string/Length.js'), 'utf8')).toContain('lifecycle-platform patch');
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
