import { Anchor, Badge, Group, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorAlert } from '../ui/error-alert';
import { fieldError } from '../ui/field-error';
import { formatDay } from '../ui/format';
import { Loading } from '../ui/loading';
import { DataTable } from '../ui/data-table';
import { Page } from '../ui/page';
import { Pager } from '../ui/pager';

const PAGE_SIZE = 25;
type Overdue = 'any' | 'overdue' | 'not-overdue';

/**
 * C9: open activities and tasks across every running cycle, and the open one-off tasks of plays (P1),
 * by due date; by owner, overdue, account, due before.
 */
export function TasksPage() {
  const [owner, setOwner] = useState('');
  const [account, setAccount] = useState('');
  const [dueBefore, setDueBefore] = useState('');
  const [overdue, setOverdue] = useState<Overdue>('any');
  const [page, setPage] = useState(1);
  const [filters] = useDebouncedValue({ owner: owner.trim(), account: account.trim(), dueBefore, overdue }, 300);

  const tasks = useQuery({
    queryKey: ['tasks', filters, page],
    queryFn: () =>
      unwrap(
        api.GET('/v1/tasks', {
          params: {
            query: {
              page,
              pageSize: PAGE_SIZE,
              ...(filters.owner ? { ownerId: filters.owner } : {}),
              ...(filters.account ? { accountId: filters.account } : {}),
              ...(filters.dueBefore ? { dueBefore: filters.dueBefore } : {}),
              ...(filters.overdue === 'any' ? {} : { overdue: filters.overdue === 'overdue' }),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const pages = tasks.data ? Math.max(1, Math.ceil(tasks.data.total / PAGE_SIZE)) : 1;
  const reset = () => setPage(1);

  return (
    <Page title="Tasks">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label="Owner"
          placeholder="Any owner"
          value={owner}
          onChange={(e) => (setOwner(e.currentTarget.value), reset())}
          error={fieldError(tasks.error, 'ownerId')}
          w={{ base: '100%', xs: 180 }}
        />
        <TextInput
          label="Account"
          placeholder="Any account"
          value={account}
          onChange={(e) => (setAccount(e.currentTarget.value), reset())}
          error={fieldError(tasks.error, 'accountId')}
          w={{ base: '100%', xs: 180 }}
        />
        <TextInput
          type="date"
          label="Due before"
          value={dueBefore}
          onChange={(e) => (setDueBefore(e.currentTarget.value), reset())}
          error={fieldError(tasks.error, 'dueBefore')}
          w={{ base: '100%', xs: 180 }}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="overdue-label">
            Overdue
          </Text>
          <SegmentedControl
            aria-labelledby="overdue-label"
            value={overdue}
            onChange={(v) => (setOverdue(v as Overdue), reset())}
            data={[
              { value: 'any', label: 'All' },
              { value: 'overdue', label: 'Overdue' },
              { value: 'not-overdue', label: 'Not overdue' },
            ]}
          />
        </Stack>
      </Group>
      {tasks.isPending && <Loading what="tasks" />}
      <ErrorAlert error={tasks.error} />
      {tasks.data && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {tasks.data.total} open item{tasks.data.total === 1 ? '' : 's'}
          </Text>
          <DataTable label="Open tasks and activities" minWidth={720} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Due</Table.Th>
                <Table.Th>Task or activity</Table.Th>
                <Table.Th>Account</Table.Th>
                <Table.Th>Cycle · stage, or play</Table.Th>
                <Table.Th>Owner</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tasks.data.items.map((t) => (
                <Table.Tr key={`${t.cycleId ?? t.playId ?? ''}/${t.activityId ?? ''}/${t.taskId ?? ''}`}>
                  <Table.Td>
                    {formatDay(t.dueDate)}
                    {t.overdue && (
                      <Badge color="red" variant="light" size="sm" ml="xs">
                        overdue
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {t.taskName ?? t.activityName}
                    {t.taskName && t.activityName && (
                      <Text size="xs" c="dimmed">
                        {t.activityName}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/accounts/${encodeURIComponent(t.accountId)}`}>
                      {t.accountId}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {t.kind === 'play-task' ? (
                      <>
                        <Badge variant="light" size="sm" mr="xs">
                          play
                        </Badge>
                        {t.playName}
                      </>
                    ) : (
                      `${t.cycleName ?? ''} · ${t.stageName ?? ''}`
                    )}
                  </Table.Td>
                  <Table.Td>{t.ownerId ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </DataTable>
          <Pager total={pages} value={page} onChange={setPage} label="Task pages" />
        </>
      )}
    </Page>
  );
}
