import { nameBasedId } from '@lifecycle/messaging';

/**
 * The `day.rolled` event id of a day: a name-based UUID, so every run for the same day announces
 * it under the same id and consumers apply it once.
 */
export function dayRolledEventId(day: string): string {
  return nameBasedId(`status-tracking:day.rolled:${day}`);
}
