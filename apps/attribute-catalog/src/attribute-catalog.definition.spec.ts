import { HttpErrorFilter } from '@lifecycle/http';
import { AttributeError, AttributeErrorCode, ATTRIBUTE_ERROR_KIND } from './domain/attribute-errors';
import { CalendarError, CalendarErrorCode, CALENDAR_ERROR_KIND } from './domain/calendar-errors';
import { attributeCatalogDefinition } from './attribute-catalog.definition';

describe('attribute catalog definition', () => {
  it('publishes lifecycle.attributes and lifecycle.calendars and consumes nothing', () => {
    expect(attributeCatalogDefinition.publishes).toEqual(['lifecycle.attributes', 'lifecycle.calendars']);
    expect(attributeCatalogDefinition.consumer).toBeUndefined();
  });

  it.each([
    [AttributeErrorCode.InvalidIfMatch, 400],
    [AttributeErrorCode.InvalidField, 422],
    [AttributeErrorCode.DuplicateStageName, 422],
    [AttributeErrorCode.AttributeNotFound, 404],
    [AttributeErrorCode.StageOrderLocked, 409],
    [AttributeErrorCode.ConcurrentModification, 409],
  ])('answers %s with %d and the code in the details', (code, status) => {
    const body = new HttpErrorFilter().toBody(new AttributeError(code, 'why', { key: 'k' }));
    expect(body).toEqual({ statusCode: status, error: expect.any(String), message: 'why', details: { code, key: 'k' } });
  });

  it('gives every code a kind', () => {
    expect(Object.keys(ATTRIBUTE_ERROR_KIND).sort()).toEqual(Object.values(AttributeErrorCode).sort());
    expect(Object.keys(CALENDAR_ERROR_KIND).sort()).toEqual(Object.values(CalendarErrorCode).sort());
  });

  it.each([
    [CalendarErrorCode.InvalidCalendar, 422],
    [CalendarErrorCode.CalendarNotFound, 404],
    [CalendarErrorCode.CalendarAlreadyExists, 409],
    [CalendarErrorCode.DefaultCalendarLocked, 409],
    [CalendarErrorCode.ConcurrentModification, 409],
    [AttributeErrorCode.SlaOnEndStage, 409],
  ])('B1/B3: answers %s with %d and the code in the details', (code, status) => {
    const error =
      code in CALENDAR_ERROR_KIND
        ? new CalendarError(code as CalendarErrorCode, 'why', { key: 'k' })
        : new AttributeError(code as AttributeErrorCode, 'why', { key: 'k' });
    expect(new HttpErrorFilter().toBody(error)).toEqual({
      statusCode: status,
      error: expect.any(String),
      message: 'why',
      details: { code, key: 'k' },
    });
  });
});
