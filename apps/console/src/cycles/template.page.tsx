import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Fieldset,
  Grid,
  Group,
  List,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { CycleTemplate, DaysDue, DaysDueBase, TemplateBody, TemplateEditPreview } from '../api/schemas';
import { useCanWrite } from '../session/session-context';
import { ErrorAlert } from '../ui/error-alert';
import { fieldError } from '../ui/field-error';
import { Loading } from '../ui/loading';
import { Page } from '../ui/page';
import { ReadOnlyNotice } from '../ui/read-only-notice';
import { cycleKeys, useTemplate, useTemplates } from './cycle-queries';
import { JobProgress } from './job-progress';
import {
  DAYS_DUE_BASES,
  describeDaysDue,
  draftOf,
  moved,
  newActivity,
  newStage,
  newTask,
  templateBody,
  type DraftActivity,
  type DraftItem,
  type DraftStage,
  type DraftTask,
  type TemplateDraft,
} from './template-draft';

/** C1, C10: edit a template's tree, preview what the edit does to running cycles, then save it. */
export function TemplatePage() {
  const { templateId = '' } = useParams();
  const template = useTemplate(templateId);
  return (
    <Page
      title={template.data?.name ?? 'Template'}
      actions={
        template.data?.isDefault ? (
          <Badge variant="light" size="lg">
            global default
          </Badge>
        ) : null
      }
    >
      <ReadOnlyNotice />
      {template.isPending && <Loading what="the template" />}
      <ErrorAlert error={template.error} />
      {template.data && <TemplateEditor key={template.data.id} template={template.data} />}
    </Page>
  );
}

