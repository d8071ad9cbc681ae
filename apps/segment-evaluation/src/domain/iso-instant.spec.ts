import { endOf, parseIsoInstant, readIsoInstant } from './iso-instant';

describe('ISO instants of query parameters and criteria windows', () => {
  it('reads a date as the start of its UTC day, and its exclusive end as the next day', () => {
    const read = readIsoInstant('2024-02-29');
    expect(read).toEqual({ at: new Date('2024-02-29T00:00:00.000Z'), dateOnly: true });
    expect(endOf(read as Exclude<typeof read, string>)).toEqual(new Date('2024-03-01T00:00:00.000Z'));
  });

  it('reads a date-time with its zone as that instant, which is its own end', () => {
    const read = readIsoInstant('2024-01-31T12:00:00+02:00');
    expect(read).toEqual({ at: new Date('2024-01-31T10:00:00.000Z'), dateOnly: false });
    expect(endOf(read as Exclude<typeof read, string>)).toEqual(new Date('2024-01-31T10:00:00.000Z'));
  });

  it.each(['2025-02-30', '2023-02-29', '2024-13-01', '2024-01-31T24:00:00Z', '2024-01-31T12:00:00', 'yesterday', '2024-1-5', ''])(
    'refuses %j as malformed (not ISO-8601 with zone, or not on the calendar)',
    (value) => {
      expect(readIsoInstant(value)).toBe('malformed');
      expect(parseIsoInstant(value)).toBeNull();
    },
  );

  it.each(['1899-12-31', '1899-12-31T23:59:59Z', '9000-01-01'])('refuses %j as out of range (1900 to 9000)', (value) => {
    expect(readIsoInstant(value)).toBe('out-of-range');
    expect(parseIsoInstant(value)).toBeNull();
  });

  it('accepts the first and the last day of the range', () => {
    expect(parseIsoInstant('1900-01-01')?.at).toEqual(new Date('1900-01-01T00:00:00.000Z'));
    expect(parseIsoInstant('8999-12-31')?.at).toEqual(new Date('8999-12-31T00:00:00.000Z'));
  });
});
