import { HttpErrorFilter } from '@lifecycle/http';
import { AttributeError, AttributeErrorCode, ATTRIBUTE_ERROR_KIND } from './domain/attribute-errors';
import { attributeCatalogDefinition, mapAttributeError } from './attribute-catalog.definition';

describe('attribute catalog definition', () => {
  it('publishes lifecycle.attributes and consumes nothing', () => {
    expect(attributeCatalogDefinition.publishes).toEqual(['lifecycle.attributes']);
    expect(attributeCatalogDefinition.consumer).toBeUndefined();
  });

  it.each([
    [AttributeErrorCode.InvalidField, 400],
    [AttributeErrorCode.DuplicateStageName, 400],
    [AttributeErrorCode.AttributeNotFound, 404],
    [AttributeErrorCode.StageOrderLocked, 409],
    [AttributeErrorCode.ConcurrentModification, 409],
  ])('maps %s to %d with the code in the details', (code, status) => {
    const body = new HttpErrorFilter([mapAttributeError]).toBody(new AttributeError(code, 'why', { key: 'k' }));
    expect(body).toEqual({ statusCode: status, error: expect.any(String), message: 'why', details: { code, key: 'k' } });
  });

  it('gives every code an HTTP status and leaves other errors alone', () => {
    for (const code of Object.values(AttributeErrorCode)) {
      expect([400, 404, 409]).toContain(mapAttributeError(new AttributeError(code, 'x'))?.status);
    }
    expect(Object.keys(ATTRIBUTE_ERROR_KIND)).toHaveLength(Object.values(AttributeErrorCode).length);
    expect(mapAttributeError(new Error('boom'))).toBeNull();
  });
});
