import { Button, Fieldset, Group, MultiSelect, Paper, Select, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { ClientType, CycleTemplate } from '../api/schemas';
import { useCanWrite } from '../session/session-context';
import { ErrorAlert } from '../ui/error-alert';
import { fieldError } from '../ui/field-error';
import { Loading } from '../ui/loading';
import { DataTable } from '../ui/data-table';
import { Page } from '../ui/page';
import { ReadOnlyNotice } from '../ui/read-only-notice';
import { cycleKeys, useClientTypes, useTemplates } from './cycle-queries';

/** C3, C7: client types, the templates each may use and its default. */
export function ClientTypesPage() {
  const types = useClientTypes();
  const templates = useTemplates();
  const [editing, setEditing] = useState<ClientType | null>(null);
  const nameOf = (id: string | null) => (id === null ? '—' : (templates.data?.items.find((t) => t.id === id)?.name ?? id));
  return (
    <Page title="Client types">
      <ReadOnlyNotice />
      {(types.isPending || templates.isPending) && <Loading what="client types" />}
      <ErrorAlert error={types.error ?? templates.error} />
      {types.data?.items.length === 0 && <Text c="dimmed">No client type yet: new accounts get the global default template.</Text>}
      {types.data && types.data.items.length > 0 && (
        <DataTable label="Client types" minWidth={560} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Client type</Table.Th>
              <Table.Th>Default template</Table.Th>
              <Table.Th>Templates it may use</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {types.data.items.map((t) => (
              <Table.Tr key={t.key}>
                <Table.Td>
                  {t.name}{' '}
                  <Text span size="xs" c="dimmed">
                    ({t.key})
                  </Text>
                </Table.Td>
                <Table.Td>{nameOf(t.defaultTemplateId)}</Table.Td>
                <Table.Td>{t.templateIds.map((id) => nameOf(id)).join(', ') || '—'}</Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="default" onClick={() => setEditing(t)} aria-label={`Edit ${t.name}`}>
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </DataTable>
      )}
      {templates.data && (
        <ClientTypeForm key={editing?.key ?? 'new'} existing={editing} templates={templates.data.items} onDone={() => setEditing(null)} />
      )}
    </Page>
  );
}

function ClientTypeForm({ existing, templates, onDone }: { existing: ClientType | null; templates: CycleTemplate[]; onDone: () => void }) {
  const canWrite = useCanWrite();
  const queryClient = useQueryClient();
  const [key, setKey] = useState(existing?.key ?? '');
  const [name, setName] = useState(existing?.name ?? '');
  const [templateIds, setTemplateIds] = useState<string[]>(existing?.templateIds ?? []);
  const [defaultTemplateId, setDefault] = useState<string | null>(existing?.defaultTemplateId ?? null);
  const save = useMutation({
    mutationFn: () => {
      const body = { name, templateIds, defaultTemplateId };
      return existing
        ? unwrap(api.PUT('/v1/client-types/{key}', { params: { path: { key: existing.key } }, body }))
        : unwrap(api.POST('/v1/client-types', { body: { ...body, key } }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: cycleKeys.clientTypes });
      if (!existing) {
        setKey('');
        setName('');
        setTemplateIds([]);
        setDefault(null);
      }
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const options = templates.map((t) => ({ value: t.id, label: t.name }));
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Fieldset legend={existing ? `Edit ${existing.name}` : 'New client type'} disabled={!canWrite} variant="unstyled">
          <Stack gap="sm">
            <Group align="flex-start" gap="sm" wrap="wrap">
              <TextInput
                label="Key"
                description="The clientType the CRM sends"
                value={key}
                onChange={(e) => setKey(e.currentTarget.value)}
                disabled={existing !== null}
                error={fieldError(save.error, 'key')}
                w={{ base: '100%', xs: 200 }}
              />
              <TextInput
                label="Name"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={fieldError(save.error, 'name')}
                w={{ base: '100%', xs: 220 }}
              />
            </Group>
            <MultiSelect
              label="Templates it may use (C7)"
              data={options}
              value={templateIds}
              onChange={setTemplateIds}
              error={fieldError(save.error, 'templateIds')}
            />
            <Select
              label="Default template (C3)"
              description="A new account of this type starts it; empty: the global default"
              data={options}
              value={defaultTemplateId}
              onChange={setDefault}
              clearable
              error={fieldError(save.error, 'defaultTemplateId')}
            />
            {save.error && !fieldError(save.error, 'key', 'name', 'templateIds', 'defaultTemplateId') && <ErrorAlert error={save.error} />}
            <Group>
              <Button type="submit" loading={save.isPending}>
                {existing ? 'Save' : 'Create client type'}
              </Button>
              {existing && (
                <Button variant="default" onClick={onDone}>
                  Cancel
                </Button>
              )}
            </Group>
          </Stack>
        </Fieldset>
      </form>
    </Paper>
  );
}
