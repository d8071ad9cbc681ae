import { HealthIndicatorService } from '@nestjs/terminus';
import { MongoClient } from 'mongodb';
import { freePortRange, INFRA } from '@lifecycle/testing';
import { MongoHealthIndicator } from './mongo-health';

describe('MongoHealthIndicator against the real Mongo-wire server', () => {
  const indicators = new HealthIndicatorService();
  let up: MongoClient;
  let nowhere: MongoClient;

  beforeAll(async () => {
    up = await MongoClient.connect(INFRA.mongo);
    // A port nothing listens on: the driver never finds a server.
    nowhere = new MongoClient(`mongodb://127.0.0.1:${await freePortRange(1)}`, { serverSelectionTimeoutMS: 300 });
  });

  afterAll(async () => {
    await up.close();
    await nowhere.close();
  });

  it('is up when the server answers a ping', async () => {
    const health = new MongoHealthIndicator(() => up.db().command({ ping: 1 }), indicators);
    await expect(health.check('mongo')).resolves.toEqual({ mongo: { status: 'up' } });
  });

  it('is down with the driver’s reason when no server answers', async () => {
    const health = new MongoHealthIndicator(() => nowhere.db().command({ ping: 1 }), indicators);
    const result = await health.check('mongo');
    expect(result.mongo?.status).toBe('down');
    expect(String(result.mongo?.message)).toMatch(/ECONNREFUSED|Server selection timed out/);
  });

  it('is down when the ping does not answer within its time', async () => {
    const health = new MongoHealthIndicator(() => new Promise(() => undefined), indicators, 50);
    await expect(health.check('mongo')).resolves.toEqual({ mongo: { status: 'down', message: 'no answer to ping within 50 ms' } });
  });
});
