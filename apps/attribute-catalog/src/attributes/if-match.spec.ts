import { AttributeError } from '../domain/attribute-errors';
import { etagOf, parseIfMatch } from './if-match';

describe('If-Match / ETag', () => {
  it('writes the version as a strong ETag', () => {
    expect(etagOf(3)).toBe('"3"');
  });

  it.each([
    ['"3"', 3],
    ['3', 3],
    ['W/"12"', 12],
    [' "7" ', 7],
    ['*', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, version) => {
    expect(parseIfMatch(header)).toBe(version);
  });

  it.each(['abc', '"3", "4"', '-1', '"3', '3"'])('refuses %j with a field error', (header) => {
    expect(() => parseIfMatch(header)).toThrow(AttributeError);
  });
});
