import { IsInt, IsString, registerDecorator, validateSync, type ValidationOptions } from 'class-validator';
import { memoizeValidationMetadata } from './validation-metadata';

const failures = (value: object) => validateSync(value).map((e) => `${e.property}: ${Object.keys(e.constraints ?? {}).join(',')}`);

describe('memoized class-validator rules', () => {
  beforeAll(() => memoizeValidationMetadata());

  it('validates a class the same on every call, and a subclass loaded after it with its own and inherited rules', () => {
    class Base {
      @IsString() name: unknown = 7;
    }
    expect(failures(new Base())).toEqual(['name: isString']);
    expect(failures(new Base())).toEqual(['name: isString']);
    class Later extends Base {
      @IsInt() count: unknown = 'x';
    }
    expect(failures(new Later()).sort()).toEqual(['count: isInt', 'name: isString']);
  });

  it('applies a rule registered after the class was validated', () => {
    class Account {
      @IsString() id: unknown = 'acme';
    }
    expect(failures(new Account())).toEqual([]);
    const NotAcme = (options?: ValidationOptions) => (target: object, propertyName: string) =>
      registerDecorator({
        name: 'notAcme',
        target: target.constructor,
        propertyName,
        options,
        validator: { validate: (v) => v !== 'acme' },
      });
    NotAcme()(Account.prototype, 'id');
    expect(failures(new Account())).toEqual(['id: notAcme']);
  });

  it('keeps the answers of different groups apart', () => {
    class Grouped {
      @IsString({ groups: ['strict'] }) label: unknown = 1;
    }
    expect(validateSync(new Grouped(), { groups: ['strict'] }).map((e) => e.property)).toEqual(['label']);
    expect(validateSync(new Grouped(), { groups: ['loose'], forbidUnknownValues: false })).toEqual([]);
    expect(validateSync(new Grouped(), { groups: ['strict'] }).map((e) => e.property)).toEqual(['label']);
  });

  it('keeps the answers of different options apart when no groups are given', () => {
    class Tagged {
      @IsString({ groups: ['admin'] }) label: unknown = 1;
      @IsInt() count: unknown = 'x';
    }
    const properties = (options: Parameters<typeof validateSync>[1]) =>
      validateSync(new Tagged(), options)
        .map((e) => e.property)
        .sort();
    for (let round = 0; round < 2; round++) {
      expect(properties({})).toEqual(['count', 'label']);
      expect(properties({ strictGroups: true })).toEqual(['count']);
      expect(properties({ groups: [] })).toEqual(['count', 'label']);
    }
  });

  it('is installed once however often it is called', () => {
    memoizeValidationMetadata();
    class Twice {
      @IsString() a: unknown = 1;
    }
    expect(failures(new Twice())).toEqual(['a: isString']);
  });
});