function TemplateEditor({ template }: { template: CycleTemplate }) {
  const canWrite = useCanWrite();
  const queryClient = useQueryClient();
  const templates = useTemplates();
  const [draft, setDraft] = useState<TemplateDraft>(() => draftOf(template));
  const [savedJob, setSavedJob] = useState<string | null>(null);
  const body = useMemo(() => templateBody(draft), [draft]);
  const bodyJson = JSON.stringify(body);
  const path = { templateId: template.id };

  const preview = useMutation({
    // The answer is kept with the body it describes: an edit after it makes it stale.
    mutationFn: (sent: TemplateBody) =>
      unwrap(api.POST('/v1/cycle-templates/{templateId}/preview', { params: { path }, body: sent })).then((result) => ({
        json: JSON.stringify(sent),
        result,
      })),
  });
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/v1/cycle-templates/{templateId}', { params: { path }, body })),
    onSuccess: async (edit) => {
      setSavedJob(edit.propagationJobId);
      // Items added by this edit now have ids: the next edit must name them to keep them (C10).
      setDraft(draftOf(edit.template));
      queryClient.setQueryData(cycleKeys.template(template.id), edit.template);
      await queryClient.invalidateQueries({ queryKey: cycleKeys.templates, exact: true });
    },
  });
  const previewed = preview.data?.json === bodyJson ? preview.data.result : null;
  const error = save.error ?? preview.error;
  // Problems with named fields are shown on those fields; anything else in one alert.
  const onFields = error instanceof ApiError && Object.keys(error.fields).length > 0;
  const set = (patch: Partial<TemplateDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setStage = (i: number, stage: DraftStage) => set({ stages: draft.stages.map((s, j) => (j === i ? stage : s)) });

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Stack gap="md">
          <Fieldset legend="Template" disabled={!canWrite}>
            <Stack gap="sm">
              <TextInput
                label="Template name"
                value={draft.name}
                onChange={(e) => set({ name: e.currentTarget.value })}
                error={fieldError(error, 'name')}
              />
              <Textarea
                label="Description"
                value={draft.description}
                onChange={(e) => set({ description: e.currentTarget.value })}
                autosize
                minRows={1}
                error={fieldError(error, 'description')}
              />
              <Select
                label="Next template"
                description="Started when a cycle of this template completes (C8)"
                placeholder="None"
                clearable
                data={(templates.data?.items ?? []).filter((t) => t.id !== template.id).map((t) => ({ value: t.id, label: t.name }))}
                value={draft.nextTemplateId}
                onChange={(v) => set({ nextTemplateId: v })}
                error={fieldError(error, 'nextTemplateId')}
              />
            </Stack>
          </Fieldset>
          <Fieldset legend="Stages → activities → tasks" disabled={!canWrite}>
            <Stack gap="sm">
              {draft.stages.length === 0 && <Text c="dimmed">No stage yet.</Text>}
              {draft.stages.map((stage, si) => (
                <ItemBox
                  key={stage.key}
                  level="Stage"
                  item={stage}
                  path={`stages[${si}]`}
                  error={error}
                  onChange={(s) => setStage(si, s as DraftStage)}
                  onMove={(by) => set({ stages: moved(draft.stages, si, by) })}
                  onRemove={() => set({ stages: draft.stages.filter((_, j) => j !== si) })}
                  first={si === 0}
                  last={si === draft.stages.length - 1}
                >
                  {stage.activities.map((activity, ai) => (
                    <ItemBox
                      key={activity.key}
                      level="Activity"
                      item={activity}
                      path={`stages[${si}].activities[${ai}]`}
                      error={error}
                      onChange={(a) =>
                        setStage(si, { ...stage, activities: stage.activities.map((x, j) => (j === ai ? (a as DraftActivity) : x)) })
                      }
                      onMove={(by) => setStage(si, { ...stage, activities: moved(stage.activities, ai, by) })}
                      onRemove={() => setStage(si, { ...stage, activities: stage.activities.filter((_, j) => j !== ai) })}
                      first={ai === 0}
                      last={ai === stage.activities.length - 1}
                    >
                      {activity.tasks.map((task, ti) => {
                        const setTasks = (tasks: DraftTask[]) =>
                          setStage(si, { ...stage, activities: stage.activities.map((x, j) => (j === ai ? { ...activity, tasks } : x)) });
                        return (
                          <ItemBox
                            key={task.key}
                            level="Task"
                            item={task}
                            path={`stages[${si}].activities[${ai}].tasks[${ti}]`}
                            error={error}
                            onChange={(t) => setTasks(activity.tasks.map((x, j) => (j === ti ? (t as DraftTask) : x)))}
                            onMove={(by) => setTasks(moved(activity.tasks, ti, by))}
                            onRemove={() => setTasks(activity.tasks.filter((_, j) => j !== ti))}
                            first={ti === 0}
                            last={ti === activity.tasks.length - 1}
                          />
                        );
                      })}
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        w="fit-content"
                        onClick={() =>
                          setStage(si, {
                            ...stage,
                            activities: stage.activities.map((x, j) =>
                              j === ai ? { ...activity, tasks: [...activity.tasks, newTask()] } : x,
                            ),
                          })
                        }
                      >
                        + Task in {activity.name || 'this activity'}
                      </Button>
                    </ItemBox>
                  ))}
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    w="fit-content"
                    onClick={() => setStage(si, { ...stage, activities: [...stage.activities, newActivity()] })}
                  >
                    + Activity in {stage.name || 'this stage'}
                  </Button>
                </ItemBox>
              ))}
              <Button variant="default" size="xs" w="fit-content" onClick={() => set({ stages: [...draft.stages, newStage()] })}>
                Add a stage
              </Button>
            </Stack>
          </Fieldset>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <Paper withBorder p="md" component="section" aria-labelledby="edit-title" pos="sticky" top={72}>
          <Stack gap="sm">
            <Title order={2} size="h4" id="edit-title">
              Preview and save
            </Title>
            <Text size="sm" c="dimmed">
              Saving updates every active cycle of this template in the background (C10): new items are added, renamed ones renamed, removed
              ones go. Existing due dates and completed work never change.
            </Text>
            <Button variant="default" onClick={() => preview.mutate(body)} loading={preview.isPending} disabled={!canWrite}>
              Preview the changes
            </Button>
            {preview.data && !previewed && (
              <Text size="sm" c="dimmed">
                The template changed since this preview; preview again.
              </Text>
            )}
            {previewed && <PreviewSummary preview={previewed} />}
            {error && !onFields && <ErrorAlert error={error} />}
            {onFields && (
              <Alert color="red" variant="light" role="alert">
                The template has problems: see the fields marked in red.
              </Alert>
            )}
            <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!canWrite || previewed === null}>
              {previewed ? `Save version ${previewed.toVersion}` : 'Save (preview first)'}
            </Button>
            {savedJob && <JobProgress jobId={savedJob} label="Updating the running cycles" />}
          </Stack>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

