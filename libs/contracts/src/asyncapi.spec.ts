import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApi } from './asyncapi';
import { EVENT_TYPES } from './event-registry';
import { ALL_TOPICS } from './topics';

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
    ).toEqual([...ALL_TOPICS].sort());
    expect(Object.keys(doc.components.messages).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('derives payload schemas from the validation classes', () => {
    expect(Object.keys(doc.components.schemas.CrmAccountStatusSet?.properties ?? {})).toEqual(['accountId', 'attributeKey', 'stage']);
  });

  it('is what docs/asyncapi.json holds (regenerate with `npm run docs:asyncapi`)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'asyncapi.json'), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
