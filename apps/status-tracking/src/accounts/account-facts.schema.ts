/**
 * `accounts`: the facts of an account as the CRM last stated them (`crm.accounts`), one document
 * per account id. `factsAt` is the event time of the last applied CRM event: an older event never
 * overwrites a newer one (redelivery, replay from the beginning).
 */
export const ACCOUNT_FACTS_COLLECTION = 'accounts';

export interface AccountFactsDocument {
  _id: string;
  /** Null while only a cancellation is known. */
  name: string | null;
  clientType: string | null;
  ownerId: string | null;
  canceled: boolean;
  subscription: { active: boolean; renewalDate: string | null } | null;
  /** B1: the business calendar named by the CRM; null = the default calendar. */
  calendarKey?: string | null;
  /** When the account was created in the CRM (or first seen here). */
  createdAt: string;
  factsAt: Date;
  updatedAt: Date;
}
