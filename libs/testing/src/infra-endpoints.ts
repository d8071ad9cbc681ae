/**
 * Where the tests' servers answer (`TEST_*` point them elsewhere). Its own module without path
 * aliases: jest's global set-up files load it, and they do not get the `@lifecycle/*` mapping.
 */
export const INFRA = {
  kafka: process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:9092',
  mongo: process.env.TEST_MONGO_URL ?? 'mongodb://127.0.0.1:27017',
  redis: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
};
