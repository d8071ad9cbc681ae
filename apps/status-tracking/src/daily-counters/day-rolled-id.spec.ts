import { isUUID } from 'class-validator';
import { dayRolledEventId } from './day-rolled-id';

describe('day.rolled event id (L14)', () => {
  it('is a UUID, the same for the same day and different for another day', () => {
    expect(isUUID(dayRolledEventId('2025-03-08'))).toBe(true);
    expect(dayRolledEventId('2025-03-08')).toBe(dayRolledEventId('2025-03-08'));
    expect(dayRolledEventId('2025-03-09')).not.toBe(dayRolledEventId('2025-03-08'));
  });
});
