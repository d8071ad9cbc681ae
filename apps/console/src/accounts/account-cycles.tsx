import { Badge, Button, Checkbox, Group, List, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import type { AccountCycle, CycleActivity, CycleTask } from '../api/schemas';
import { useCanWrite } from '../session/session-context';
import { ErrorAlert } from '../ui/error-alert';
import { formatDay, formatDays } from '../ui/format';
import { Loading } from '../ui/loading';
import { accountKeys, useAccountCycles } from './account-queries';

/** C4–C8 for one account: its cycles with tasks, due dates and completion; assign one; make one primary. */
export function AccountCyclesPanel({ accountId }: { accountId: string }) {
  const cycles = useAccountCycles(accountId);
  return (
    <Stack gap="md">
      {cycles.isPending && <Loading what="SuccessCycles" />}
      <ErrorAlert error={cycles.error} />
      {cycles.data?.cycles.length === 0 && <Text c="dimmed">No SuccessCycle yet.</Text>}
      {cycles.data?.cycles.map((cycle) => (
        <CycleCard key={cycle.cycleId} cycle={cycle} />
      ))}
      <AssignCycle accountId={accountId} />
    </Stack>
  );
}

function useCycleWrite<T>(accountId: string, write: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: accountKeys.cycles(accountId) }),
        queryClient.invalidateQueries({ queryKey: accountKeys.view(accountId) }),
        queryClient.invalidateQueries({ queryKey: ['tasks'] }),
      ]);
    },
  });
}

