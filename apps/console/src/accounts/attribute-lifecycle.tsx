import { Badge, Box, Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { Attribute, LifecycleView, SlaView } from '../api/schemas';
import { useCanWrite } from '../session/session-context';
import { DataTable } from '../ui/data-table';
import { ErrorAlert } from '../ui/error-alert';
import { fieldError } from '../ui/field-error';
import { formatDays, formatInstant, localInputToIso } from '../ui/format';
import { Loading } from '../ui/loading';
import { StageName } from '../ui/stage-swatch';
import { accountKeys, useStatusHistory } from './account-queries';

/** One attribute of one account: where it is, its stages with "Days in" (L9), the move form and the history (L11). */
export function AttributeLifecycle({
  accountId,
  attribute,
  state,
  canceled,
}: {
  accountId: string;
  attribute: Attribute;
  state: LifecycleView | null;
  canceled: boolean;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`lifecycle-${attribute.key}`} data-testid={`lifecycle-${attribute.key}`}>
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h3" id={`lifecycle-${attribute.key}`}>
            {attribute.name}
          </Title>
          <Group gap="xs">
            <Current state={state} attribute={attribute} />
            {state?.stage && <SlaBadge sla={state.sla} />}
          </Group>
        </Group>
        {state && state.cycle > 0 && (
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            <Figure label="Cycle" value={String(state.cycle)} />
            <Figure label="Days in the attribute (this cycle)" value={formatDays(state.daysInAttribute)} testId="days-in-attribute" />
            <Figure label="Completed cycles" value={String(state.completedCycles)} />
            <Figure label="In this stage since" value={formatInstant(state.stageEnteredAt)} />
          </SimpleGrid>
        )}
        <StageTimeline attribute={attribute} state={state} canceled={canceled} />
        <SetStatusForm accountId={accountId} attribute={attribute} state={state} />
        <History accountId={accountId} attribute={attribute} />
      </Stack>
    </Paper>
  );
}

function Current({ state, attribute }: { state: LifecycleView | null; attribute: Attribute }) {
  if (!state?.stage)
    return (
      <Badge variant="outline" color="gray">
        None
      </Badge>
    );
  const stage = attribute.stages.find((s) => s.id === state.stage!.id);
  return (
    <Group gap="xs">
      <StageName name={state.stage.name} color={stage?.color} />
      {state.completed && (
        <Badge color="green" variant="light">
          cycle completed
        </Badge>
      )}
    </Group>
  );
}

const SLA_LOOK: Record<SlaView['status'], { color: string; label: string }> = {
  'on-track': { color: 'green', label: 'on track' },
  'at-risk': { color: 'orange', label: 'at risk' },
  overdue: { color: 'red', label: 'overdue' },
  none: { color: 'gray', label: 'no SLA' },
};

