import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  ColorInput,
  Fieldset,
  Group,
  List,
  Paper,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { Attribute, Stage } from '../api/schemas';
import { useCanWrite } from '../session/session-context';
import { ErrorAlert } from '../ui/error-alert';
import { fieldError } from '../ui/field-error';
import { formatInstant } from '../ui/format';
import { Loading } from '../ui/loading';
import { Page } from '../ui/page';
import { ReadOnlyNotice } from '../ui/read-only-notice';
import { attributeKeys, useAttribute } from './attribute-queries';
import { StateBadge } from './attributes.page';
import { STAGE_COLORS } from './new-attribute.page';

/** A1–A5 on one attribute: details, stages (edit, order while draft, add), activation. */
export function AttributePage() {
  const { key = '' } = useParams();
  const attribute = useAttribute(key);
  return (
    <Page
      title={attribute.data ? attribute.data.name : 'Attribute'}
      actions={attribute.data ? <StateBadge state={attribute.data.state} /> : null}
    >
      <ReadOnlyNotice />
      {attribute.isPending && <Loading what="the attribute" />}
      <ErrorAlert error={attribute.error} />
      {attribute.data && <AttributeEditor attribute={attribute.data} />}
    </Page>
  );
}

/** Writes answer the whole attribute: the cache takes it as is. */
function useAttributeWrite<T>(attributeKey: string, write: (input: T) => Promise<Attribute>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (attribute) => {
      queryClient.setQueryData(attributeKeys.one(attributeKey), attribute);
      void queryClient.invalidateQueries({ queryKey: attributeKeys.all, exact: true });
    },
  });
}

function AttributeEditor({ attribute }: { attribute: Attribute }) {
  const canWrite = useCanWrite();
  const path = { key: attribute.key };
  const draft = attribute.state === 'draft';

  const activate = useAttributeWrite(attribute.key, () => unwrap(api.POST('/v1/attributes/{key}/activate', { params: { path } })));
  const reorder = useAttributeWrite(attribute.key, (stageIds: string[]) =>
    unwrap(api.PUT('/v1/attributes/{key}/stage-order', { params: { path }, body: { stageIds } })),
  );
  const remove = useAttributeWrite(attribute.key, (stageId: string) =>
    unwrap(api.DELETE('/v1/attributes/{key}/stages/{stageId}', { params: { path: { key: attribute.key, stageId } } })),
  );
  const ids = attribute.stages.map((s) => s.id);
  const move = (index: number, by: -1 | 1) => {
    const next = [...ids];
    const [id] = next.splice(index, 1);
    next.splice(index + by, 0, id!);
    reorder.mutate(next);
  };
  const problems = activate.error instanceof ApiError ? activationProblems(activate.error) : [];

  return (
    <Stack gap="lg">
      <Text size="sm" c="dimmed">
        Key <code>{attribute.key}</code> · version {attribute.version} · updated {formatInstant(attribute.updatedAt)}
      </Text>
      <DetailsForm attribute={attribute} />

      <Fieldset legend="Stages" disabled={!canWrite}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {draft
              ? 'While the attribute is a draft, stages can be reordered, removed and made end stages.'
              : 'The attribute is active: stage order and end stages are fixed (A4). Stages can be renamed, recoloured, disabled and appended.'}
          </Text>
          {attribute.stages.map((stage, index) => (
            <Paper key={stage.id} withBorder p="sm" data-testid={`stage-${stage.name}`}>
              <Group align="flex-start" justify="space-between" wrap="wrap" gap="sm">
                <StageRow attributeKey={attribute.key} stage={stage} draft={draft} />
                {draft && (
                  <Group gap={4} aria-label={`Order of ${stage.name}`} role="group">
                    <Tooltip label="Move up">
                      <ActionIcon
                        variant="default"
                        aria-label={`Move ${stage.name} up`}
                        disabled={index === 0 || reorder.isPending}
                        onClick={() => move(index, -1)}
                      >
                        ↑
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Move down">
                      <ActionIcon
                        variant="default"
                        aria-label={`Move ${stage.name} down`}
                        disabled={index === ids.length - 1 || reorder.isPending}
                        onClick={() => move(index, 1)}
                      >
                        ↓
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Remove">
                      <ActionIcon
                        variant="default"
                        aria-label={`Remove ${stage.name}`}
                        disabled={remove.isPending}
                        onClick={() => remove.mutate(stage.id)}
                      >
                        ×
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                )}
              </Group>
            </Paper>
          ))}
          {attribute.stages.length === 0 && <Text c="dimmed">No stages yet.</Text>}
          <ErrorAlert error={reorder.error ?? remove.error} />
          <NewStageForm attribute={attribute} />
        </Stack>
      </Fieldset>

      {draft && (
        <Fieldset legend="Activation" disabled={!canWrite}>
          <Stack gap="sm">
            <Text size="sm">
              An active attribute can be given to accounts. Activation needs at least one stage and one end stage (A3); afterwards the order
              and the set of stages are fixed.
            </Text>
            {problems.length > 0 ? (
              <Alert color="red" variant="light" title="Cannot be activated yet" role="alert">
                <List size="sm">
                  {problems.map((p) => (
                    <List.Item key={p}>{p}</List.Item>
                  ))}
                </List>
              </Alert>
            ) : (
              <ErrorAlert error={activate.error} />
            )}
            <Button onClick={() => activate.mutate(undefined)} loading={activate.isPending} w="fit-content">
              Activate
            </Button>
          </Stack>
        </Fieldset>
      )}
    </Stack>
  );
}

function activationProblems(error: ApiError): string[] {
  const details = error.body.details as { problems?: unknown } | undefined;
  return Array.isArray(details?.problems) ? details.problems.filter((p): p is string => typeof p === 'string') : [];
}

