import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { useCanWrite } from '../session/session-context';
import { ErrorAlert } from '../ui/error-alert';
import { formatInstant } from '../ui/format';
import { Loading } from '../ui/loading';
import { DataTable } from '../ui/data-table';
import { Page } from '../ui/page';
import { Pager } from '../ui/pager';

const PAGE_SIZE = 25;

/** S1–S4: the saved segments; each opens in the builder and on its progress board. */
export function SegmentsPage() {
  const canWrite = useCanWrite();
  const [page, setPage] = useState(1);
  const segments = useQuery({
    queryKey: ['segments', page],
    queryFn: () => unwrap(api.GET('/v1/segments', { params: { query: { page, pageSize: PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });
  const pages = segments.data ? Math.max(1, Math.ceil(segments.data.total / PAGE_SIZE)) : 1;
  return (
    <Page
      title="Segments"
      actions={
        canWrite ? (
          <Button component={Link} to="/segments/new">
            New segment
          </Button>
        ) : null
      }
    >
      {segments.isPending && <Loading what="segments" />}
      <ErrorAlert error={segments.error} />
      {segments.data?.items.length === 0 && <Text c="dimmed">No saved segment yet.</Text>}
      {segments.data && segments.data.items.length > 0 && (
        <DataTable label="Saved segments" minWidth={600} striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Attributes</Table.Th>
              <Table.Th>Updated</Table.Th>
              <Table.Th>Progress</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {segments.data.items.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/segments/${encodeURIComponent(s.id)}`}>
                    {s.name}
                  </Anchor>
                  {s.timeBased && (
                    <Badge variant="outline" color="gray" size="sm" ml="xs" title="Membership changes with time alone (re-evaluated daily)">
                      time-based
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{s.attributes.join(', ') || '—'}</Table.Td>
                <Table.Td>{formatInstant(s.updatedAt)}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Anchor component={Link} to={`/segments/${encodeURIComponent(s.id)}/board`}>
                      Board
                    </Anchor>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      )}
      <Pager total={pages} value={page} onChange={setPage} label="Segment pages" />
    </Page>
  );
}
