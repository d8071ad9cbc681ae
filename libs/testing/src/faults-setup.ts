import { Kafka, logLevel } from 'kafkajs';
import globalSetup from './global-setup';
import { INFRA } from './infra-endpoints';

/** Topics a delete request names at once. */
const DELETE_BATCH = 500;

/**
 * The fault suite's set-up: the servers as for integration tests, then the topics earlier test
 * runs left on the shared broker are deleted (every test run's topics start with `t-`). The suite
 * restarts the broker twice, and a broker loads every partition it holds before it answers: with
 * thousands of leftover partitions a restart takes about a minute instead of seconds.
 */
export default async function faultsSetup(): Promise<void> {
  globalSetup();
  const admin = new Kafka({ clientId: 'faults-setup', brokers: INFRA.kafka.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const leftovers = (await admin.listTopics()).filter((topic) => topic.startsWith('t-'));
    for (let i = 0; i < leftovers.length; i += DELETE_BATCH)
      await admin.deleteTopics({ topics: leftovers.slice(i, i + DELETE_BATCH), timeout: 120_000 });
    process.stdout.write(`[faults] deleted ${leftovers.length} topics left by earlier test runs\n`);
  } finally {
    await admin.disconnect();
  }
}