/** B3: the SLA status of the current stage, with what it expects and when it is due. */
function SlaBadge({ sla }: { sla: SlaView }) {
  const look = SLA_LOOK[sla.status];
  const unit = sla.unit === 'business-days' ? 'business days' : 'days';
  const detail = sla.status === 'none' || sla.expected === null ? '' : ` · ${sla.expected} ${unit}, due ${formatInstant(sla.dueAt)}`;
  return (
    <Group gap={6} data-testid="sla-status">
      <Badge color={look.color} variant="light">
        SLA {look.label}
      </Badge>
      {detail && (
        <Text size="xs" c="dimmed">
          {detail.slice(3)}
        </Text>
      )}
    </Group>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/** The stages in order; each with its days in this cycle and over all cycles; the current one marked. */
function StageTimeline({ attribute, state, canceled }: { attribute: Attribute; state: LifecycleView | null; canceled: boolean }) {
  const counters = new Map((state?.stages ?? []).map((s) => [s.id, s]));
  return (
    <Box
      component="ol"
      aria-label={`Stages of ${attribute.name} with days in each`}
      p={0}
      m={0}
      style={{ listStyle: 'none', display: 'flex', flexWrap: 'wrap', gap: 8 }}
    >
      {attribute.stages.map((stage) => {
        const current = state?.stage?.id === stage.id;
        const c = counters.get(stage.id);
        return (
          <Paper
            key={stage.id}
            component="li"
            withBorder
            p="xs"
            miw={140}
            style={{ flex: '1 1 140px', borderWidth: current ? 2 : 1, borderColor: current ? 'var(--mantine-color-blue-8)' : undefined }}
            aria-current={current ? 'step' : undefined}
            data-testid={`timeline-${stage.name}`}
          >
            <StageName name={stage.name} color={stage.color} dimmed={stage.disabled} />
            <Text size="xs" c="dimmed" mt={4}>
              {stage.endStage ? 'End stage' : `Stage ${stage.order + 1}`}
              {stage.disabled ? ' · disabled' : ''}
              {current ? ' · current' : ''}
            </Text>
            <Text size="sm" mt={4}>
              This cycle: <strong data-testid="days">{canceled ? 'hidden' : formatDays(c?.days ?? (state ? 0 : null))}</strong>
            </Text>
            <Text size="sm">
              All cycles: <strong data-testid="total-days">{canceled ? 'hidden' : formatDays(c?.totalDays ?? (state ? 0 : null))}</strong>
            </Text>
          </Paper>
        );
      })}
    </Box>
  );
}

const CLEAR = '__clear__';

/** L1–L11 through the REST path: a stage (by id), or clearing the value, now or backdated. */
function SetStatusForm({ accountId, attribute, state }: { accountId: string; attribute: Attribute; state: LifecycleView | null }) {
  const canWrite = useCanWrite();
  const queryClient = useQueryClient();
  const [stage, setStage] = useState<string | null>(null);
  const [backdate, setBackdate] = useState(false);
  const [at, setAt] = useState('');
  const move = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/v1/accounts/{accountId}/statuses/{attributeKey}', {
          params: { path: { accountId, attributeKey: attribute.key } },
          body: { stage: stage === CLEAR ? null : stage, ...(backdate && localInputToIso(at) ? { at: localInputToIso(at)! } : {}) },
        }),
      ),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: accountKeys.view(accountId) }),
        queryClient.invalidateQueries({ queryKey: accountKeys.history(accountId, attribute.key) }),
        queryClient.invalidateQueries({ queryKey: ['accounts'] }),
      ]);
    },
  });
  const options = [
    ...attribute.stages.map((s) => ({
      value: s.id,
      label: `${s.name}${s.disabled ? ' (disabled)' : ''}${s.endStage ? ' · end stage' : ''}`,
      // A5: a disabled stage is offered only to an account already in it (the server decides anyway).
      disabled: s.disabled && state?.stage?.id !== s.id,
    })),
    { value: CLEAR, label: 'None: clear the value' },
  ];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    move.mutate();
  };
  const outcome = move.data;
  return (
    <form onSubmit={submit} noValidate aria-label={`Move in ${attribute.name}`}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={`New ${attribute.name} stage`}
          data={options}
          value={stage}
          onChange={setStage}
          disabled={!canWrite}
          error={fieldError(move.error, 'stage')}
          w={{ base: '100%', xs: 240 }}
        />
        <Checkbox label="Backdate" checked={backdate} onChange={(e) => setBackdate(e.currentTarget.checked)} disabled={!canWrite} mb={8} />
        {backdate && (
          <TextInput
            type="datetime-local"
            label="Effective time"
            description="When the change happened (L11)"
            value={at}
            onChange={(e) => setAt(e.currentTarget.value)}
            disabled={!canWrite}
            error={fieldError(move.error, 'at')}
            w={{ base: '100%', xs: 230 }}
          />
        )}
        <Button type="submit" disabled={!canWrite || stage === null} loading={move.isPending}>
          {stage === CLEAR ? 'Clear value' : 'Set stage'}
        </Button>
      </Group>
      {move.error && !fieldError(move.error, 'stage', 'at') && (
        <Box mt="sm">
          <ErrorAlert error={move.error} title="The change was refused" />
        </Box>
      )}
      {outcome && (
        <Text size="sm" mt="xs" role="status" data-testid="move-outcome">
          {outcome.outcome === 'applied'
            ? `Applied${outcome.recomputed ? ': placed at its time and the counters recomputed (L11)' : ''}.`
            : outcome.outcome === 'noop'
              ? 'Nothing changed: the account is already in that stage (L8).'
              : 'Already applied before (same request).'}
        </Text>
      )}
    </form>
  );
}

function History({ accountId, attribute }: { accountId: string; attribute: Attribute }) {
  const history = useStatusHistory(accountId, attribute.key);
  const colorOf = (id: string | undefined) => attribute.stages.find((s) => s.id === id)?.color;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        History
      </Title>
      {history.isPending && <Loading what="history" />}
      <ErrorAlert error={history.error} />
      {history.data && history.data.entries.length === 0 && (
        <Text size="sm" c="dimmed">
          No change yet.
        </Text>
      )}
      {history.data && history.data.entries.length > 0 && (
        <DataTable label={`History of ${attribute.name}`} minWidth={640} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Effective</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th>To</Table.Th>
              <Table.Th>Source</Table.Th>
              <Table.Th>Actor</Table.Th>
              <Table.Th>Cause</Table.Th>
              <Table.Th>Cycle</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...history.data.entries].reverse().map((e) => (
              <Table.Tr key={e.changeId} style={e.effective ? undefined : { opacity: 0.75 }}>
                <Table.Td title={`Recorded ${formatInstant(e.recordedAt)}`}>{formatInstant(e.at)}</Table.Td>
                <Table.Td>{e.from ? <StageName name={e.from.name} color={colorOf(e.from.id)} /> : 'None'}</Table.Td>
                <Table.Td>{e.to ? <StageName name={e.to.name} color={colorOf(e.to.id)} /> : 'None'}</Table.Td>
                <Table.Td>{e.source.toUpperCase()}</Table.Td>
                <Table.Td>{e.actor ?? '—'}</Table.Td>
                <Table.Td>{e.effective ? (e.cause ?? '—') : 'no transition'}</Table.Td>
                <Table.Td>{e.cycle ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      )}
    </Stack>
  );
}
