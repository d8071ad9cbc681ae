import fc from 'fast-check';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { KeyPartitioner, murmur2 } from './key-partitioner';

// kafkajs's own murmur2 (what its DefaultPartitioner hashes keys with): the reference.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer | string) => number;

const partitionsOf = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));

describe('KeyPartitioner', () => {
  it("hashes every key as kafkajs's murmur2 does (strings of any characters and length, buffers)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 80 }), fc.fullUnicodeString({ maxLength: 40 }), fc.uint8Array({ maxLength: 64 })),
        (key) => {
          const input = typeof key === 'string' ? key : Buffer.from(key);
          expect(murmur2(input)).toBe(kafkajsMurmur2(input));
        },
      ),
      { numRuns: 2_000, seed: 42 },
    );
    // Keys longer than the reused buffer, and the ids the services use.
    for (const key of ['x'.repeat(1_500), 'é'.repeat(700), 'acct-00042', '9f1c2d3e-0000-4000-8000-000000000001', '']) {
      expect(murmur2(key)).toBe(kafkajsMurmur2(key));
    }
  });

  it("places a keyed record on the partition kafkajs's DefaultPartitioner chooses", () => {
    const ours = KeyPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.integer({ min: 1, max: 64 }), (key, n) => {
        const args = { topic: 't', partitionMetadata: partitionsOf(n), message: { key, value: 'v' } };
        expect(ours(args)).toBe(theirs(args));
      }),
      { numRuns: 1_000, seed: 43 },
    );
    // A record that names its partition keeps it; one without a key is placed by kafkajs's partitioner.
    expect(ours({ topic: 't', partitionMetadata: partitionsOf(6), message: { key: 'a', value: 'v', partition: 4 } })).toBe(4);
    const keyless = ours({ topic: 't', partitionMetadata: partitionsOf(6), message: { key: null, value: 'v' } });
    expect(keyless).toBeGreaterThanOrEqual(0);
    expect(keyless).toBeLessThan(6);
  });
});
