import { Partitioners, type ICustomPartitioner, type PartitionerArgs } from 'kafkajs';

/** Keys up to this many UTF-8 bytes are hashed from one reused buffer (longer ones get their own). */
const SCRATCH_BYTES = 1_024;
const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * Kafka's murmur2 of a key (the Java client's `Utils.murmur2`, which kafkajs's DefaultPartitioner
 * uses) in 32-bit integer arithmetic. kafkajs computes it with its `Long` class — about a dozen
 * objects per 4 bytes of key, for every record every producer sends — and takes the low 32 bits at
 * the end, which is what 32-bit arithmetic keeps all along: the same hash (property-tested against
 * kafkajs's own), so every key stays on the partition it always had.
 */
export function murmur2(key: Buffer | string): number {
  let data: Buffer;
  let length: number;
  if (Buffer.isBuffer(key)) {
    data = key;
    length = key.length;
  } else {
    length = Buffer.byteLength(key, 'utf8');
    data = length <= SCRATCH_BYTES ? scratch : Buffer.allocUnsafe(length);
    data.write(key, 0, length, 'utf8');
  }
  let h = (SEED ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The last 1–3 bytes (Java's switch falls through from the highest).
  const tail = length & ~3;
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= data[tail + 2]! << 16;
    if (rest >= 2) h ^= data[tail + 1]! << 8;
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * kafkajs's DefaultPartitioner with `murmur2` above: a record with a key goes to
 * `(murmur2(key) & 0x7fffffff) % partitions`, as with kafkajs's own and the Java client's; a record
 * that names its partition, or has no key, is placed by kafkajs's own partitioner.
 */
export const KeyPartitioner: ICustomPartitioner = () => {
  const fallback = Partitioners.DefaultPartitioner();
  return (args: PartitionerArgs) => {
    const { message, partitionMetadata } = args;
    if ((message.partition === null || message.partition === undefined) && message.key !== null && message.key !== undefined) {
      return (murmur2(message.key) & 0x7fffffff) % partitionMetadata.length;
    }
    return fallback(args);
  };
};
