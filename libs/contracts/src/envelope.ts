import { IsDefined, IsInt, IsISO8601, IsObject, IsString, IsUUID, Length, Min } from 'class-validator';

/** SPEC 5.1: the envelope of every message on every topic. */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  version: number;
  occurredAt: string;
  source: string;
  data: TData;
}

/** Validation class of the envelope; `data` is validated against the event type's own class. */
export class EventEnvelopeDto {
  @IsUUID('all', { message: 'id must be a UUID (the idempotency key)' })
  id!: string;

  @IsString()
  @Length(1, 100)
  type!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @IsISO8601({ strict: true }, { message: 'occurredAt must be an ISO-8601 timestamp' })
  occurredAt!: string;

  @IsString()
  @Length(1, 100)
  source!: string;

  @IsDefined()
  @IsObject()
  data!: Record<string, unknown>;
}

export const ENVELOPE_FIELDS = ['id', 'type', 'version', 'occurredAt', 'source', 'data'] as const;

/** Bytes of envelopes whose writer keeps them (`envelopeBytes(…, true)`), by envelope object. */
const rememberedBytes = new WeakMap<object, Buffer>();

/**
 * The UTF-8 JSON of an envelope's own fields (`ENVELOPE_FIELDS`, in that order), as a record's
 * value carries it; anything else the object holds (the `traceparent` an outbox keeps beside an
 * event) is left out. With `remember`, the bytes are kept with the envelope object, so an outbox
 * that stores the event packed and the publisher that sends it serialize it once. An envelope is
 * never changed once built (every writer builds a new one), which is what makes that sound.
 */
export function envelopeBytes(envelope: EventEnvelope, remember = false): Buffer {
  const known = rememberedBytes.get(envelope);
  if (known !== undefined) return known;
  const { id, type, version, occurredAt, source, data } = envelope;
  const bytes = Buffer.from(JSON.stringify({ id, type, version, occurredAt, source, data }), 'utf8');
  if (remember) rememberedBytes.set(envelope, bytes);
  return bytes;
}
