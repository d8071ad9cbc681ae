import { readFileSync } from 'node:fs';
import fc from 'fast-check';

// kafkajs's encoding of a produced record, as patched (`patches/kafkajs+2.2.4.patch`): varints
// written in place, 32-bit timestamp deltas without 64-bit arithmetic, a record's headers in its
// own buffer. The expected bytes are what the unpatched kafkajs 2.2.4 writes for the same input.

/* eslint-disable @typescript-eslint/no-require-imports */
interface EncoderLike {
  buffer: Buffer;
  writeVarLong(value: number): EncoderLike;
  writeVarInt(value: number): EncoderLike;
  writeUVarInt(value: number): EncoderLike;
}
const Encoder = require('kafkajs/src/protocol/encoder') as {
  new (): EncoderLike;
  sizeOfVarLong(value: number): number;
};
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => { offset: number; readVarInt(): number };
type Headers = Record<string, string | string[]>;
interface RecordInput {
  offsetDelta: number;
  timestampDelta: number;
  key: string | Buffer | null;
  value: string | Buffer;
  headers?: Headers;
}
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: RecordInput) => EncoderLike;
const RecordDecoder = require('kafkajs/src/protocol/recordBatch/record/v0/decoder') as (
  decoder: InstanceType<typeof Decoder>,
  context: { firstOffset: string; firstTimestamp: string; magicByte: number },
) => { key: Buffer | null; value: Buffer; headers: Record<string, Buffer | Buffer[]>; offset: string; timestamp: string };
/* eslint-enable @typescript-eslint/no-require-imports */

const hex = (record: RecordInput): string => Record(record).buffer.toString('hex');

describe("kafkajs's encoding of a produced record (patched)", () => {
  it('is the patched module', () => {
    expect(readFileSync(require.resolve('kafkajs/src/protocol/encoder'), 'utf8')).toContain('lifecycle-platform patch');
    expect(readFileSync(require.resolve('kafkajs/src/protocol/recordBatch/record/v0'), 'utf8')).toContain('lifecycle-platform patch');
  });

  it('writes the bytes the unpatched kafkajs writes', () => {
    const headers = { 'event-type': 'status.changed', 'event-id': 'e-1' };
    expect(hex({ offsetDelta: 3, timestampDelta: 0, key: Buffer.from('acme'), value: Buffer.from('{"a":1}'), headers })).toBe(
      '700000060861636d650e7b2261223a317d04146576656e742d747970651c7374617475732e6368616e676564106576656e742d696406652d31',
    );
    // Longer than the first buffer the unpatched encoder takes (512 bytes); a header with two values.
    expect(hex({ offsetDelta: 200, timestampDelta: 300, key: 'k', value: 'x'.repeat(700), headers: { h: ['one', 'two'] } })).toBe(
      `a40b00d8049003026bf80a${'78'.repeat(700)}040268066f6e6502680674776f`,
    );
    expect(hex({ offsetDelta: 0, timestampDelta: -5, key: null, value: Buffer.from('v'), headers: {} })).toBe('0e00090001027600');
    // A delta past 32 bits takes the 64-bit path.
    expect(hex({ offsetDelta: 70000, timestampDelta: 2 ** 40, key: 'big', value: 'w' })).toBe('2200808080808040e0c50806626967027700');
  });

  it.each([
    [0, '00', '00'],
    [-1, '01', 'ffffffff0f'],
    [64, '8001', '40'],
    [-65, '8101', 'bfffffff0f'],
    [2 ** 31 - 1, 'feffffff0f', 'ffffffff07'],
    [-(2 ** 31), 'ffffffff0f', '8080808008'],
    [2 ** 31, '8080808010', '8080808008'],
    [2 ** 40, '808080808040', '00'],
    [-(2 ** 40), 'ffffffffff3f', '00'],
  ])('writes %d as a varlong %s and, as 32 unsigned bits, a uvarint %s', (value, varlong, uvarint) => {
    expect(new Encoder().writeVarLong(value).buffer.toString('hex')).toBe(varlong);
    expect(Encoder.sizeOfVarLong(value)).toBe(varlong.length / 2);
    expect(new Encoder().writeUVarInt(value >>> 0).buffer.toString('hex')).toBe(uvarint);
  });

  it('writes records that kafkajs reads back as they were', () => {
    const text = fc.string({ maxLength: 40 });
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 20 }),
        fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 2 ** 31, max: 2 ** 45 })),
        fc.option(text, { nil: null }),
        fc.string({ maxLength: 3000 }),
        // Header names beside Object's own (kafkajs's reader folds repeated names on a plain object).
        fc.dictionary(
          fc.string({ maxLength: 10 }).map((name) => `h-${name}`),
          fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })),
        ),
        (offsetDelta, timestampDelta, key, value, headers) => {
          const bytes = Record({ offsetDelta, timestampDelta, key, value, headers }).buffer;
          const decoder = new Decoder(bytes);
          const length = decoder.readVarInt();
          expect(decoder.offset + length).toBe(bytes.length);
          const read = RecordDecoder(decoder, { firstOffset: '1000', firstTimestamp: '0', magicByte: 2 });
          expect(read.offset).toBe(String(1000 + offsetDelta));
          expect(read.timestamp).toBe(String(timestampDelta));
          expect(read.key === null ? null : read.key.toString()).toBe(key);
          expect(read.value.toString()).toBe(value);
          const readHeaders = Object.fromEntries(
            Object.entries(read.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : v.toString()]),
          );
          expect(readHeaders).toEqual(
            Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) && v.length === 1 ? v[0] : v])),
          );
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
