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
