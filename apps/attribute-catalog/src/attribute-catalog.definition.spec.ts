import { HttpErrorFilter } from '@lifecycle/http';
import { AttributeError, AttributeErrorCode, ATTRIBUTE_ERROR_KIND } from './domain/attribute-errors';
import { attributeCatalogDefinition } from './attribute-catalog.definition';

describe('attribute catalog definition', () => {
  it('publishes lifecycle.attributes and consumes nothing', () => {
    expect(attributeCatalogDefinition.publishes).toEqual(['lifecycle.attributes']);
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
  });
});
