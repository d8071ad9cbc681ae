import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { KafkaConnection } from '@lifecycle/messaging';

@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly connection: Pick<KafkaConnection, 'ping'>,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await this.connection.ping();
      return indicator.up();
    } catch (e) {
      return indicator.down({ message: (e as Error).message });
    }
  }
}
