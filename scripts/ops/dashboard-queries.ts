/**
 * Prints the PromQL queries of a Grafana dashboard as a Prometheus rules file (one recording rule
 * per query), so `promtool check rules` parses every query. Grafana's own variables become what
 * they stand for: `$__rate_interval` a range, `$service` (a multi-value variable) a regex.
 */
import { readFileSync } from 'node:fs';

interface Panel {
  title: string;
  targets?: { refId: string; expr: string }[];
}

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: dashboard-queries.ts <dashboard.json>');
const dashboard = JSON.parse(readFileSync(path, 'utf8')) as { panels: Panel[] };
const rules = dashboard.panels.flatMap((panel, i) =>
  (panel.targets ?? []).map((target) => ({
    record: `dashboard:panel_${i}_${target.refId.toLowerCase()}`,
    expr: target.expr.replaceAll('$__rate_interval', '5m').replace(/\$[a-z_]+/g, '.*'),
  })),
);
process.stdout.write(JSON.stringify({ groups: [{ name: 'dashboard-queries', rules }] }, null, 2) + '\n');
