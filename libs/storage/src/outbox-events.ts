import { Binary } from 'mongodb';
import { envelopeBytes, type AnyEnvelope } from '@lifecycle/contracts';
import { TRACEPARENT } from '@lifecycle/observability';

/**
 * An outbox event in its packed form: its id (what removals and writers match it by) beside the
 * UTF-8 JSON of the envelope (`envelopeBytes`, the record's value as published), and the
 * `traceparent` of the work that wrote it while tracing. One opaque field costs the Mongo-wire
 * server and the driver a fraction of what an envelope of some thirty fields costs them to write,
 * size and read back; its contents are only ever needed to publish it.
 */
export interface PackedOutboxEvent {
  id: string;
  packed: Binary;
  traceparent?: string;
}

/** An event as an outbox holds it: the envelope as a subdocument, or packed. Readers accept both. */
export type StoredOutboxEvent = AnyEnvelope | PackedOutboxEvent;

/** The packed form; the bytes stay with the envelope, so its publish does not serialize it again. */
export function packOutboxEvent(envelope: AnyEnvelope): PackedOutboxEvent {
  const packed = { id: envelope.id, packed: new Binary(envelopeBytes(envelope, true)) };
  const traceparent = (envelope as { [TRACEPARENT]?: string })[TRACEPARENT];
  return traceparent === undefined ? packed : { ...packed, traceparent };
}

export function isPackedOutboxEvent(stored: StoredOutboxEvent): stored is PackedOutboxEvent {
  return (stored as Partial<PackedOutboxEvent>).packed instanceof Binary;
}

/** The envelope of a stored event, in whichever form it was written. */
export function outboxEnvelope(stored: StoredOutboxEvent): AnyEnvelope {
  if (!isPackedOutboxEvent(stored)) return stored;
  const { buffer } = stored.packed;
  const envelope = JSON.parse(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).toString('utf8')) as AnyEnvelope;
  return stored.traceparent === undefined ? envelope : Object.assign(envelope, { [TRACEPARENT]: stored.traceparent });
}
