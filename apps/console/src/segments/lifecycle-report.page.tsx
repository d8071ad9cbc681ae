import { AreaChart, BarChart } from '@mantine/charts';
import { Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, unwrap } from '../api/client';
import type { ReportInterval } from '../api/schemas';
import { useActiveAttributes } from '../attributes/attribute-queries';
import { ErrorAlert } from '../ui/error-alert';
import { fieldError } from '../ui/field-error';
import { formatDay, formatNumber, formatPercent } from '../ui/format';
import { Loading } from '../ui/loading';
import { DataTable } from '../ui/data-table';
import { Page } from '../ui/page';

/**
 * The charts are pictures of the tables under them (which assistive technology reads): Recharts'
 * keyboard layer is off so nothing inside a hidden picture takes focus.
 */
const NOT_FOCUSABLE = { accessibilityLayer: false } as const;

/** The lifecycle report of an attribute as charts: accounts per stage over time, conversion, days per stage. */
export function LifecycleReportPage() {
  const attributes = useActiveAttributes();
  const [chosen, setChosen] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [interval, setInterval] = useState<ReportInterval | null>(null);
  const attribute = chosen ?? attributes.data?.[0]?.key ?? null;
  const definition = attributes.data?.find((a) => a.key === attribute);

  const report = useQuery({
    queryKey: ['report', attribute, from, to, interval],
    queryFn: () =>
      unwrap(
        api.GET('/v1/reports/lifecycle', {
          params: { query: { attribute: attribute!, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(interval ? { interval } : {}) } },
        }),
      ),
    enabled: attribute !== null,
    placeholderData: keepPreviousData,
  });
  const r = report.data;
  const colorOf = (stageId: string) => definition?.stages.find((s) => s.id === stageId)?.color ?? 'gray.6';
  const timeline = (r?.timeline ?? []).map((p) => ({
    at: formatDay(p.at),
    ...Object.fromEntries((r?.stages ?? []).map((s) => [s.name, p.stages[s.stageId] ?? 0])),
    None: p.none,
  }));

  return (
    <Page title="Lifecycle report">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="Attribute"
          data={(attributes.data ?? []).map((a) => ({ value: a.key, label: a.name }))}
          value={attribute}
          onChange={setChosen}
          allowDeselect={false}
          w={{ base: '100%', xs: 240 }}
        />
        <TextInput
          type="date"
          label="From"
          description="Default: 90 days before To"
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
          error={fieldError(report.error, 'from')}
          w={{ base: '100%', xs: 180 }}
        />
        <TextInput
          type="date"
          label="To"
          description="Default: now"
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          error={fieldError(report.error, 'to')}
          w={{ base: '100%', xs: 180 }}
        />
        <Select
          label="Interval"
          placeholder="Automatic"
          clearable
          data={[
            { value: 'day', label: 'Day' },
            { value: 'week', label: 'Week' },
            { value: 'month', label: 'Month' },
          ]}
          value={interval}
          onChange={(v) => setInterval(v as ReportInterval | null)}
          error={fieldError(report.error, 'interval')}
          w={{ base: '100%', xs: 160 }}
        />
      </Group>
      {attributes.data?.length === 0 && <Text c="dimmed">No active attribute yet.</Text>}
      {report.isLoading && <Loading what="the report" reason={report.failureReason} />}
      <ErrorAlert error={attributes.error ?? (fieldError(report.error, 'from', 'to', 'interval') ? null : report.error)} />
      {r && (
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
            <Figure label="Accounts" value={String(r.accounts)} />
            <Figure label="Cycles in the window" value={String(r.cycles.inScope)} />
            <Figure label="Completed" value={String(r.cycles.completed)} />
            <Figure label="Restarted" value={String(r.cycles.restarted)} />
            <Figure label="Cleared" value={String(r.cycles.cleared)} />
            <Figure label="Median days per cycle" value={formatNumber(r.cycleDays.medianDays, 1)} />
          </SimpleGrid>

          <Chart
            title="Accounts per stage over time"
            caption={`${formatDay(r.from)} to ${formatDay(r.to)}, by ${r.interval}`}
            table={
              <FiguresTable
                label="Accounts per stage over time"
                head={['Date', ...r.stages.map((s) => s.name), 'None']}
                rows={r.timeline.map((p) => [formatDay(p.at), ...r.stages.map((s) => String(p.stages[s.stageId] ?? 0)), String(p.none)])}
              />
            }
          >
            <AreaChart
              h={280}
              data={timeline}
              dataKey="at"
              type="stacked"
              withDots={false}
              series={[...r.stages.map((s) => ({ name: s.name, color: colorOf(s.stageId) })), { name: 'None', color: 'gray.5' }]}
              withLegend
              areaChartProps={NOT_FOCUSABLE}
            />
          </Chart>

          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <Chart
              title="Conversion to a later stage"
              caption="Of the cycles that entered a stage, the share that reached a later one"
              table={
                <FiguresTable
                  label="Conversion to a later stage"
                  head={['Stage', 'Entered', 'Advanced', 'Conversion']}
                  rows={r.stages.map((s) => [s.name, String(s.entered), String(s.advanced), formatPercent(s.conversion)])}
                />
              }
            >
              <BarChart
                h={240}
                data={r.stages
                  .filter((s) => !s.endStage)
                  .map((s) => ({ stage: s.name, Conversion: s.conversion === null ? 0 : Math.round(s.conversion * 1000) / 10 }))}
                dataKey="stage"
                unit=" %"
                series={[{ name: 'Conversion', color: 'blue.8' }]}
                barChartProps={NOT_FOCUSABLE}
              />
            </Chart>
            <Chart
              title="Days per stage"
              caption="Median and 90th percentile of the days cycles spent in each stage"
              table={
                <FiguresTable
                  label="Days per stage"
                  head={['Stage', 'Cycles', 'Median days', 'p90 days']}
                  rows={r.stages.map((s) => [
                    s.name,
                    String(s.days.count),
                    formatNumber(s.days.medianDays, 1),
                    formatNumber(s.days.p90Days, 1),
                  ])}
                />
              }
            >
              <BarChart
                h={240}
                data={r.stages.map((s) => ({ stage: s.name, Median: s.days.medianDays ?? 0, p90: s.days.p90Days ?? 0 }))}
                dataKey="stage"
                series={[
                  { name: 'Median', color: 'blue.8' },
                  { name: 'p90', color: 'orange.8' },
                ]}
                withLegend
                barChartProps={NOT_FOCUSABLE}
              />
            </Chart>
          </SimpleGrid>
        </Stack>
      )}
    </Page>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
    </Paper>
  );
}

/** A chart with its title, a caption, and its figures as a table for whoever cannot see the chart. */
function Chart({ title, caption, table, children }: { title: string; caption: string; table: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="figure" m={0}>
      <Title order={2} size="h4">
        {title}
      </Title>
      <Text size="sm" c="dimmed" component="figcaption" mb="sm">
        {caption}
      </Text>
      <div aria-hidden="true">{children}</div>
      <details>
        <summary>The figures as a table</summary>
        {table}
      </details>
    </Paper>
  );
}

function FiguresTable({ label, head, rows }: { label: string; head: string[]; rows: string[][] }) {
  return (
    <DataTable label={label} minWidth={320} striped>
      <Table.Thead>
        <Table.Tr>
          {head.map((h) => (
            <Table.Th key={h}>{h}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row, i) => (
          <Table.Tr key={i}>
            {row.map((cell, j) => (
              <Table.Td key={j}>{cell}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </DataTable>
  );
}
