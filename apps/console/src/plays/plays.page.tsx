import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import type { Play } from '../api/schemas';
import { useAttributes } from '../attributes/attribute-queries';
import { useTemplates } from '../cycles/cycle-queries';
import { useCanWrite } from '../session/session-context';
import { DataTable } from '../ui/data-table';
import { ErrorAlert } from '../ui/error-alert';
import { fieldError, onlyAbout } from '../ui/field-error';
import { formatInstant } from '../ui/format';
import { Loading } from '../ui/loading';
import { Page } from '../ui/page';
import { Pager } from '../ui/pager';
import { ReadOnlyNotice } from '../ui/read-only-notice';
import {
  ACTION_TYPES,
  describeAction,
  describeOutcome,
  describeTrigger,
  newPlayDraft,
  playBody,
  TRIGGER_TYPES,
  type ActionType,
  type PlayDraft,
  type PlayNames,
  type TriggerType,
} from './play-draft';
import { playKeys, usePlayFirings, usePlays, useSegmentChoices } from './play-queries';

const FIRINGS_PAGE_SIZE = 20;
const ANY_STAGE = '__any__';
/** The fields the form shows the server's messages under; anything else is an alert below it. */
const FORM_FIELDS = [
  'name',
  'trigger.segmentId',
  'trigger.attributeKey',
  'trigger.stageId',
  'action.templateId',
  'action.taskName',
  'action.dueInBusinessDays',
] as const;

/** P1/P2: plays — list, pause and resume, define one; the firings of the one selected. */
export function PlaysPage() {
  const plays = usePlays();
  const attributes = useAttributes();
  const segments = useSegmentChoices();
  const templates = useTemplates();
  const [selected, setSelected] = useState<string | null>(null);

  const names = useMemo<PlayNames>(
    () => ({
      attributes: new Map(
        (attributes.data ?? []).map((a) => [a.key, { name: a.name, stages: new Map(a.stages.map((s) => [s.id, s.name])) }]),
      ),
      segments: new Map((segments.data?.items ?? []).map((s) => [s.id, s.name])),
      templates: new Map((templates.data?.items ?? []).map((t) => [t.id, t.name])),
    }),
    [attributes.data, segments.data, templates.data],
  );
  const selectedPlay = plays.data?.items.find((p) => p.id === selected);

  return (
    <Page title="Plays">
      <ReadOnlyNotice />
      <Text size="sm" c="dimmed">
        When a stage SLA of an account is at risk or breached, or an account enters a segment, a play assigns a SuccessCycle or gives the
        account owner a task — once per occurrence.
      </Text>
      {plays.isPending && <Loading what="plays" />}
      <ErrorAlert error={plays.error} />
      {plays.data && plays.data.items.length === 0 && <Text c="dimmed">No play yet.</Text>}
      {plays.data && plays.data.items.length > 0 && (
        <DataTable label="Plays" minWidth={760} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Play</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Then</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plays.data.items.map((play) => (
              <PlayRow key={play.id} play={play} names={names} selected={play.id === selected} onSelect={() => setSelected(play.id)} />
            ))}
          </Table.Tbody>
        </DataTable>
      )}
      {selectedPlay && <Firings play={selectedPlay} />}
      <NewPlay names={names} attributes={attributes.data ?? []} />
    </Page>
  );
}

