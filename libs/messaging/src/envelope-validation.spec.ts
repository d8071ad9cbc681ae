import { randomUUID } from 'node:crypto';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { checkKey, MAX_MESSAGE_BYTES, parseEnvelope } from './envelope-validation';
import { notReadyReason } from './event-consumer';

const envelope = (data: Record<string, unknown> = { accountId: 'acme', attributeKey: 'onboarding', stage: 'Kickoff' }) => ({
  id: randomUUID(),
  type: 'crm.account.status.set',
  version: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  source: 'crm',
  data,
});

describe('what a consumer accepts as a record', () => {
  it('takes a UTF-8 JSON envelope keyed by its aggregate id', () => {
    const parsed = parseEnvelope('crm.account-statuses', Buffer.from(JSON.stringify(envelope())));
    expect(() => checkKey(parsed, Buffer.from('acme'))).not.toThrow();
  });

  it.each([
    ['a tombstone', null, /^tombstone \(null value\)/],
    ['an empty value', Buffer.alloc(0), /^empty message value$/],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), /^value is not valid UTF-8/],
    ['text that is not JSON', Buffer.from('{ nope'), /^value is not valid JSON/],
    [
      'a value over the limit',
      Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20),
      new RegExp(`of ${MAX_MESSAGE_BYTES + 1} bytes exceeds the limit of ${MAX_MESSAGE_BYTES} bytes`),
    ],
  ])('refuses %s with a reason', (_name, raw, reason) => {
    expect(() => parseEnvelope('crm.account-statuses', raw)).toThrow(reason);
  });

  it('keeps the envelope fields and drops any other top-level field, __proto__ included', () => {
    const sent = envelope();
    const raw = JSON.stringify({ ...sent, extra: 1 }).replace(/^\{/, '{"__proto__":{"polluted":true},');
    const parsed = parseEnvelope('crm.account-statuses', Buffer.from(raw));
    expect(parsed).toEqual(sent);
    expect(Object.keys(parsed).sort()).toEqual(['data', 'id', 'occurredAt', 'source', 'type', 'version']);
    expect((parsed as unknown as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('refuses an envelope field of the wrong kind, naming it', () => {
    expect(() => parseEnvelope('crm.account-statuses', Buffer.from(JSON.stringify({ ...envelope(), version: '1' })))).toThrow(
      expect.objectContaining({ errors: expect.arrayContaining([expect.stringMatching(/^version: /)]) }),
    );
  });

  it('leaves the data of a type the consumer does not handle unchecked, and still checks its envelope', () => {
    const invalidData = Buffer.from(JSON.stringify(envelope({ accountId: 'acme', attributeKey: 'onboarding', stage: 42 })));
    expect(() => parseEnvelope('crm.account-statuses', invalidData)).toThrow(/invalid data of "crm.account.status.set"/);
    expect(parseEnvelope('crm.account-statuses', invalidData, () => null).type).toBe('crm.account.status.set');
    const badEnvelope = Buffer.from(JSON.stringify({ ...envelope(), id: 'not-a-uuid' }));
    expect(() => parseEnvelope('crm.account-statuses', badEnvelope, () => null)).toThrow(/invalid event envelope/);
  });

  it("checks and passes only the fields a reader's class names, refusing those that are wrong", () => {
    class PairOnly {
      @IsString() accountId!: string;
      @IsString() attributeKey!: string;
    }
    const readsPair = () => PairOnly;
    const otherFieldWrong = Buffer.from(JSON.stringify(envelope({ accountId: 'acme', attributeKey: 'onboarding', stage: 42 })));
    const parsed = parseEnvelope('crm.account-statuses', otherFieldWrong, readsPair);
    expect(parsed.data).toBeInstanceOf(PairOnly);
    expect({ ...parsed.data }).toEqual({ accountId: 'acme', attributeKey: 'onboarding' });
    const readFieldWrong = Buffer.from(JSON.stringify(envelope({ accountId: 7, attributeKey: 'onboarding', stage: 'Adoption' })));
    expect(() => parseEnvelope('crm.account-statuses', readFieldWrong, readsPair)).toThrow(
      expect.objectContaining({ errors: [expect.stringMatching(/^data\.accountId: /)] }),
    );
  });

  it("keeps a reader class's inherited and nested fields, each stripped to what its class declares", () => {
    class Stage {
      @IsString() name!: string;
    }
    class Pair {
      @IsString() accountId!: string;
    }
    class PairWithStage extends Pair {
      @ValidateNested() @Type(() => Stage) stage!: Stage;
    }
    const data = { accountId: 'acme', attributeKey: 'onboarding', stage: { name: 'Kickoff', order: 1 } };
    const parsed = parseEnvelope('crm.account-statuses', Buffer.from(JSON.stringify(envelope(data))), () => PairWithStage);
    const read = parsed.data as unknown as PairWithStage;
    expect(read.stage).toBeInstanceOf(Stage);
    expect(JSON.parse(JSON.stringify(read))).toEqual({ accountId: 'acme', stage: { name: 'Kickoff' } });
    class Counted {
      @IsInt() count!: number;
    }
    expect(() =>
      parseEnvelope('crm.account-statuses', Buffer.from(JSON.stringify(envelope({ accountId: 'acme' }))), () => Counted),
    ).toThrow(expect.objectContaining({ errors: [expect.stringMatching(/^data\.count: /)] }));
  });

  it("applies a reader class's transforms, and checks a flat class's fields whatever JSON they hold", () => {
    class Trimmed {
      @IsString() @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)) accountId!: string;
    }
    const padded = Buffer.from(JSON.stringify(envelope({ accountId: '  acme ' })));
    const trimmed = parseEnvelope('crm.account-statuses', padded, () => Trimmed);
    expect(trimmed.data).toBeInstanceOf(Trimmed);
    expect({ ...trimmed.data }).toEqual({ accountId: 'acme' });
    class Flat {
      @IsString() accountId!: string;
      @IsOptional() @IsString() stage?: string;
    }
    for (const wrong of [{ name: 'acme' }, ['acme'], 7]) {
      const raw = Buffer.from(JSON.stringify(envelope({ accountId: 'acme', stage: wrong })));
      expect(() => parseEnvelope('crm.account-statuses', raw, () => Flat)).toThrow(
        expect.objectContaining({ errors: [expect.stringMatching(/^data\.stage: /)] }),
      );
    }
    const absent = parseEnvelope(
      'crm.account-statuses',
      Buffer.from(JSON.stringify(envelope({ accountId: 'acme', stage: null }))),
      () => Flat,
    );
    expect(absent.data).toBeInstanceOf(Flat);
    expect({ ...absent.data }).toEqual({ accountId: 'acme', stage: null });
  });

  it('passes a field whose rule was registered after the class was first read', () => {
    class Growing {
      @IsString() accountId!: string;
      stage?: string;
    }
    const raw = Buffer.from(JSON.stringify(envelope()));
    expect({ ...parseEnvelope('crm.account-statuses', raw, () => Growing).data }).toEqual({ accountId: 'acme' });
    IsOptional()(Growing.prototype, 'stage');
    expect({ ...parseEnvelope('crm.account-statuses', raw, () => Growing).data }).toEqual({ accountId: 'acme', stage: 'Kickoff' });
  });

  it('takes a value of exactly the limit (JSON padded with white space)', () => {
    const json = JSON.stringify(envelope());
    const raw = Buffer.from(json + ' '.repeat(MAX_MESSAGE_BYTES - json.length));
    expect(raw.length).toBe(MAX_MESSAGE_BYTES);
    expect(parseEnvelope('crm.account-statuses', raw).type).toBe('crm.account.status.set');
  });

  it('refuses a missing or wrong key, naming the aggregate id it must be', () => {
    const parsed = parseEnvelope('crm.account-statuses', Buffer.from(JSON.stringify(envelope())));
    expect(() => checkKey(parsed, null)).toThrow('record has no key; the key of "crm.account.status.set" must be its aggregate id "acme"');
    expect(() => checkKey(parsed, Buffer.from('globex'))).toThrow('record key "globex" is not the aggregate id "acme"');
    expect(() => checkKey(parsed, Buffer.from([0xff]))).toThrow('record key (not UTF-8) is not the aggregate id "acme"');
  });
});

describe('consumer readiness', () => {
  const lag = (n: number) => [{ topic: 'crm.accounts' as const, partition: 3, committed: '10', high: String(10 + n), lag: n }];
  const ready = { state: 'consuming' as const, lastError: null, assignedCount: 6, lag: lag(0), maxReadyLag: 100 };

  it('is ready while consuming assigned partitions within the lag bound', () => {
    expect(notReadyReason(ready)).toBeNull();
    expect(notReadyReason({ ...ready, lag: lag(100) })).toBeNull();
  });

  it.each([
    [{ state: 'crashed' as const, lastError: 'KafkaJSConnectionError: x' }, 'consumer is crashed (last error: KafkaJSConnectionError: x)'],
    [{ state: 'restarting' as const }, 'consumer is restarting'],
    [{ state: 'joining' as const }, 'consumer is joining'],
    [{ assignedCount: 0 }, 'no partition is assigned to this member'],
    [{ lag: lag(101) }, 'crm.accounts[3] lags 101 records (bound 100)'],
  ])('is not ready when %j', (change, reason) => {
    expect(notReadyReason({ ...ready, ...change })).toBe(reason);
  });
});
