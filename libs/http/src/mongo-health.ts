import { type HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';

/**
 * The database is up when a `ping` command answers in time. A real round trip, not mongoose's
 * `readyState` (what terminus's MongooseHealthIndicator reads): that flag follows the driver's
 * monitoring events, and in the fault suite (CI) it still said "disconnected" 22 s after a
 * Mongo-wire server restart while the gateway's ping to the same server answered. A ping also
 * makes the driver re-check a server it believes down at once, not at its next heartbeat.
 */
export class MongoHealthIndicator {
  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly indicators: HealthIndicatorService,
    private readonly timeoutMs = 2_000,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to ping within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([this.ping(), timeout]);
      return indicator.up();
    } catch (e) {
      return indicator.down({ message: (e as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
