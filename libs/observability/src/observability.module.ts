import { Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';
import { METRICS_OPTIONS, MetricsAccessGuard, MetricsController, type MetricsOptions } from './metrics.controller';
import { metrics } from './metrics';
import { flushTracing } from './tracing';

/** The spans of an app's last seconds leave before it stops (the exporter sends every 5 s). */
@Injectable()
class TracingFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await flushTracing();
  }
}

/** Node's own metrics (CPU, memory, event loop lag, GC) once per process. */
function collectProcessMetrics(): void {
  if (register.getSingleMetric('process_cpu_user_seconds_total')) return;
  collectDefaultMetrics();
}

/**
 * `/metrics` of a service or the gateway (prom-client through @willsoto/nestjs-prometheus), with
 * Node's process metrics and the platform's (`metrics()`); access as `MetricsAccessGuard` says.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: MetricsOptions): DynamicModule {
    collectProcessMetrics();
    metrics();
    return {
      module: ObservabilityModule,
      // Global: the controller lives in PrometheusModule, whose guard reads these options.
      global: true,
      imports: [PrometheusModule.register({ path: '/metrics', controller: MetricsController, defaultMetrics: { enabled: false } })],
      providers: [{ provide: METRICS_OPTIONS, useValue: options }, MetricsAccessGuard, TracingFlush],
      exports: [METRICS_OPTIONS, MetricsAccessGuard],
    };
  }
}