function DetailsForm({ attribute }: { attribute: Attribute }) {
  const canWrite = useCanWrite();
  const [name, setName] = useState(attribute.name);
  const [flow, setFlow] = useState(attribute.flow ?? '');
  const [description, setDescription] = useState(attribute.description);
  const save = useAttributeWrite(attribute.key, () =>
    unwrap(
      api.PATCH('/v1/attributes/{key}', {
        params: { path: { key: attribute.key } },
        // null unlinks the flow.
        body: { name, description, flow: flow.trim() === '' ? null : flow },
      }),
    ),
  );
  const changed = name !== attribute.name || flow !== (attribute.flow ?? '') || description !== attribute.description;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Fieldset legend="Details" disabled={!canWrite}>
        <Stack gap="sm">
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(save.error, 'name')}
            required
          />
          <TextInput label="Flow" value={flow} onChange={(e) => setFlow(e.currentTarget.value)} error={fieldError(save.error, 'flow')} />
          <Textarea
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={fieldError(save.error, 'description')}
            autosize
            minRows={2}
          />
          {save.error && !fieldError(save.error, 'name', 'flow', 'description') && <ErrorAlert error={save.error} />}
          <Button type="submit" variant="default" disabled={!changed} loading={save.isPending} w="fit-content">
            Save details
          </Button>
        </Stack>
      </Fieldset>
    </form>
  );
}

/** One stage: rename, recolour, end stage (draft only), disable; errors beside the field they name. */
function StageRow({ attributeKey, stage, draft }: { attributeKey: string; stage: Stage; draft: boolean }) {
  const [name, setName] = useState(stage.name);
  const [color, setColor] = useState(stage.color);
  const [endStage, setEndStage] = useState(stage.endStage);
  const [disabled, setDisabled] = useState(stage.disabled);
  const save = useAttributeWrite(attributeKey, () =>
    unwrap(
      api.PATCH('/v1/attributes/{key}/stages/{stageId}', {
        params: { path: { key: attributeKey, stageId: stage.id } },
        body: {
          ...(name !== stage.name ? { name } : {}),
          ...(color.toUpperCase() !== stage.color.toUpperCase() ? { color } : {}),
          ...(endStage !== stage.endStage ? { endStage } : {}),
          ...(disabled !== stage.disabled ? { disabled } : {}),
        },
      }),
    ),
  );
  const changed =
    name !== stage.name || color.toUpperCase() !== stage.color.toUpperCase() || endStage !== stage.endStage || disabled !== stage.disabled;
  const otherError = save.error && !fieldError(save.error, 'name', 'color') ? save.error : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
      noValidate
      style={{ flex: '1 1 20rem' }}
    >
      <Stack gap="xs">
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput
            label={`Name (position ${stage.order + 1})`}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(save.error, 'name')}
            w={{ base: '100%', xs: 220 }}
          />
          <ColorInput
            withEyeDropper={false}
            label={`Colour of ${stage.name}`}
            value={color}
            onChange={setColor}
            format="hex"
            swatches={STAGE_COLORS}
            error={fieldError(save.error, 'color')}
            w={{ base: '100%', xs: 150 }}
          />
        </Group>
        <Group gap="lg" wrap="wrap">
          <Checkbox
            label="End stage"
            description={draft ? undefined : 'Fixed once active'}
            checked={endStage}
            disabled={!draft}
            onChange={(e) => setEndStage(e.currentTarget.checked)}
          />
          <Switch
            label="Disabled"
            description="Not given to new accounts (A5)"
            checked={disabled}
            onChange={(e) => setDisabled(e.currentTarget.checked)}
          />
          <Button type="submit" size="xs" variant="default" disabled={!changed} loading={save.isPending}>
            Save stage
          </Button>
        </Group>
        {otherError && <ErrorAlert error={otherError} />}
      </Stack>
    </form>
  );
}

function NewStageForm({ attribute }: { attribute: Attribute }) {
  const [name, setName] = useState('');
  const [color, setColor] = useState(STAGE_COLORS[attribute.stages.length % STAGE_COLORS.length]!);
  const [endStage, setEndStage] = useState(false);
  const add = useAttributeWrite(attribute.key, () =>
    unwrap(api.POST('/v1/attributes/{key}/stages', { params: { path: { key: attribute.key } }, body: { name, color, endStage } })),
  );
  const nameError = fieldError(add.error, 'stage.name', 'name');
  const colorError = fieldError(add.error, 'stage.color', 'color');
  return (
    <Paper withBorder p="sm" component="section" aria-label="Add a stage">
      <Text fw={600} size="sm" mb="xs">
        Add a stage {attribute.state === 'active' ? '(it takes the last position)' : ''}
      </Text>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          label="New stage name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={nameError}
          w={{ base: '100%', xs: 220 }}
        />
        <ColorInput
          withEyeDropper={false}
          label="New stage colour"
          value={color}
          onChange={setColor}
          format="hex"
          swatches={STAGE_COLORS}
          error={colorError}
          w={{ base: '100%', xs: 150 }}
        />
        <Checkbox label="End stage" checked={endStage} onChange={(e) => setEndStage(e.currentTarget.checked)} mt={{ base: 0, xs: 32 }} />
        <Button
          variant="default"
          mt={{ base: 0, xs: 25 }}
          loading={add.isPending}
          onClick={() =>
            add.mutate(undefined, {
              onSuccess: () => {
                setName('');
                setEndStage(false);
              },
            })
          }
        >
          Add stage
        </Button>
      </Group>
      {add.error && !nameError && !colorError && <ErrorAlert error={add.error} />}
    </Paper>
  );
}
