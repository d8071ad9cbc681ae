import { Injectable } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import type { EventType } from '@lifecycle/contracts';

/** A record's headers as text: a header that is absent, repeated or not a string is left out. */
export type HeaderText = Readonly<Record<string, string>>;

/**
 * For records of one event type, which ones the service's handler has nothing to do with, told
 * from their headers alone (`EventSpec.headers` names the data fields records carry there):
 * true passes a record over. May read the service's own state (a replica).
 */
export type HeaderFilter = (headers: readonly HeaderText[]) => Promise<readonly boolean[]>;

/**
 * The header filters of a service's handlers. A handler whose work on many of its events comes to
 * nothing (the SLA triggers do nothing for an attribute without stage SLAs) registers one for its
 * event type, and the consumer passes those records over without parsing or validating their
 * value (for status tracking's own `status.changed` read back, ~16 µs of the ~125 µs a status
 * change costs it, docs/benchmarks.md). The value stays the whole truth: a record without the
 * headers, or one a filter cannot judge (it fails, the type has no filter), is read as any other,
 * and a filter must answer true only where the handler, given the event, would store nothing. A
 * record passed over is not checked either, so an invalid one is not dead-lettered by this
 * service (see `RECORD_POLICY_TEXT`).
 */
@Injectable()
export class HeaderFilters {
  private readonly byType = new Map<string, HeaderFilter>();

  /** Registers the filter of `type`'s handler (one handler per type and service, so one filter). */
  add(type: EventType, filter: HeaderFilter): void {
    if (this.byType.has(type)) throw new Error(`a header filter for "${type}" is registered already`);
    this.byType.set(type, filter);
  }

  get empty(): boolean {
    return this.byType.size === 0;
  }

  /** For each message, whether it is passed over; null when none is (no filter applies, or one failed). */
  async passedOver(messages: readonly KafkaMessage[]): Promise<boolean[] | null> {
    const byType = new Map<string, { indexes: number[]; headers: HeaderText[] }>();
    messages.forEach((message, i) => {
      const type = headerText(message.headers?.['event-type']);
      if (type === undefined || !this.byType.has(type)) return;
      let group = byType.get(type);
      if (group === undefined) byType.set(type, (group = { indexes: [], headers: [] }));
      group.indexes.push(i);
      group.headers.push(textOf(message.headers));
    });
    if (byType.size === 0) return null;
    const over = new Array<boolean>(messages.length).fill(false);
    try {
      for (const [type, { indexes, headers }] of byType) {
        const answers = await this.byType.get(type)!(headers);
        indexes.forEach((index, k) => {
          over[index] = answers[k] === true;
        });
      }
    } catch {
      // Judging is only a saving: the records are read, and their handler meets the same failure.
      return null;
    }
    return over;
  }
}

function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

function textOf(headers: KafkaMessage['headers']): HeaderText {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const t = headerText(value);
    if (t !== undefined) text[name] = t;
  }
  return text;
}
