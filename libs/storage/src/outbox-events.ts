import { Binary } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';

/**
 * An outbox event in its packed form: its id (what removals and writers match it by) beside the
 * UTF-8 JSON of the whole envelope, as written (a `traceparent` it carries included). One opaque
 * field costs the Mongo-wire server and the driver a fraction of what an envelope of some thirty
 * fields costs them to write, size and read back; its contents are only ever needed to publish it.
 */
export interface PackedOutboxEvent {
  id: string;
  packed: Binary;
}

/** An event as an outbox holds it: the envelope as a subdocument, or packed. Readers accept both. */
export type StoredOutboxEvent = AnyEnvelope | PackedOutboxEvent;

export function packOutboxEvent(envelope: AnyEnvelope): PackedOutboxEvent {
  return { id: envelope.id, packed: new Binary(Buffer.from(JSON.stringify(envelope), 'utf8')) };
}

export function isPackedOutboxEvent(stored: StoredOutboxEvent): stored is PackedOutboxEvent {
  return (stored as Partial<PackedOutboxEvent>).packed instanceof Binary;
}

/** The envelope of a stored event, in whichever form it was written. */
export function outboxEnvelope(stored: StoredOutboxEvent): AnyEnvelope {
  if (!isPackedOutboxEvent(stored)) return stored;
  const { buffer } = stored.packed;
  return JSON.parse(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).toString('utf8')) as AnyEnvelope;
}
