/**
 * The dashboard and the alert rules (ops/) are code: they load, are well formed, and name only
 * metrics the services export (libs/observability's catalog and Node's process metrics), so a
 * renamed metric fails here instead of leaving an empty panel or an alert that never fires.
 * promtool checks the PromQL and runs the alert tests (scripts/check-ops.sh).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, register } from 'prom-client';
import { parse } from 'yaml';
import { loadGatewayConfig, loadServiceConfig } from '@lifecycle/config';
import { metrics } from '@lifecycle/observability';

const ROOT = join(__dirname, '..', '..');
const OPS = join(ROOT, 'ops');
const read = (path: string) => readFileSync(join(OPS, path), 'utf8');

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource: { uid: string } }[];
}

/** The metric names a PromQL expression reads (the platform's and Node's prefixes). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:lifecycle|http_server|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]!);
}

describe('dashboards and alerts as code', () => {
  collectDefaultMetrics();
  metrics();
  const exported = new Set(register.getMetricsAsArray().map((m) => m.name));
  const isExported = (name: string) => exported.has(name) || exported.has(name.replace(/_(bucket|count|sum)$/, ''));

  const dashboard = JSON.parse(read('grafana/dashboards/lifecycle-platform.json')) as {
    uid: string;
    title: string;
    schemaVersion: number;
    panels: Panel[];
    templating: { list: { name: string; datasource: { uid: string } }[] };
  };
  const datasource = (parse(read('grafana/provisioning/datasources/prometheus.yml')) as { datasources: { uid: string; type: string }[] })
    .datasources[0]!;
  const alerts = parse(read('prometheus/alerts.yml')) as {
    groups: { name: string; rules: { alert: string; expr: string; labels: { severity: string } }[] }[];
  };

  it('the dashboard loads: a uid, unique panel ids, panels inside the 24-column grid without overlapping', () => {
    expect(dashboard.uid).toBe('lifecycle-platform');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const panel of dashboard.panels) {
      const { x, y, w, h } = panel.gridPos;
      expect({ panel: panel.title, inside: x >= 0 && w > 0 && x + w <= 24 && h > 0 }).toEqual({ panel: panel.title, inside: true });
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          expect({ panel: panel.title, cell: `${i},${j}`, free: !cells.has(`${i},${j}`) }).toEqual({
            panel: panel.title,
            cell: `${i},${j}`,
            free: true,
          });
          cells.add(`${i},${j}`);
        }
      }
    }
  });

  it('every panel queries the provisioned Prometheus, for metrics the services export', () => {
    expect(datasource).toMatchObject({ type: 'prometheus' });
    const graphs = dashboard.panels.filter((p) => p.type !== 'row');
    expect(graphs.length).toBeGreaterThanOrEqual(20);
    for (const panel of graphs) {
      expect(panel.datasource?.uid).toBe(datasource.uid);
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.datasource.uid).toBe(datasource.uid);
        const names = metricNames(target.expr);
        expect({ panel: panel.title, names: names.length > 0 }).toEqual({ panel: panel.title, names: true });
        for (const name of names)
          expect({ panel: panel.title, name, exported: isExported(name) }).toEqual({ panel: panel.title, name, exported: true });
      }
    }
    for (const variable of dashboard.templating.list) expect(variable.datasource.uid).toBe(datasource.uid);
  });

  it('the dashboard shows lag, throughput, dead letters, outboxes, jobs and latency', () => {
    const queried = new Set(dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricNames(t.expr))));
    for (const name of [
      'lifecycle_kafka_consumer_lag',
      'lifecycle_events_consumed_total',
      'lifecycle_outbox_oldest_pending_age_seconds',
      'lifecycle_bullmq_jobs',
      'lifecycle_bullmq_last_completed_timestamp_seconds',
      'http_server_request_duration_seconds_bucket',
      'lifecycle_gateway_rate_limited_total',
    ]) {
      expect(queried).toContain(name);
    }
  });

  it('the alert rules cover stalled and lagging consumers, dead letters, outbox age, the daily job and 5xx, over exported metrics', () => {
    const rules = alerts.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'ConsumerStalled',
        'ConsumerLagging',
        'DeadLetters',
        'DeadLetterRateHigh',
        'OutboxBacklogOld',
        'DailyCountersLate',
        'HighServerErrorRate',
      ]),
    );
    for (const rule of rules) {
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      for (const name of metricNames(rule.expr))
        expect({ alert: rule.alert, name, exported: isExported(name) }).toEqual({ alert: rule.alert, name, exported: true });
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { image?: string; environment?: Record<string, string | number>; volumes?: string[] }>;
  };
  const envOf = (service: string) =>
    Object.fromEntries(Object.entries(compose.services[service]!.environment ?? {}).map(([k, v]) => [k, String(v)]));

  it('starts every app with an environment that passes the start-up validation (off loopback: keys required and given)', () => {
    for (const service of ['attribute-catalog', 'status-tracking', 'cycle-planning', 'segment-evaluation']) {
      const config = loadServiceConfig(service, 0, envOf(service));
      expect(config.host).toBe('0.0.0.0');
      expect(config.internalAuth?.keys.length).toBeGreaterThan(0);
    }
    const gateway = loadGatewayConfig(envOf('gateway'));
    expect(gateway.internalAuthKeys).toEqual(loadServiceConfig('x', 0, envOf('status-tracking')).internalAuth?.keys);
  });

  it('runs Prometheus and Grafana from official images with ops/ mounted, scraping with the services METRICS_TOKEN', () => {
    expect(compose.services.prometheus!.image).toMatch(/^prom\/prometheus:v\d/);
    expect(compose.services.grafana!.image).toMatch(/^grafana\/grafana:\d/);
    expect(compose.services.prometheus!.volumes).toContain('./ops/prometheus:/etc/prometheus:ro');
    expect(compose.services.grafana!.volumes).toEqual(
      expect.arrayContaining([
        './ops/grafana/provisioning:/etc/grafana/provisioning:ro',
        './ops/grafana/dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
    expect(read('prometheus/metrics-token').trim()).toBe(envOf('status-tracking').METRICS_TOKEN);
  });
});
