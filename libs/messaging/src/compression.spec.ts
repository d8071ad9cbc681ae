import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { compress as rawSnappy } from 'snappy';
import { CompressStream } from 'zstd-napi';
import { snappyDecompress } from './compression';

const records = Buffer.from(JSON.stringify({ id: 'e1', type: 'crm.account.status.set', data: { accountId: 'acme' } }).repeat(400));
type Compressed = Exclude<CompressionTypes, CompressionTypes.None>;
const codec = (type: Compressed) =>
  (CompressionCodecs[type] as () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> })();

/** xerial's framing, as Java's Kafka client writes snappy: header, then [length][raw snappy] blocks. */
async function xerialFramed(data: Buffer, blockSize: number): Promise<Buffer> {
  const header = Buffer.concat([Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]), Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])]);
  const parts: Buffer[] = [header];
  for (let i = 0; i < data.length; i += blockSize) {
    const block = await rawSnappy(data.subarray(i, i + blockSize));
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

describe('Kafka compression codecs registered with kafkajs', () => {
  it.each([
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
    ['gzip', CompressionTypes.GZIP],
  ] as const)('%s: what is compressed decompresses to the same bytes, and is smaller', async (_name, type) => {
    const compressed = await codec(type).compress({ buffer: records });
    expect(compressed.length).toBeLessThan(records.length / 4);
    expect((await codec(type).decompress(compressed)).equals(records)).toBe(true);
  });

  it('snappy: reads xerial-framed input (Java clients) as well as raw snappy (librdkafka)', async () => {
    expect((await snappyDecompress(await xerialFramed(records, 4096))).equals(records)).toBe(true);
    expect((await snappyDecompress(await rawSnappy(records))).equals(records)).toBe(true);
  });

  it('snappy: a xerial block that overruns its buffer is an error, not garbage', async () => {
    const framed = await xerialFramed(records, 4096);
    await expect(snappyDecompress(framed.subarray(0, framed.length - 10))).rejects.toThrow(/overruns the buffer/);
  });

  it("zstd: reads frames without a content size (streaming writers such as Java's)", async () => {
    const stream = new CompressStream();
    const parts: Buffer[] = [];
    stream.on('data', (d: Buffer) => parts.push(d));
    const ended = new Promise((resolve) => stream.on('end', resolve));
    stream.end(records);
    await ended;
    expect((await codec(CompressionTypes.ZSTD).decompress(Buffer.concat(parts))).equals(records)).toBe(true);
  });

  it('lz4: corrupt input is an error', async () => {
    const compressed = await codec(CompressionTypes.LZ4).compress({ buffer: records });
    compressed.writeUInt32LE(0xdeadbeef, 0); // the frame's magic number
    await expect(codec(CompressionTypes.LZ4).decompress(compressed)).rejects.toThrow();
  });
});
