import { Binary } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { isPackedOutboxEvent, outboxEnvelope, packOutboxEvent } from './outbox-events';

const envelope = (): AnyEnvelope =>
  ({
    id: '6f1c2d3e-0000-4000-8000-000000000002',
    type: 'segment.entered',
    version: 1,
    occurredAt: '2026-12-04T10:00:00.000Z',
    source: 'test',
    data: { segmentId: 's1', accountId: 'acme' },
  }) as AnyEnvelope;

describe('outbox events, packed and not', () => {
  it("packs an envelope as its id beside its bytes and reads it back whole, the writer's traceparent kept apart", () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const traced = Object.assign(envelope(), { traceparent });
    const packed = packOutboxEvent(traced);
    expect(Object.keys(packed)).toEqual(['id', 'packed', 'traceparent']);
    expect(packed.id).toBe(traced.id);
    expect(packed.packed).toBeInstanceOf(Binary);
    expect(isPackedOutboxEvent(packed)).toBe(true);
    expect(outboxEnvelope(packed)).toEqual(traced);
    const plain = packOutboxEvent(envelope());
    expect(Object.keys(plain)).toEqual(['id', 'packed']);
    expect(outboxEnvelope(plain)).toEqual(envelope());
  });

  it('reads an envelope stored as a subdocument as it is, and packs the same envelope to equal values', () => {
    const stored = envelope();
    expect(isPackedOutboxEvent(stored)).toBe(false);
    expect(outboxEnvelope(stored)).toBe(stored);
    // A removal by value packs the envelope again: it must equal what the writer stored.
    expect(packOutboxEvent(stored)).toEqual(packOutboxEvent(stored));
  });
});
