import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  FileInput,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { ImportRow } from '../api/schemas';
import { useCanWrite } from '../session/session-context';
import { ErrorAlert } from '../ui/error-alert';
import { Loading } from '../ui/loading';
import { DataTable } from '../ui/data-table';
import { Page } from '../ui/page';
import { Pager } from '../ui/pager';
import { ReadOnlyNotice } from '../ui/read-only-notice';

const ROWS_PER_PAGE = 50;
type RowFilter = 'all' | 'invalid' | 'applied';

const EXAMPLE = 'accountId,attributeKey,stage,at\nacme,onboarding-status,Kickoff,2025-03-01T09:00:00Z\n';

/** L13: statuses from CSV, every row checked; the import runs in the background with its progress and per-row report. */
export function ImportPage() {
  const canWrite = useCanWrite();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const [atomic, setAtomic] = useState(false);
  const [importId, setImportId] = useState<string | null>(null);

  const upload = useMutation({
    mutationFn: async () => {
      const csv = file ? await file.text() : text;
      return unwrap(
        api.POST('/v1/imports/statuses', {
          params: { query: { async: 'true', ...(dryRun ? { dryRun: 'true' } : {}), ...(atomic ? { atomic: 'true' } : {}) } },
          body: csv,
          // The file as it is: the service streams and checks it row by row.
          bodySerializer: (body: string) => body,
          headers: { 'content-type': 'text/csv' },
        }),
      );
    },
    onSuccess: (summary) => {
      queryClient.setQueryData(['import', summary.importId], summary);
      setImportId(summary.importId);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setImportId(null);
    upload.mutate();
  };

  return (
    <Page title="Import statuses">
      <ReadOnlyNotice />
      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm">
              Columns <Code>accountId,attributeKey,stage[,at]</Code>: the stage by name or id (empty clears the value), <Code>at</Code> an
              ISO-8601 time (default: now). Good rows apply, bad rows come back with the reason.
            </Text>
            <FileInput
              label="CSV file"
              accept=".csv,text/csv"
              value={file}
              onChange={setFile}
              clearable
              disabled={!canWrite}
              placeholder="Choose a file"
            />
            <Textarea
              label="Or paste the CSV"
              placeholder={EXAMPLE}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              autosize
              minRows={3}
              maxRows={12}
              disabled={!canWrite || file !== null}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <Group gap="lg">
              <Checkbox
                label="Dry run: check and report, apply nothing"
                checked={dryRun}
                onChange={(e) => setDryRun(e.currentTarget.checked)}
                disabled={!canWrite}
              />
              <Checkbox
                label="All or nothing (atomic)"
                checked={atomic}
                onChange={(e) => setAtomic(e.currentTarget.checked)}
                disabled={!canWrite}
              />
            </Group>
            <ErrorAlert error={upload.error} title="The file was not imported" />
            <Button type="submit" loading={upload.isPending} disabled={!canWrite || (file === null && text.trim() === '')} w="fit-content">
              Import
            </Button>
          </Stack>
        </form>
      </Paper>
      {importId && <ImportReport importId={importId} />}
    </Page>
  );
}

const FINISHED = new Set(['completed', 'failed']);

function ImportReport({ importId }: { importId: string }) {
  const summary = useQuery({
    queryKey: ['import', importId],
    queryFn: () => unwrap(api.GET('/v1/imports/statuses/{importId}', { params: { path: { importId } } })),
    refetchInterval: (query) => (query.state.data && FINISHED.has(query.state.data.status) ? false : 500),
  });
  const s = summary.data;
  const finished = s !== undefined && FINISHED.has(s.status);
  const processed = s ? s.summary.rows : 0;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="report-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="report-title">
          Import {s?.dryRun ? '(dry run)' : ''}
        </Title>
        <ErrorAlert error={summary.error} />
        {s && (
          <>
            <Group gap="xs" role="status" aria-live="polite">
              <Badge variant="light" color={s.status === 'failed' ? 'red' : finished ? 'green' : 'blue'} data-testid="import-status">
                {s.status}
              </Badge>
              <Text size="sm">
                {finished ? 'Done' : `Phase: ${s.phase}`} · {processed}
                {s.totalRows !== null ? ` of ${s.totalRows}` : ''} rows
              </Text>
            </Group>
            {!finished && <Progress value={s.totalRows ? (100 * processed) / s.totalRows : 0} animated aria-label="Import progress" />}
            <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="xs">
              <Count label="Applied" value={s.summary.applied} />
              <Count label="Invalid" value={s.summary.invalid} testId="invalid-count" />
              <Count label="Unchanged" value={s.summary.noop} />
              <Count label="Duplicate" value={s.summary.duplicate} />
              <Count label="Valid (not applied)" value={s.summary.valid} />
              <Count label="Failed" value={s.summary.failed} />
            </SimpleGrid>
            {s.rejected && (
              <Alert color="red" variant="light" title="Nothing was applied">
                All or nothing: some rows are invalid, so no row was applied.
              </Alert>
            )}
            {s.error && (
              <Alert color="red" variant="light" title="The import failed">
                {s.error}
              </Alert>
            )}
            {finished && <ReportRows importId={importId} />}
          </>
        )}
        {summary.isPending && <Loading what="the import" />}
      </Stack>
    </Paper>
  );
}

function Count({ label, value, testId }: { label: string; value: number; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

function ReportRows({ importId }: { importId: string }) {
  const [filter, setFilter] = useState<RowFilter>('all');
  const [page, setPage] = useState(1);
  const rows = useQuery({
    queryKey: ['import-rows', importId, filter, page],
    queryFn: () =>
      unwrap(
        api.GET('/v1/imports/statuses/{importId}/rows', {
          params: {
            path: { importId },
            query: { page, pageSize: ROWS_PER_PAGE, ...(filter === 'all' ? {} : { status: filter }) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const pages = rows.data ? Math.max(1, Math.ceil(rows.data.total / ROWS_PER_PAGE)) : 1;
  return (
    <Stack gap="xs">
      <SegmentedControl
        aria-label="Rows to show"
        value={filter}
        onChange={(v) => {
          setFilter(v as RowFilter);
          setPage(1);
        }}
        data={[
          { value: 'all', label: 'All rows' },
          { value: 'invalid', label: 'Invalid' },
          { value: 'applied', label: 'Applied' },
        ]}
        w="fit-content"
      />
      <ErrorAlert error={rows.error} />
      {rows.data && (
        <DataTable label="Per-row report" minWidth={640} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>Account</Table.Th>
              <Table.Th>Attribute</Table.Th>
              <Table.Th>Stage</Table.Th>
              <Table.Th>Result</Table.Th>
              <Table.Th>Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.data.rows.map((r) => (
              <RowLine key={r.row} row={r} />
            ))}
          </Table.Tbody>
        </DataTable>
      )}
      <Pager total={pages} value={page} onChange={setPage} label="Report pages" />
    </Stack>
  );
}

function RowLine({ row }: { row: ImportRow }) {
  const bad = row.status === 'invalid' || row.status === 'failed';
  return (
    <Table.Tr data-testid={`row-${row.row}`}>
      <Table.Td>{row.row}</Table.Td>
      <Table.Td>{row.accountId}</Table.Td>
      <Table.Td>{row.attributeKey}</Table.Td>
      <Table.Td>
        {row.value === '' ? (
          <Text span c="dimmed">
            (clear)
          </Text>
        ) : (
          row.value
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Badge style={{ flex: 'none' }} variant="light" color={bad ? 'red' : row.status === 'applied' ? 'green' : 'gray'}>
          {row.status}
        </Badge>
      </Table.Td>
      <Table.Td>{row.reason ?? ''}</Table.Td>
    </Table.Tr>
  );
}
