import { envelopeBytes, type EventEnvelope } from './envelope';

const envelope = (): EventEnvelope => ({
  id: '6f1c2d3e-0000-4000-8000-000000000001',
  type: 'segment.entered',
  version: 1,
  occurredAt: '2026-12-04T10:00:00.000Z',
  source: 'test',
  data: { segmentId: 's1', accountId: 'acme', note: 'é ✓' },
});

describe('envelopeBytes', () => {
  it("is the UTF-8 JSON of the envelope's own fields, a traceparent kept beside them left out", () => {
    const traced = Object.assign(envelope(), { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    const bytes = envelopeBytes(traced);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(envelope());
    expect(bytes.toString('utf8')).not.toContain('traceparent');
  });

  it('serializes an envelope once when its writer asks to remember the bytes, and anew otherwise', () => {
    const kept = envelope();
    const first = envelopeBytes(kept, true);
    expect(envelopeBytes(kept)).toBe(first);
    const other = envelope();
    const once = envelopeBytes(other);
    expect(envelopeBytes(other)).not.toBe(once);
    expect(envelopeBytes(other)).toEqual(once);
  });
});
