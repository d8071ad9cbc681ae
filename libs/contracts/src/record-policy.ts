import type { Topic } from './topics';

/**
 * What every consumer of this platform accepts as a Kafka record, and what happens to the rest.
 * Stated once here; the AsyncAPI document and the consumers (libs/messaging) both follow it.
 */
export const RECORD_POLICY = {
  /** Every compression Kafka defines is read; producers of the platform write `KAFKA_COMPRESSION`. */
  compressions: ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const,
  /** The largest value a consumer applies, in bytes. */
  maxValueBytes: 1_000_000,
  /** Raw bytes kept in a dead letter (base64), so that it always fits under the broker's limit. */
  deadLetterRawBytes: 256 * 1024,
  /** Characters of a UTF-8 value kept as text in a dead letter. */
  deadLetterTextChars: 100_000,
} as const;

export const RECORD_POLICY_TEXT =
  'Records: a UTF-8 JSON event envelope of at most 1 000 000 bytes, compressed with none, gzip, snappy, lz4 or zstd ' +
  '(any batch, idempotent or transactional producers; records of aborted transactions are never read); ' +
  'the Kafka key is the aggregate id named by the message (x-kafka-key); headers are optional (event-type, event-id and those a message names, ' +
  'such as attribute-key): a service that can tell from them it has nothing to do with a record passes it over without reading its value. ' +
  'Anything else — a batch that cannot be decoded, a tombstone (null value), an empty, oversized, non-UTF-8 or non-JSON value, ' +
  'a missing or wrong key, an unknown event type or version, invalid data of a type the consuming service handles, a rule rejection — goes to `<topic>.dlq` as a ' +
  'dead-letter record (reason, topic, partition, offset range, key, headers and the raw bytes in base64), and the partition goes on.';

/** One record of `<topic>.dlq`. */
export interface DeadLetterRecord {
  reason: string;
  errors: string[];
  originalTopic: Topic;
  partition: number;
  /** The record's offset; for a batch that could not be decoded, its first offset. */
  offset: string;
  /** The last offset the dead letter covers (equal to `offset` for a single record). */
  lastOffset: string;
  key: string | null;
  keyBase64: string | null;
  headers: DeadLetterHeader[];
  /** The value as text when it is UTF-8, cut to `deadLetterTextChars`; null otherwise. */
  value: string | null;
  valueBase64: string | null;
  valueBytes: number | null;
  valueTruncated: boolean;
  eventId: string | null;
  eventType: string | null;
  consumerGroup: string;
  failedAt: string;
}

export interface DeadLetterHeader {
  name: string;
  text: string | null;
  base64: string;
}

const nullable = (schema: Record<string, unknown>) => ({ oneOf: [schema, { type: 'null' }] });

/** JSON schema of `DeadLetterRecord`, for the AsyncAPI document. */
export const DEAD_LETTER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [
    'reason',
    'errors',
    'originalTopic',
    'partition',
    'offset',
    'lastOffset',
    'key',
    'keyBase64',
    'headers',
    'value',
    'valueBase64',
    'valueBytes',
    'valueTruncated',
    'eventId',
    'eventType',
    'consumerGroup',
    'failedAt',
  ],
  properties: {
    reason: { type: 'string', description: 'Why the record could not be used.' },
    errors: { type: 'array', items: { type: 'string' }, description: 'Every validation error, when the envelope or its data was invalid.' },
    originalTopic: { type: 'string' },
    partition: { type: 'integer', minimum: 0 },
    offset: { type: 'string', pattern: '^[0-9]+$', description: 'The offset of the record, or the first offset of a skipped batch.' },
    lastOffset: { type: 'string', pattern: '^[0-9]+$', description: 'The last offset covered (a skipped batch spans offset..lastOffset).' },
    key: nullable({ type: 'string', description: 'The key as text, when it is UTF-8.' }),
    keyBase64: nullable({ type: 'string', contentEncoding: 'base64' }),
    headers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'text', 'base64'],
        properties: { name: { type: 'string' }, text: nullable({ type: 'string' }), base64: { type: 'string', contentEncoding: 'base64' } },
      },
    },
    value: nullable({ type: 'string', description: 'The value as text when it is UTF-8 (cut to 100 000 characters).' }),
    valueBase64: nullable({ type: 'string', contentEncoding: 'base64', description: 'The raw value (cut to 262 144 bytes).' }),
    valueBytes: nullable({ type: 'integer', minimum: 0, description: 'The size of the raw value.' }),
    valueTruncated: { type: 'boolean' },
    eventId: nullable({ type: 'string' }),
    eventType: nullable({ type: 'string' }),
    consumerGroup: { type: 'string' },
    failedAt: { type: 'string', format: 'date-time' },
  },
} as const;
