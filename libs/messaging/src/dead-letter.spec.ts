import { DLQ_RAW_BYTES, DLQ_TEXT_CHARS, deadLetterRecord, utf8Text } from './dead-letter';

const base = {
  topic: 'crm.account-statuses' as const,
  partition: 2,
  consumerGroup: 'status-tracking',
  now: new Date('2026-01-02T03:04:05Z'),
};

describe('dead-letter records', () => {
  it('keep where the record was, its key, headers and value as text and base64', () => {
    const record = deadLetterRecord({
      ...base,
      reason: 'value is not valid JSON',
      message: {
        offset: '41',
        key: Buffer.from('acme'),
        value: Buffer.from('{ nope'),
        headers: { 'event-type': Buffer.from('x'), trace: [Buffer.from('a'), Buffer.from([0xff])] },
      },
    });
    expect(record).toEqual({
      reason: 'value is not valid JSON',
      errors: [],
      originalTopic: 'crm.account-statuses',
      partition: 2,
      offset: '41',
      lastOffset: '41',
      key: 'acme',
      keyBase64: Buffer.from('acme').toString('base64'),
      headers: [
        { name: 'event-type', text: 'x', base64: 'eA==' },
        { name: 'trace', text: 'a', base64: 'YQ==' },
        { name: 'trace', text: null, base64: '/w==' },
      ],
      value: '{ nope',
      valueBase64: Buffer.from('{ nope').toString('base64'),
      valueBytes: 6,
      valueTruncated: false,
      eventId: null,
      eventType: null,
      consumerGroup: 'status-tracking',
      failedAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it('give bytes that are not UTF-8 as base64 only', () => {
    const bytes = Buffer.from([0xc3, 0x28, 0xa0, 0xa1]);
    const record = deadLetterRecord({
      ...base,
      reason: 'r',
      message: { offset: '1', key: Buffer.from([0xfe]), value: bytes, headers: {} },
    });
    expect(record.value).toBeNull();
    expect(record.key).toBeNull();
    expect(Buffer.from(record.valueBase64!, 'base64').equals(bytes)).toBe(true);
    expect(record.keyBase64).toBe('/g==');
  });

  it('describe a tombstone and a missing key as nulls', () => {
    const record = deadLetterRecord({ ...base, reason: 'tombstone', message: { offset: '7', key: null, value: null, headers: {} } });
    expect(record).toMatchObject({ key: null, keyBase64: null, value: null, valueBase64: null, valueBytes: null, valueTruncated: false });
  });

  it('cut large values so the dead letter stays under the broker limit, keeping the original size', () => {
    const value = Buffer.alloc(DLQ_RAW_BYTES * 3, 'a');
    const record = deadLetterRecord({ ...base, reason: 'too large', message: { offset: '9', key: Buffer.from('k'), value, headers: {} } });
    expect(record.valueBytes).toBe(DLQ_RAW_BYTES * 3);
    expect(record.valueTruncated).toBe(true);
    expect(Buffer.from(record.valueBase64!, 'base64').length).toBe(DLQ_RAW_BYTES);
    expect(record.value!.length).toBe(DLQ_TEXT_CHARS + '…(truncated)'.length);
    expect(JSON.stringify(record).length).toBeLessThan(600_000);
  });

  it('cover the offset range of a batch that could not be decoded', () => {
    const record = deadLetterRecord({
      ...base,
      reason: 'undecodable record batch',
      range: { first: '100', last: '149' },
      message: { offset: '149', key: null, value: Buffer.from([1, 2, 3]), headers: {} },
    });
    expect(record).toMatchObject({ offset: '100', lastOffset: '149', valueBase64: 'AQID' });
  });

  it('utf8Text refuses overlong and truncated sequences', () => {
    expect(utf8Text(Buffer.from('héllo'))).toBe('héllo');
    expect(utf8Text(Buffer.from([0xc0, 0xaf]))).toBeNull();
    expect(utf8Text(Buffer.from([0xe2, 0x82]))).toBeNull();
  });
});