function CycleCard({ cycle }: { cycle: AccountCycle }) {
  const canWrite = useCanWrite();
  const path = { accountId: cycle.accountId, cycleId: cycle.cycleId };
  const makePrimary = useCycleWrite(cycle.accountId, () =>
    unwrap(api.PATCH('/v1/accounts/{accountId}/cycles/{cycleId}', { params: { path }, body: { primary: true } })),
  );
  const complete = useCycleWrite(cycle.accountId, (item: { kind: 'task' | 'activity'; id: string }) =>
    item.kind === 'task'
      ? unwrap(
          api.POST('/v1/accounts/{accountId}/cycles/{cycleId}/tasks/{taskId}/complete', {
            params: { path: { ...path, taskId: item.id } },
            body: {},
          }),
        )
      : unwrap(
          api.POST('/v1/accounts/{accountId}/cycles/{cycleId}/activities/{activityId}/complete', {
            params: { path: { ...path, activityId: item.id } },
            body: {},
          }),
        ),
  );
  const active = cycle.status === 'active';
  return (
    <Paper withBorder p="md" component="section" aria-label={`Cycle ${cycle.name}`} data-testid={`cycle-${cycle.templateId}`}>
      <Group justify="space-between" wrap="wrap" mb="xs">
        <Title order={2} size="h4">
          {cycle.name}
        </Title>
        <Group gap="xs">
          {cycle.primary && <Badge variant="light">primary</Badge>}
          <Badge variant="light" color={active ? 'blue' : 'green'}>
            {cycle.status}
          </Badge>
          {active && !cycle.primary && (
            <Button
              size="compact-sm"
              variant="default"
              disabled={!canWrite}
              loading={makePrimary.isPending}
              onClick={() => makePrimary.mutate(undefined)}
            >
              Make primary
            </Button>
          )}
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        Started {formatDay(cycle.startDate)} · template version {cycle.templateVersion}
        {cycle.currentStage ? ` · current stage ${cycle.currentStage.name}, ${formatDays(cycle.currentStage.daysIn)} in it` : ''}
        {cycle.completedAt ? ` · completed ${formatDay(cycle.completedAt)}` : ''}
      </Text>
      <ErrorAlert error={makePrimary.error ?? complete.error} />
      <List listStyleType="none" spacing="xs" mt="sm" withPadding={false}>
        {cycle.stages.map((stage) => (
          <List.Item key={stage.id}>
            <Text fw={600} size="sm">
              {stage.name} <ItemDates item={stage} />
            </Text>
            <List listStyleType="none" withPadding spacing={4}>
              {stage.activities.map((activity) => (
                <ActivityItem
                  key={activity.id}
                  activity={activity}
                  open={active}
                  busy={complete.isPending}
                  onComplete={(kind, id) => complete.mutate({ kind, id })}
                />
              ))}
            </List>
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}

function ActivityItem({
  activity,
  open,
  busy,
  onComplete,
}: {
  activity: CycleActivity;
  open: boolean;
  busy: boolean;
  onComplete: (kind: 'task' | 'activity', id: string) => void;
}) {
  const canWrite = useCanWrite();
  return (
    <List.Item>
      {activity.tasks.length === 0 ? (
        <Checkbox
          label={
            <>
              {activity.name} <ItemDates item={activity} />
            </>
          }
          checked={activity.completedAt !== null}
          disabled={!canWrite || !open || busy || activity.completedAt !== null}
          onChange={() => onComplete('activity', activity.id)}
        />
      ) : (
        <Text size="sm">
          {activity.name} <ItemDates item={activity} />
        </Text>
      )}
      <List listStyleType="none" withPadding spacing={4}>
        {activity.tasks.map((task) => (
          <List.Item key={task.id}>
            <Checkbox
              label={
                <>
                  {task.name} <ItemDates item={task} />
                </>
              }
              checked={task.completedAt !== null}
              disabled={!canWrite || !open || busy || task.completedAt !== null}
              onChange={() => onComplete('task', task.id)}
              data-testid={`task-${task.id}`}
            />
          </List.Item>
        ))}
      </List>
    </List.Item>
  );
}

function ItemDates({
  item,
}: {
  item: { dueDate: string | null; dueDateReason: string | null; completedAt: string | null; overdue: boolean } | CycleTask;
}) {
  return (
    <Text span size="xs" c="dimmed">
      {item.completedAt
        ? `· done ${formatDay(item.completedAt)}`
        : item.dueDate
          ? `· due ${formatDay(item.dueDate)}`
          : item.dueDateReason
            ? `· no due date: ${item.dueDateReason}`
            : ''}
      {'ownerId' in item && item.ownerId ? ` · ${item.ownerId}` : ''}
      {item.overdue && (
        <Badge color="red" variant="light" size="xs" ml={6}>
          overdue
        </Badge>
      )}
    </Text>
  );
}

/** C7: the templates this account may start; C4: due dates are computed at assignment. */
function AssignCycle({ accountId }: { accountId: string }) {
  const canWrite = useCanWrite();
  const [templateId, setTemplateId] = useState<string | null>(null);
  const available = useQuery({
    queryKey: ['account', accountId, 'available-templates'],
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/available-cycle-templates', { params: { path: { accountId } } })),
  });
  const queryClient = useQueryClient();
  const assign = useCycleWrite(accountId, () =>
    unwrap(api.POST('/v1/accounts/{accountId}/cycles', { params: { path: { accountId } }, body: { templateId: templateId! } })).then(() => {
      setTemplateId(null);
      return queryClient.invalidateQueries({ queryKey: ['account', accountId, 'available-templates'] });
    }),
  );
  return (
    <Paper withBorder p="md" component="section" aria-label="Assign a SuccessCycle">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="Assign a SuccessCycle"
          placeholder={available.data?.items.length === 0 ? 'No template available' : 'Choose a template'}
          data={(available.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
          value={templateId}
          onChange={setTemplateId}
          disabled={!canWrite}
          w={{ base: '100%', xs: 280 }}
        />
        <Button disabled={!canWrite || templateId === null} loading={assign.isPending} onClick={() => assign.mutate(undefined)}>
          Assign
        </Button>
      </Group>
      <ErrorAlert error={available.error ?? assign.error} />
    </Paper>
  );
}
