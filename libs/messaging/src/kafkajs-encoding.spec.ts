import { readFileSync } from 'node:fs';
import fc from 'fast-check';

// kafkajs's encoding and decoding of records, as patched (`patches/kafkajs+2.2.4.patch`): varints
// written in place, 32-bit timestamp deltas without 64-bit arithmetic, a record's headers in its
// own buffer, the batch checksum eight bytes a step; a consumed record's offset and timestamp
// summed as numbers when exact, its headers folded in one object. The expected bytes and values
// are what the unpatched kafkajs 2.2.4 writes and reads for the same input.

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
  context: { firstOffset: string; firstTimestamp: string; magicByte: number; timestampType?: number; maxTimestamp?: string },
) => { key: Buffer | null; value: Buffer; headers: Record<string, Buffer | Buffer[]>; offset: string; timestamp: string };
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C') as (buffer: Buffer) => number;
/* eslint-enable @typescript-eslint/no-require-imports */

/** CRC-32C bit by bit (reflected polynomial 0x82F63B78): the definition, with no table. */
function crc32cBitwise(buffer: Buffer): number {
  let crc = ~0;
  for (const byte of buffer) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0x82f63b78 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** Reads back one encoded record as kafkajs's consumer does. */
function decodeRecord(bytes: Buffer, context: Parameters<typeof RecordDecoder>[1]): ReturnType<typeof RecordDecoder> {
  const decoder = new Decoder(bytes);
  decoder.readVarInt();
  return RecordDecoder(decoder, context);
}

const hex = (record: RecordInput): string => Record(record).buffer.toString('hex');

describe("kafkajs's encoding and decoding of records and its batch checksum (patched)", () => {
  it('is the patched module', () => {
    expect(readFileSync(require.resolve('kafkajs/src/protocol/encoder'), 'utf8')).toContain('lifecycle-platform patch');
    for (const module of [
      'kafkajs/src/protocol/recordBatch/record/v0',
      'kafkajs/src/protocol/recordBatch/record/v0/decoder',
      'kafkajs/src/protocol/recordBatch/crc32C/crc32C',
      'kafkajs/src/protocol/requests/produce/v3/request',
    ])
      expect(readFileSync(require.resolve(module), 'utf8')).toContain('lifecycle-platform patch');
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

  it('checksums a record batch as CRC-32C', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32C(Buffer.alloc(0))).toBe(0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const buffer = Buffer.from(bytes);
        expect(crc32C(buffer)).toBe(crc32cBitwise(buffer));
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it("reads a record's offset and timestamp as the decimal 64-bit sums, past 2^53 too", () => {
    const context = (firstOffset: bigint, firstTimestamp: bigint) => ({
      firstOffset: firstOffset.toString(),
      firstTimestamp: firstTimestamp.toString(),
      magicByte: 2,
    });
    const int64 = fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n });
    fc.assert(
      fc.property(
        fc.oneof(int64, fc.bigInt({ min: 0n, max: 2n ** 53n + 10n })),
        fc.oneof(int64, fc.bigInt({ min: -1n, max: 2n ** 45n })),
        fc.nat({ max: 2 ** 30 }),
        fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 45), max: 2 ** 45 })),
        (firstOffset, firstTimestamp, offsetDelta, timestampDelta) => {
          const read = decodeRecord(
            Record({ offsetDelta, timestampDelta, key: null, value: 'v' }).buffer,
            context(firstOffset, firstTimestamp),
          );
          expect(read.offset).toBe((firstOffset + BigInt(offsetDelta)).toString());
          expect(read.timestamp).toBe((firstTimestamp + BigInt(timestampDelta)).toString());
        },
      ),
      { numRuns: 1000, seed: 5 },
    );
    // Sums that leave the safe integers take the 64-bit path.
    const edge = decodeRecord(
      Record({ offsetDelta: 5, timestampDelta: 2 ** 27, key: null, value: 'v' }).buffer,
      context(2n ** 53n - 3n, 2n ** 53n - 2n ** 26n),
    );
    expect(edge.offset).toBe('9007199254740994');
    expect(edge.timestamp).toBe('9007199321849856');
    // A log-append-time batch gives every record the batch's time.
    const appended = decodeRecord(Record({ offsetDelta: 1, timestampDelta: 9, key: null, value: 'v' }).buffer, {
      ...context(10n, 100n),
      timestampType: 1,
      maxTimestamp: '12345',
    });
    expect(appended.timestamp).toBe('12345');
  });

  it('folds repeated header names into arrays, in order, beside names Object has too', () => {
    const headers = { a: ['1', '2', '3'], b: 'x', constructor: 'c', ['__proto__']: ['p', 'q'] };
    const read = decodeRecord(Record({ offsetDelta: 0, timestampDelta: 0, key: null, value: 'v', headers }).buffer, {
      firstOffset: '0',
      firstTimestamp: '0',
      magicByte: 2,
    });
    const text = (v: unknown): unknown => (Buffer.isBuffer(v) ? v.toString() : Array.isArray(v) ? v.map(text) : v);
    expect(Object.keys(read.headers)).toEqual(['a', 'b', 'constructor', '__proto__']);
    expect(text(read.headers.a)).toEqual(['1', '2', '3']);
    expect(text(read.headers.b)).toBe('x');
    // The unpatched fold starts a name's list with what a plain object already answers for it.
    expect(text(read.headers.constructor)).toEqual([Object, 'c']);
    expect(Object.getOwnPropertyDescriptor(read.headers, '__proto__')?.value.map(text)).toEqual([Object.prototype, 'p', 'q']);
    expect(Object.getPrototypeOf(read.headers)).toBe(Object.prototype);
  });
});
