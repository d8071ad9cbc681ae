import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { Topic } from '@lifecycle/contracts';

/**
 * What `<topic>.dlq` holds for every record a consumer could not use: why, where it was (topic,
 * partition, offset — or the offset range of a batch that could not be decoded), and the record
 * itself as far as it could be read. Raw bytes are base64; `value` and header `text` are given as
 * well when the bytes are UTF-8. Raw bytes are cut to `DLQ_RAW_BYTES` so the dead letter always
 * fits under the broker's message size limit (the original length is kept in `valueBytes`).
 */
export interface DeadLetterRecord {
  reason: string;
  errors: string[];
  originalTopic: Topic;
  partition: number;
  /** The record's offset; for a skipped batch, its first offset. */
  offset: string;
  /** The last offset the dead letter covers (equal to `offset` for a single record). */
  lastOffset: string;
  key: string | null;
  keyBase64: string | null;
  headers: DeadLetterHeader[];
  /** The value as text when it is UTF-8, cut to `DLQ_TEXT_CHARS`; null otherwise. */
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

export const DLQ_RAW_BYTES = 256 * 1024;
export const DLQ_TEXT_CHARS = 100_000;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of `bytes` if they are valid UTF-8, else null. */
export function utf8Text(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function headerList(headers: IHeaders | undefined): DeadLetterHeader[] {
  const list: DeadLetterHeader[] = [];
  for (const [name, raw] of Object.entries(headers ?? {})) {
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (value === undefined) continue;
      const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value);
      list.push({ name, text: utf8Text(bytes), base64: bytes.toString('base64') });
    }
  }
  return list;
}

export interface DeadLetterInput {
  reason: string;
  errors?: string[];
  topic: Topic;
  partition: number;
  message: Pick<KafkaMessage, 'offset' | 'key' | 'value' | 'headers'>;
  /** For a batch that could not be decoded: the offsets it spans. */
  range?: { first: string; last: string };
  envelope?: { id: string; type: string };
  consumerGroup: string;
  now?: Date;
}

export function deadLetterRecord(input: DeadLetterInput): DeadLetterRecord {
  const { message } = input;
  const value = message.value ?? null;
  const key = message.key ?? null;
  const text = value === null ? null : utf8Text(value);
  return {
    reason: input.reason,
    errors: input.errors ?? [],
    originalTopic: input.topic,
    partition: input.partition,
    offset: input.range?.first ?? message.offset,
    lastOffset: input.range?.last ?? message.offset,
    key: key === null ? null : utf8Text(key),
    keyBase64: key === null ? null : key.toString('base64'),
    headers: headerList(message.headers),
    value: text === null ? null : text.length > DLQ_TEXT_CHARS ? `${text.slice(0, DLQ_TEXT_CHARS)}…(truncated)` : text,
    valueBase64: value === null ? null : value.subarray(0, DLQ_RAW_BYTES).toString('base64'),
    valueBytes: value === null ? null : value.length,
    valueTruncated: value !== null && value.length > DLQ_RAW_BYTES,
    eventId: input.envelope?.id ?? null,
    eventType: input.envelope?.type ?? null,
    consumerGroup: input.consumerGroup,
    failedAt: (input.now ?? new Date()).toISOString(),
  };
}
