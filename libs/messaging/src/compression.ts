import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import type { KafkaCompression } from '@lifecycle/config';
import { compressFrame, decompressFrame } from 'lz4-napi';
import { compress as snappyCompress, uncompress as snappyUncompress } from 'snappy';
import { compress as zstdCompress, decompress as zstdDecompress } from 'zstd-napi';

/**
 * Every compression Kafka defines, decoded by every consumer and available to every producer of
 * this process. kafkajs ships gzip only and fails a whole fetch on any other codec, so the codecs
 * are registered here, once, when `@lifecycle/messaging` is loaded — before any consumer exists.
 *
 * Libraries (native, prebuilt or built from the npm registry alone): `snappy` and `lz4-napi`
 * (napi-rs prebuilt binaries published on npm), `zstd-napi` (libzstd compiled at install).
 * The list of names is `KAFKA_COMPRESSIONS` in @lifecycle/config (validated at boot).
 */
export const COMPRESSION_TYPE: Record<KafkaCompression, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** What kafkajs hands a codec: its record encoder, whose `buffer` holds the encoded records. */
interface EncodedRecords {
  buffer: Buffer;
}

interface Codec {
  compress(encoder: EncodedRecords): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/**
 * Java clients write snappy in xerial's framing (a magic header, then length-prefixed raw snappy
 * blocks); librdkafka writes raw snappy. Both are read; raw snappy is written, which every client
 * reads (xerial's reader falls back to raw input without the header).
 */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16; // magic (8), version (4), compatible version (4)

export async function snappyDecompress(buffer: Buffer): Promise<Buffer> {
  if (buffer.length < XERIAL_HEADER_BYTES || !buffer.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) {
    return (await snappyUncompress(buffer)) as Buffer;
  }
  const blocks: Buffer[] = [];
  let offset = XERIAL_HEADER_BYTES;
  while (offset < buffer.length) {
    if (offset + 4 > buffer.length) throw new Error(`truncated xerial snappy block header at byte ${offset}`);
    const size = buffer.readInt32BE(offset);
    offset += 4;
    if (size < 0 || offset + size > buffer.length)
      throw new Error(`xerial snappy block of ${size} bytes overruns the buffer at byte ${offset}`);
    blocks.push((await snappyUncompress(buffer.subarray(offset, offset + size))) as Buffer);
    offset += size;
  }
  return Buffer.concat(blocks);
}

const codecs: Record<'snappy' | 'lz4' | 'zstd', Codec> = {
  snappy: {
    compress: async ({ buffer }) => snappyCompress(buffer),
    decompress: snappyDecompress,
  },
  // Kafka's LZ4 is the standard LZ4 frame format (since message format v1).
  lz4: {
    compress: async ({ buffer }) => compressFrame(buffer),
    decompress: async (buffer) => decompressFrame(buffer),
  },
  // Frames with or without a content size (Java's streaming writer omits it) are both read.
  zstd: {
    compress: async ({ buffer }) => zstdCompress(buffer),
    decompress: async (buffer) => zstdDecompress(buffer),
  },
};

/** Registers snappy, lz4 and zstd with kafkajs (gzip and none are built in). Idempotent. */
export function registerKafkaCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = () => codecs.snappy;
  CompressionCodecs[CompressionTypes.LZ4] = () => codecs.lz4;
  CompressionCodecs[CompressionTypes.ZSTD] = () => codecs.zstd;
}

registerKafkaCodecs();
