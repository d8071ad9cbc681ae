import { readFileSync } from 'node:fs';
import { IsDefined, IsInt, IsOptional, IsString, Min, ValidateNested, validateSync, type ValidationError } from 'class-validator';
import { memoizeValidationMetadata } from './validation-metadata';

// class-validator's executor as patched (`patches/class-validator+0.14.4.patch`): it derives the
// grouping of a class's rules once per rules array. These cases run each validation twice, the
// second from the derived groups, and pin the errors both give.

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
});
