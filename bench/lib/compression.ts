import { DEFAULT_KAFKA_COMPRESSION, type KafkaCompression } from '@lifecycle/config';
import { kafkaCompressionFrom } from '@lifecycle/testing';

/**
 * What the services under a bench compress their produced records with: the product's default
 * (`KAFKA_COMPRESSION` unset), so a figure is what a deployment gets and a bare pipeline that
 * produces uncompressed records is compared like for like; `BENCH_KAFKA_COMPRESSION` measures
 * another codec. (Tests produce lz4 on purpose, to exercise a codec kafkajs does not ship.)
 */
export const BENCH_KAFKA_COMPRESSION: KafkaCompression = kafkaCompressionFrom('BENCH_KAFKA_COMPRESSION', DEFAULT_KAFKA_COMPRESSION);
