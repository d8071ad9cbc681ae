import type { Gauge } from 'prom-client';
import type { Metrics } from './metrics';

/** Fills collected gauges at scrape time; given the metrics to set. */
export type ScrapeSource = (metrics: Metrics) => Promise<void> | void;

/** The gauges the sources fill (registered by metrics.ts), reset before each collection. */
export const COLLECTED: Gauge<string>[] = [];

const sources = new Set<{ name: string; fill: ScrapeSource }>();
/** A source that does not answer in this time is left out of that scrape (its gauges are absent). */
const SOURCE_TIMEOUT_MS = 2_000;
let running: Promise<void> | null = null;
let metricsOf: (() => Metrics) | null = null;

/**
 * Adds a scrape source (a consumer's lag, an outbox's backlog, a service's queues); returns the
 * function that removes it (at shutdown). Process-wide: every service started in the process adds
 * its own.
 */
export function addScrapeSource(name: string, fill: ScrapeSource): () => void {
  const entry = { name, fill };
  sources.add(entry);
  return () => {
    sources.delete(entry);
  };
}

/** Called by metrics.ts once the metrics exist. */
export function bindScrapeMetrics(get: () => Metrics): void {
  metricsOf = get;
}

/**
 * Runs every source once per scrape: prom-client collects all metrics of a scrape at once, so
 * the collected gauges share the one run under way.
 */
export function collectSources(): Promise<void> {
  running ??= (async () => {
    const started = process.hrtime.bigint();
    const metrics = metricsOf?.();
    if (!metrics) return;
    for (const gauge of COLLECTED) gauge.reset();
    await Promise.all(
      [...sources].map((source) =>
        Promise.race([
          Promise.resolve()
            .then(() => source.fill(metrics))
            .catch(() => undefined),
          new Promise<void>((resolve) => setTimeout(resolve, SOURCE_TIMEOUT_MS).unref()),
        ]),
      ),
    );
    metrics.scrapeDuration.set(Number(process.hrtime.bigint() - started) / 1e9);
  })().finally(() => {
    running = null;
  });
  return running;
}
