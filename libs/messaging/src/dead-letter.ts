import type { IHeaders, KafkaMessage } from 'kafkajs';
import { RECORD_POLICY, type DeadLetterHeader, type DeadLetterRecord, type Topic } from '@lifecycle/contracts';

export type { DeadLetterRecord };

/**
 * Builds the `<topic>.dlq` record (contract: `DeadLetterRecord`, libs/contracts/src/record-policy.ts)
 * of a record a consumer could not use: why, where it was (topic, partition, offset — or the offset
 * range of a batch that could not be decoded), and the record as far as it could be read. Raw
 * bytes are cut so the dead letter always fits under the broker's message size limit.
 */
export const DLQ_RAW_BYTES = RECORD_POLICY.deadLetterRawBytes;
export const DLQ_TEXT_CHARS = RECORD_POLICY.deadLetterTextChars;

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