function PlayRow({ play, names, selected, onSelect }: { play: Play; names: PlayNames; selected: boolean; onSelect: () => void }) {
  const canWrite = useCanWrite();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => unwrap(api.PATCH('/v1/plays/{playId}', { params: { path: { playId: play.id } }, body: { paused: !play.paused } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: playKeys.all }),
  });
  return (
    <Table.Tr data-testid={`play-${play.name}`} aria-selected={selected}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {play.name}
        </Text>
        <Text size="xs" c="dimmed">
          since {formatInstant(play.createdAt)}
        </Text>
      </Table.Td>
      <Table.Td>{describeTrigger(play.trigger, names)}</Table.Td>
      <Table.Td>{describeAction(play.action, names)}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Badge color={play.paused ? 'gray' : 'green'} variant="light" data-testid="play-state" styles={{ label: { overflow: 'visible' } }}>
          {play.paused ? 'paused' : 'active'}
        </Badge>
        <ErrorAlert error={toggle.error} />
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button size="compact-sm" variant="default" disabled={!canWrite} loading={toggle.isPending} onClick={() => toggle.mutate()}>
            {play.paused ? 'Resume' : 'Pause'}
            <VisuallyHidden> {play.name}</VisuallyHidden>
          </Button>
          <Button size="compact-sm" variant={selected ? 'light' : 'subtle'} onClick={onSelect} aria-pressed={selected}>
            Firings<VisuallyHidden> of {play.name}</VisuallyHidden>
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** P2: the firings of one play, newest first: the account, the occurrence and what the play did. */
function Firings({ play }: { play: Play }) {
  const [page, setPage] = useState(1);
  const firings = usePlayFirings(play.id, page, FIRINGS_PAGE_SIZE);
  const pages = firings.data ? Math.max(1, Math.ceil(firings.data.total / FIRINGS_PAGE_SIZE)) : 1;
  return (
    <Stack gap="xs" component="section" aria-labelledby="firings-title" data-testid="play-firings">
      <Title order={2} size="h4" id="firings-title">
        Firings of “{play.name}”
      </Title>
      {firings.isPending && <Loading what="firings" />}
      <ErrorAlert error={firings.error} />
      {firings.data && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="firings-total">
            {firings.data.total} firing{firings.data.total === 1 ? '' : 's'}
          </Text>
          {firings.data.items.length > 0 && (
            <DataTable label={`Firings of ${play.name}`} minWidth={680} striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Fired</Table.Th>
                  <Table.Th>Account</Table.Th>
                  <Table.Th>Occurrence</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {firings.data.items.map((f) => (
                  <Table.Tr key={f.id}>
                    <Table.Td>{formatInstant(f.firedAt)}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/accounts/${encodeURIComponent(f.accountId)}`}>
                        {f.accountId}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {f.trigger.type} at {formatInstant(f.trigger.occurredAt)}
                    </Table.Td>
                    <Table.Td>{describeOutcome(f)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </DataTable>
          )}
          {pages > 1 && <Pager total={pages} value={page} onChange={setPage} label="Firing pages" />}
        </>
      )}
    </Stack>
  );
}

/** P1: define a play; the service checks what it names (422 lists every problem, naming what exists). */
function NewPlay({ names, attributes }: { names: PlayNames; attributes: NonNullable<ReturnType<typeof useAttributes>['data']> }) {
  const canWrite = useCanWrite();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<PlayDraft>(newPlayDraft);
  const set = (patch: Partial<PlayDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/plays', { body: playBody(draft) })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: playKeys.all });
      setDraft(newPlayDraft());
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const attribute = attributes.find((a) => a.key === draft.attributeKey);
  const sla = draft.triggerType !== 'segment.entered';

  return (
    <form onSubmit={submit} noValidate>
      <Fieldset legend="New play" disabled={!canWrite}>
        <Stack gap="sm">
          <TextInput
            label="Play name"
            value={draft.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            error={fieldError(create.error, 'name')}
            w={{ base: '100%', xs: 360 }}
          />
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Select
              label="When"
              data={TRIGGER_TYPES.map((t) => ({ value: t.value, label: t.label }))}
              value={draft.triggerType}
              onChange={(v) => set({ triggerType: (v ?? 'stage.sla-breached') as TriggerType })}
              allowDeselect={false}
              w={{ base: '100%', xs: 300 }}
            />
            {sla ? (
              <>
                <Select
                  label="Attribute"
                  placeholder="Pick an attribute"
                  data={attributes.map((a) => ({ value: a.key, label: a.name }))}
                  value={draft.attributeKey || null}
                  onChange={(v) => set({ attributeKey: v ?? '', stageId: '' })}
                  error={fieldError(create.error, 'trigger.attributeKey')}
                  w={{ base: '100%', xs: 220 }}
                />
                <Select
                  label="Stage"
                  data={[
                    { value: ANY_STAGE, label: 'Any stage' },
                    ...(attribute?.stages ?? []).filter((s) => !s.endStage).map((s) => ({ value: s.id, label: s.name })),
                  ]}
                  value={draft.stageId || ANY_STAGE}
                  onChange={(v) => set({ stageId: v === null || v === ANY_STAGE ? '' : v })}
                  allowDeselect={false}
                  error={fieldError(create.error, 'trigger.stageId')}
                  w={{ base: '100%', xs: 200 }}
                />
              </>
            ) : (
              <Select
                label="Segment"
                placeholder="Pick a saved segment"
                data={[...names.segments].map(([id, name]) => ({ value: id, label: name }))}
                value={draft.segmentId || null}
                onChange={(v) => set({ segmentId: v ?? '' })}
                error={fieldError(create.error, 'trigger.segmentId')}
                w={{ base: '100%', xs: 280 }}
              />
            )}
          </Group>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Select
              label="Then"
              data={ACTION_TYPES.map((a) => ({ value: a.value, label: a.label }))}
              value={draft.actionType}
              onChange={(v) => set({ actionType: (v ?? 'create-task') as ActionType })}
              allowDeselect={false}
              w={{ base: '100%', xs: 300 }}
            />
            {draft.actionType === 'create-task' ? (
              <>
                <TextInput
                  label="Task"
                  value={draft.taskName}
                  onChange={(e) => set({ taskName: e.currentTarget.value })}
                  error={fieldError(create.error, 'action.taskName')}
                  w={{ base: '100%', xs: 260 }}
                />
                <NumberInput
                  label="Due in business days"
                  min={0}
                  max={365}
                  allowDecimal={false}
                  value={draft.dueInBusinessDays}
                  onChange={(v) => set({ dueInBusinessDays: typeof v === 'number' ? v : '' })}
                  error={fieldError(create.error, 'action.dueInBusinessDays')}
                  w={{ base: '100%', xs: 170 }}
                />
              </>
            ) : (
              <Select
                label="Template"
                placeholder="Pick a template"
                data={[...names.templates].map(([id, name]) => ({ value: id, label: name }))}
                value={draft.templateId || null}
                onChange={(v) => set({ templateId: v ?? '' })}
                error={fieldError(create.error, 'action.templateId')}
                w={{ base: '100%', xs: 260 }}
              />
            )}
          </Group>
          <Checkbox label="Start paused" checked={draft.paused} onChange={(e) => set({ paused: e.currentTarget.checked })} />
          <Group>
            <Button type="submit" loading={create.isPending}>
              Create play
            </Button>
          </Group>
          {create.error && !onlyAbout(create.error, FORM_FIELDS) && <ErrorAlert error={create.error} />}
        </Stack>
      </Fieldset>
    </form>
  );
}
