import { Anchor, Badge, Button, Fieldset, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import type { CycleTemplate, Settings } from '../api/schemas';
import { useCanWrite } from '../session/session-context';
import { ErrorAlert } from '../ui/error-alert';
import { fieldError } from '../ui/field-error';
import { formatInstant } from '../ui/format';
import { Loading } from '../ui/loading';
import { DataTable } from '../ui/data-table';
import { Page } from '../ui/page';
import { ReadOnlyNotice } from '../ui/read-only-notice';
import { cycleKeys, useSettings, useTemplates } from './cycle-queries';

/** C1–C2: SuccessCycle templates and the global default. */
export function TemplatesPage() {
  const templates = useTemplates();
  const settings = useSettings();
  return (
    <Page title="SuccessCycle templates">
      <ReadOnlyNotice />
      {templates.isPending && <Loading what="templates" />}
      <ErrorAlert error={templates.error ?? settings.error} />
      {templates.data && (
        <DataTable label="Templates" minWidth={560} striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Template</Table.Th>
              <Table.Th>Stages</Table.Th>
              <Table.Th>Version</Table.Th>
              <Table.Th>Updated</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {templates.data.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/cycles/templates/${encodeURIComponent(t.id)}`}>
                    {t.name}
                  </Anchor>
                  {t.isDefault && (
                    <Badge variant="light" ml="xs" size="sm">
                      global default
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{t.stages.map((s) => s.name).join(' → ') || '—'}</Table.Td>
                <Table.Td>{t.version}</Table.Td>
                <Table.Td>{formatInstant(t.updatedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      )}
      {templates.data && settings.data && <DefaultTemplate templates={templates.data.items} settings={settings.data} />}
      <NewTemplate />
    </Page>
  );
}

/** C2: any template can be the global default (new accounts without a client-type default get it). */
function DefaultTemplate({ templates, settings }: { templates: CycleTemplate[]; settings: Settings }) {
  const canWrite = useCanWrite();
  const queryClient = useQueryClient();
  const [templateId, setTemplateId] = useState<string | null>(settings.defaultCycleTemplateId);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/v1/settings/default-cycle-template', { body: { templateId: templateId! } })),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: cycleKeys.settings }),
        queryClient.invalidateQueries({ queryKey: cycleKeys.templates }),
      ]);
    },
  });
  return (
    <Fieldset legend="Global default" disabled={!canWrite}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="Default SuccessCycle"
          data={templates.map((t) => ({ value: t.id, label: t.name }))}
          value={templateId}
          onChange={setTemplateId}
          allowDeselect={false}
          error={fieldError(save.error, 'templateId')}
          w={{ base: '100%', xs: 280 }}
        />
        <Button
          variant="default"
          disabled={templateId === settings.defaultCycleTemplateId}
          loading={save.isPending}
          onClick={() => save.mutate()}
        >
          Make default
        </Button>
      </Group>
      {save.error && !fieldError(save.error, 'templateId') && <ErrorAlert error={save.error} />}
    </Fieldset>
  );
}

function NewTemplate() {
  const canWrite = useCanWrite();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/cycle-templates', { body: { name, stages: [] } })),
    onSuccess: async (t) => {
      await queryClient.invalidateQueries({ queryKey: cycleKeys.templates });
      void navigate(`/cycles/templates/${encodeURIComponent(t.id)}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Fieldset legend="New template" disabled={!canWrite}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Create it by name, then add its stages, activities and tasks.
          </Text>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label="Template name"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError(create.error, 'name')}
              w={{ base: '100%', xs: 280 }}
            />
            <Button type="submit" loading={create.isPending}>
              Create template
            </Button>
          </Group>
          {create.error && !fieldError(create.error, 'name') && <ErrorAlert error={create.error} />}
        </Stack>
      </Fieldset>
    </form>
  );
}
