import { ApiError, errorBodyOf, fieldErrorsOf, normalizePath, retryAfterOf } from './api-error';

describe('the console reads every error shape the services send', () => {
  it('request validation: a list of { field, errors }, field paths with dots for indexes', () => {
    expect(fieldErrorsOf([{ field: 'stages.1.name', errors: ['name must be shorter than or equal to 100 characters'] }])).toEqual({
      'stages[1].name': ['name must be shorter than or equal to 100 characters'],
    });
  });

  it('the same list under details.fields, with a code beside it', () => {
    expect(fieldErrorsOf({ code: 'INVALID_REQUEST', fields: [{ field: 'key', errors: ['a', 'b'] }] })).toEqual({ key: ['a', 'b'] });
  });

  it('segment criteria issues: { path, message }, as a list or details.issues', () => {
    const issues = [{ path: 'criteria.all[0].isOneOf[1]', message: 'unknown stage "Kickof"' }];
    expect(fieldErrorsOf(issues)).toEqual({ 'criteria.all[0].isOneOf[1]': ['unknown stage "Kickof"'] });
    expect(fieldErrorsOf({ code: 'INVALID_CRITERIA', issues })).toEqual({ 'criteria.all[0].isOneOf[1]': ['unknown stage "Kickof"'] });
  });

  it("a rule about one field: details.field takes the body's message", () => {
    const error = new ApiError(400, {
      statusCode: 400,
      error: 'Bad Request',
      message: 'stages[1].name: attribute "x" already has a stage named "Kickoff"',
      details: { code: 'DUPLICATE_STAGE_NAME', field: 'stages[1].name' },
    });
    expect(error.code).toBe('DUPLICATE_STAGE_NAME');
    expect(error.about('stages[1]')).toEqual(['stages[1].name: attribute "x" already has a stage named "Kickoff"']);
    expect(error.about('stages[0]')).toEqual([]);
  });

  it("an answer without the platform's body still reads", () => {
    expect(errorBodyOf(502, 'Bad Gateway', '<html>')).toEqual({ statusCode: 502, error: 'Bad Gateway', message: '502 Bad Gateway' });
    expect(errorBodyOf(403, 'Forbidden', { statusCode: 403, error: 'Forbidden', message: 'The viewer role may only read' }).message).toBe(
      'The viewer role may only read',
    );
  });

  it('index spellings meet', () => {
    expect(normalizePath('a.0.b.12')).toBe('a[0].b[12]');
    expect(normalizePath('criteria.all[0].isOneOf[1]')).toBe('criteria.all[0].isOneOf[1]');
  });

  it('Retry-After in seconds; a date or nothing reads as absent', () => {
    expect(retryAfterOf('5')).toBe(5);
    expect(retryAfterOf(' 12 ')).toBe(12);
    expect(retryAfterOf('Wed, 21 Oct 2026 07:28:00 GMT')).toBeNull();
    expect(retryAfterOf(null)).toBeNull();
  });
});
