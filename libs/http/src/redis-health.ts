import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import Redis from 'ioredis';

/** Pings Redis with a client of its own that fails fast while Redis is down and reconnects by itself. */
@Injectable()
export class RedisHealthIndicator implements OnApplicationShutdown {
  private readonly client: Redis;

  constructor(
    redisUrl: string,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.client = new Redis(redisUrl, {
      lazyConnect: false,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
      connectTimeout: 2_000,
    });
    this.client.on('error', () => undefined); // reported through the health check
  }

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      const pong = await this.client.ping();
      return pong === 'PONG' ? indicator.up() : indicator.down({ message: `unexpected answer ${pong}` });
    } catch (e) {
      return indicator.down({ message: (e as Error).message });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.client.disconnect();
  }
}
