import { LIFECYCLE_DAYS_COLLECTION, stagingAsOf, stagingCollectionName } from './lifecycle-days.schema';

describe('staging collections of the daily runs (L14)', () => {
  it('name a run by its asOf and give it back', () => {
    const asOf = new Date('2025-03-08T00:05:00.123Z');
    expect(stagingCollectionName(asOf)).toBe(`lifecycle_days_staging_${asOf.getTime()}`);
    expect(stagingAsOf(stagingCollectionName(asOf))).toEqual(asOf);
  });

  it('are told apart from every other collection', () => {
    expect(stagingAsOf(LIFECYCLE_DAYS_COLLECTION)).toBeNull();
    expect(stagingAsOf('lifecycle_states')).toBeNull();
    expect(stagingAsOf('lifecycle_days_staging_')).toBeNull();
    expect(stagingAsOf('lifecycle_days_staging_12x')).toBeNull();
  });
});