function PreviewSummary({ preview }: { preview: TemplateEditPreview }) {
  const { cycles, template } = preview;
  const list = (title: string, items: { kind: string; name: string; previousName?: string }[]) =>
    items.length === 0 ? null : (
      <div>
        <Text size="sm" fw={600}>
          {title}
        </Text>
        <List size="sm">
          {items.map((i, n) => (
            <List.Item key={n}>
              {i.kind} {i.previousName ? `"${i.previousName}" → ` : ''}"{i.name}"
            </List.Item>
          ))}
        </List>
      </div>
    );
  return (
    <Stack gap="xs" data-testid="template-preview" role="status">
      <Text size="sm">
        Version {preview.fromVersion} → {preview.toVersion}
      </Text>
      <SimpleGrid cols={3} spacing={4}>
        <Stat label="Cycles reached" value={cycles.cyclesReached} testId="cycles-reached" />
        <Stat label="Would change" value={cycles.cyclesChanged} testId="cycles-changed" />
        <Stat label="Would complete" value={cycles.cyclesCompleted} testId="cycles-completed" />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        In those cycles: {cycles.added} added, {cycles.renamed} renamed, {cycles.removed} removed items.
      </Text>
      {list('Added', template.added)}
      {list('Renamed', template.renamed)}
      {list('Removed', template.removed)}
      {template.added.length + template.renamed.length + template.removed.length === 0 && <Text size="sm">The tree does not change.</Text>}
    </Stack>
  );
}

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
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

/** One stage, activity or task: name, due-day rule (C1), owner role for tasks, order and removal. */
function ItemBox({
  level,
  item,
  path,
  error,
  onChange,
  onMove,
  onRemove,
  first,
  last,
  children,
}: {
  level: 'Stage' | 'Activity' | 'Task';
  item: DraftItem | DraftTask;
  path: string;
  error: unknown;
  onChange: (item: DraftItem) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
  first: boolean;
  last: boolean;
  children?: ReactNode;
}) {
  const name = item.name || `new ${level.toLowerCase()}`;
  const itemError = fieldError(error, path);
  return (
    <Paper
      withBorder
      p="xs"
      pl={level === 'Stage' ? 'xs' : 'md'}
      ml={level === 'Task' ? 'md' : level === 'Activity' ? 'sm' : 0}
      data-testid={`${level.toLowerCase()}-${item.name}`}
    >
      <Stack gap={6}>
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput
            label={`${level} name`}
            value={item.name}
            onChange={(e) => onChange({ ...item, name: e.currentTarget.value })}
            error={fieldError(error, `${path}.name`)}
            w={{ base: '100%', xs: 220 }}
          />
          {'ownerRole' in item && (
            <TextInput
              label="Owner role"
              placeholder="csm: the account owner"
              value={item.ownerRole}
              onChange={(e) => onChange({ ...item, ownerRole: e.currentTarget.value } as DraftTask)}
              error={fieldError(error, `${path}.ownerRole`)}
              w={{ base: '100%', xs: 140 }}
            />
          )}
          <DaysDueInput
            level={level}
            value={item.daysDue}
            onChange={(daysDue) => onChange({ ...item, daysDue })}
            error={fieldError(error, `${path}.daysDue`)}
          />
          <Group gap={4}>
            <Tooltip label="Move up">
              <ActionIcon
                variant="default"
                aria-label={`Move ${level.toLowerCase()} ${name} up`}
                disabled={first}
                onClick={() => onMove(-1)}
              >
                ↑
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Move down">
              <ActionIcon
                variant="default"
                aria-label={`Move ${level.toLowerCase()} ${name} down`}
                disabled={last}
                onClick={() => onMove(1)}
              >
                ↓
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Remove">
              <ActionIcon variant="default" aria-label={`Remove ${level.toLowerCase()} ${name}`} onClick={onRemove}>
                ×
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        {itemError && !fieldError(error, `${path}.name`, `${path}.daysDue`, `${path}.ownerRole`) && (
          <Text size="sm" role="alert" c="red.9">
            {itemError}
          </Text>
        )}
        {children}
      </Stack>
    </Paper>
  );
}

function DaysDueInput({
  level,
  value,
  onChange,
  error,
}: {
  level: string;
  value: DaysDue | null;
  onChange: (next: DaysDue | null) => void;
  error?: string;
}) {
  return (
    <Group align="flex-end" gap={6} wrap="wrap">
      <Checkbox
        label="Due"
        aria-label={`${level} has a due date`}
        checked={value !== null}
        onChange={(e) => onChange(e.currentTarget.checked ? { days: 14, relativeTo: 'cycleStart' } : null)}
        mb={8}
      />
      {value !== null && (
        <>
          <NumberInput
            label="Days"
            description="Negative: before"
            allowDecimal={false}
            value={value.days}
            onChange={(d) => onChange({ ...value, days: typeof d === 'number' ? d : 0 })}
            error={error}
            w={90}
          />
          <Select
            label="Relative to"
            data={DAYS_DUE_BASES.map((b) => ({ value: b.value, label: b.label }))}
            value={value.relativeTo}
            onChange={(v) => onChange({ ...value, relativeTo: (v ?? 'cycleStart') as DaysDueBase })}
            allowDeselect={false}
            w={190}
            aria-description={describeDaysDue(value)}
          />
        </>
      )}
    </Group>
  );
}
