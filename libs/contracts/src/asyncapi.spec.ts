import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApi } from './asyncapi';
import { EVENT_TYPES } from './event-registry';
import { ALL_TOPICS, deadLetterTopic } from './topics';

describe('AsyncAPI catalogue', () => {
  const doc = buildAsyncApi() as {
    channels: Record<string, { address: string }>;
    components: { messages: Record<string, unknown>; schemas: Record<string, { properties?: Record<string, unknown> }> };
  };

  it('lists every topic and every event type of the registry', () => {
    expect(
      Object.values(doc.channels)
        .map((c) => c.address)
        .sort(),
    ).toEqual([...ALL_TOPICS, ...ALL_TOPICS.map(deadLetterTopic)].sort());
    expect(Object.keys(doc.components.messages).sort()).toEqual([...EVENT_TYPES, 'dead-letter'].sort());
  });

  it('derives payload schemas from the validation classes', () => {
    expect(Object.keys(doc.components.schemas.CrmAccountStatusSet?.properties ?? {})).toEqual(['accountId', 'attributeKey', 'stage']);
  });

  it('names the field each event is keyed by, and states the record policy', () => {
    const messages = doc.components.messages as Record<string, { 'x-kafka-key': string }>;
    expect(messages['crm.account.status.set']!['x-kafka-key']).toBe('data.accountId');
    expect(messages['attribute.updated']!['x-kafka-key']).toBe('data.key');
    expect((doc as unknown as { info: { description: string } }).info.description).toMatch(/none, gzip, snappy, lz4 or zstd/);
  });

  it('is what docs/asyncapi.json holds (regenerate with `npm run docs:asyncapi`)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'asyncapi.json'), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
