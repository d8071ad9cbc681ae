import { Anchor, Badge, Button, Group, SegmentedControl, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCanWrite } from '../session/session-context';
import { ErrorAlert } from '../ui/error-alert';
import { Loading } from '../ui/loading';
import { DataTable } from '../ui/data-table';
import { Page } from '../ui/page';
import { StageName } from '../ui/stage-swatch';
import { useAttributes } from './attribute-queries';

type StateFilter = 'all' | 'draft' | 'active';

/** A1: every lifecycle attribute, its state and stages. */
export function AttributesPage() {
  const canWrite = useCanWrite();
  const attributes = useAttributes();
  const [state, setState] = useState<StateFilter>('all');
  const shown = (attributes.data ?? []).filter((a) => state === 'all' || a.state === state);

  return (
    <Page
      title="Attributes"
      actions={
        canWrite ? (
          <Button component={Link} to="/attributes/new">
            New attribute
          </Button>
        ) : null
      }
    >
      <SegmentedControl
        aria-label="Show attributes"
        value={state}
        onChange={(v) => setState(v as StateFilter)}
        data={[
          { value: 'all', label: 'All' },
          { value: 'draft', label: 'Draft' },
          { value: 'active', label: 'Active' },
        ]}
        w="fit-content"
      />
      {attributes.isPending && <Loading what="attributes" />}
      <ErrorAlert error={attributes.error} />
      {attributes.data && shown.length === 0 && <Text c="dimmed">No attributes here yet.</Text>}
      {shown.length > 0 && (
        <DataTable label="Attributes" minWidth={640} striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Flow</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Stages</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((a) => (
              <Table.Tr key={a.key}>
                <Table.Td>
                  <Anchor component={Link} to={`/attributes/${encodeURIComponent(a.key)}`}>
                    {a.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {a.key}
                  </Text>
                </Table.Td>
                <Table.Td>{a.flow ?? '—'}</Table.Td>
                <Table.Td>
                  <StateBadge state={a.state} />
                </Table.Td>
                <Table.Td>
                  <Group gap="sm">
                    {a.stages.map((s) => (
                      <StageName key={s.id} name={s.name} color={s.color} dimmed={s.disabled} />
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      )}
    </Page>
  );
}

export function StateBadge({ state }: { state: 'draft' | 'active' }) {
  return (
    <Badge color={state === 'active' ? 'green' : 'yellow'} variant="light">
      {state}
    </Badge>
  );
}
