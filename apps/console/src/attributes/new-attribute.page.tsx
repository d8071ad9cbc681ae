import { ActionIcon, Button, Checkbox, ColorInput, Fieldset, Group, Stack, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import type { StageInput } from '../api/schemas';
import { useCanWrite } from '../session/session-context';
import { ErrorAlert } from '../ui/error-alert';
import { fieldError } from '../ui/field-error';
import { Page } from '../ui/page';
import { ReadOnlyNotice } from '../ui/read-only-notice';
import { attributeKeys } from './attribute-queries';

/** Colours offered for new stages, in turn (any #RRGGBB is allowed, A2). */
export const STAGE_COLORS = ['#1E88E5', '#8E24AA', '#FB8C00', '#43A047', '#E53935', '#00897B', '#6D4C41', '#546E7A'];

const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);

/** A1–A2: a new draft attribute with its first stages, in order. */
export function NewAttributePage() {
  const canWrite = useCanWrite();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [keyTouched, setKeyTouched] = useState(false);
  const [flow, setFlow] = useState('');
  const [description, setDescription] = useState('');
  const [stages, setStages] = useState<Required<Pick<StageInput, 'name' | 'color' | 'endStage'>>[]>([
    { name: '', color: STAGE_COLORS[0]!, endStage: false },
  ]);

  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/attributes', {
          body: {
            key,
            name,
            ...(flow.trim() ? { flow } : {}),
            ...(description.trim() ? { description } : {}),
            stages: stages.map((s) => ({ name: s.name, color: s.color, endStage: s.endStage })),
          },
        }),
      ),
    onSuccess: async (attribute) => {
      await queryClient.invalidateQueries({ queryKey: attributeKeys.all });
      void navigate(`/attributes/${encodeURIComponent(attribute.key)}`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const update = (i: number, patch: Partial<(typeof stages)[number]>) =>
    setStages((all) => all.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const move = (i: number, by: -1 | 1) =>
    setStages((all) => {
      const next = [...all];
      const [item] = next.splice(i, 1);
      next.splice(i + by, 0, item!);
      return next;
    });

  return (
    <Page title="New attribute">
      <ReadOnlyNotice />
      <form onSubmit={submit} noValidate>
        <Fieldset legend="Attribute" disabled={!canWrite}>
          <Stack>
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setName(value);
                if (!keyTouched) setKey(slug(value));
              }}
              error={fieldError(create.error, 'name')}
            />
            <TextInput
              label="Key"
              description="A slug, unique and fixed once created (onboarding-status)."
              required
              value={key}
              onChange={(e) => {
                setKeyTouched(true);
                setKey(e.currentTarget.value);
              }}
              error={fieldError(create.error, 'key')}
            />
            <TextInput
              label="Flow"
              description="Groups attributes: Onboarding, Adoption, Renewal …"
              value={flow}
              onChange={(e) => setFlow(e.currentTarget.value)}
              error={fieldError(create.error, 'flow')}
            />
            <Textarea
              label="Description"
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              error={fieldError(create.error, 'description')}
              autosize
              minRows={2}
            />
          </Stack>
        </Fieldset>
        <Fieldset legend="Stages, in order" disabled={!canWrite} mt="md">
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              Activation needs at least one stage and one end stage (A3). Order can change while the attribute is a draft.
            </Text>
            {stages.map((stage, i) => (
              <Group key={i} align="flex-start" gap="sm" wrap="wrap" data-testid={`new-stage-${i}`}>
                <TextInput
                  label={`Stage ${i + 1} name`}
                  value={stage.name}
                  onChange={(e) => update(i, { name: e.currentTarget.value })}
                  error={fieldError(create.error, `stages[${i}].name`)}
                  required
                  w={{ base: '100%', xs: 220 }}
                />
                <ColorInput
                  withEyeDropper={false}
                  label={`Stage ${i + 1} colour`}
                  value={stage.color}
                  onChange={(color) => update(i, { color })}
                  error={fieldError(create.error, `stages[${i}].color`)}
                  format="hex"
                  swatches={STAGE_COLORS}
                  w={{ base: '100%', xs: 160 }}
                />
                <Checkbox
                  label="End stage"
                  checked={stage.endStage}
                  onChange={(e) => update(i, { endStage: e.currentTarget.checked })}
                  mt={{ base: 0, xs: 32 }}
                />
                <Group gap={4} mt={{ base: 0, xs: 26 }}>
                  <Tooltip label="Move up">
                    <ActionIcon variant="default" aria-label={`Move stage ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                      ↑
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Move down">
                    <ActionIcon
                      variant="default"
                      aria-label={`Move stage ${i + 1} down`}
                      disabled={i === stages.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      ↓
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Remove">
                    <ActionIcon
                      variant="default"
                      aria-label={`Remove stage ${i + 1}`}
                      disabled={stages.length === 1}
                      onClick={() => setStages((all) => all.filter((_, j) => j !== i))}
                    >
                      ×
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </Group>
            ))}
            <Button
              variant="default"
              w="fit-content"
              onClick={() =>
                setStages((all) => [...all, { name: '', color: STAGE_COLORS[all.length % STAGE_COLORS.length]!, endStage: false }])
              }
            >
              Add a stage
            </Button>
          </Stack>
        </Fieldset>
        <Stack mt="md">
          <ErrorAlert error={create.error} title="The attribute was not created" />
          <Button type="submit" loading={create.isPending} disabled={!canWrite} w="fit-content">
            Create draft
          </Button>
        </Stack>
      </form>
    </Page>
  );
}
