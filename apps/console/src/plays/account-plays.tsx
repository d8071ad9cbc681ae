import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { PlayFiring } from '../api/schemas';
import { useCanWrite } from '../session/session-context';
import { DataTable } from '../ui/data-table';
import { ErrorAlert } from '../ui/error-alert';
import { formatDay, formatInstant } from '../ui/format';
import { Loading } from '../ui/loading';
import { describeOutcome } from './play-draft';
import { playKeys, useAccountFirings } from './play-queries';

/** P1/P2 on the account: the one-off tasks its plays gave the owner (open ones can be marked done, once), then every firing. */
export function AccountPlays({ accountId }: { accountId: string }) {
  const firings = useAccountFirings(accountId);
  const tasks = (firings.data?.items ?? []).filter((f) => f.action.outcome === 'task-created');
  return (
    <Stack gap="lg">
      {firings.isPending && <Loading what="plays" />}
      <ErrorAlert error={firings.error} />
      {firings.data && (
        <>
          <Stack gap="xs" component="section" aria-labelledby="play-tasks-title">
            <Title order={2} size="h4" id="play-tasks-title">
              Play tasks
            </Title>
            {tasks.length === 0 ? (
              <Text size="sm" c="dimmed">
                No play gave this account a task.
              </Text>
            ) : (
              <DataTable label="Play tasks" minWidth={640} striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Task</Table.Th>
                    <Table.Th>Due</Table.Th>
                    <Table.Th>Owner</Table.Th>
                    <Table.Th>Done</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {tasks.map((f) => (
                    <PlayTaskRow key={f.id} accountId={accountId} firing={f} />
                  ))}
                </Table.Tbody>
              </DataTable>
            )}
          </Stack>
          <Stack gap="xs" component="section" aria-labelledby="play-firings-title">
            <Title order={2} size="h4" id="play-firings-title">
              Plays that fired
            </Title>
            {firings.data.items.length === 0 ? (
              <Text size="sm" c="dimmed">
                No play fired for this account.
              </Text>
            ) : (
              <DataTable label="Plays that fired for this account" minWidth={640} striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Fired</Table.Th>
                    <Table.Th>Play</Table.Th>
                    <Table.Th>Occurrence</Table.Th>
                    <Table.Th>Outcome</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {firings.data.items.map((f) => (
                    <Table.Tr key={f.id}>
                      <Table.Td>{formatInstant(f.firedAt)}</Table.Td>
                      <Table.Td>{f.playName}</Table.Td>
                      <Table.Td>{f.trigger.type}</Table.Td>
                      <Table.Td>{describeOutcome(f)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </DataTable>
            )}
          </Stack>
        </>
      )}
    </Stack>
  );
}

function PlayTaskRow({ accountId, firing }: { accountId: string; firing: PlayFiring }) {
  const canWrite = useCanWrite();
  const queryClient = useQueryClient();
  const complete = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/accounts/{accountId}/play-tasks/{taskId}/complete', { params: { path: { accountId, taskId: firing.id } }, body: {} }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: playKeys.account(accountId) }),
  });
  const action = firing.action;
  const overdue = !action.completedAt && action.dueDate !== undefined && action.dueDate < new Date().toISOString().slice(0, 10);
  return (
    <Table.Tr data-testid={`play-task-${action.taskName ?? firing.id}`}>
      <Table.Td>
        {action.taskName}
        <Text size="xs" c="dimmed">
          {firing.playName}
        </Text>
      </Table.Td>
      <Table.Td>
        {formatDay(action.dueDate)}
        {overdue && (
          <Badge color="red" variant="light" size="sm" ml="xs">
            overdue
          </Badge>
        )}
      </Table.Td>
      <Table.Td>{action.ownerId ?? '—'}</Table.Td>
      <Table.Td>
        {action.completedAt ? (
          <Text size="sm" data-testid="task-done">
            done {formatInstant(action.completedAt)}
          </Text>
        ) : (
          <Group gap="xs">
            <Button size="compact-sm" variant="default" disabled={!canWrite} loading={complete.isPending} onClick={() => complete.mutate()}>
              Mark done
            </Button>
          </Group>
        )}
        <ErrorAlert error={complete.error} />
      </Table.Td>
    </Table.Tr>
  );
}
