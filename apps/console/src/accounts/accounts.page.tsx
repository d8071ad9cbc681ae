import { Anchor, Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import type { AccountView } from '../api/schemas';
import { useActiveAttributes } from '../attributes/attribute-queries';
import { ErrorAlert } from '../ui/error-alert';
import { formatDays } from '../ui/format';
import { Loading } from '../ui/loading';
import { DataTable } from '../ui/data-table';
import { Page } from '../ui/page';
import { Pager } from '../ui/pager';

const PAGE_SIZE = 25;
/** The stage filter's value for "no value" (the API's `stage=none`). */
const NONE = 'none';

/** Find an account by id, or browse the accounts of an attribute and stage. */
export function AccountsPage() {
  const navigate = useNavigate();
  const attributes = useActiveAttributes();
  const [accountId, setAccountId] = useState('');
  const [attribute, setAttribute] = useState<string | null>(null);
  const [stage, setStage] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState('');

  const accounts = useQuery({
    queryKey: ['accounts', attribute, stage, page],
    queryFn: () =>
      unwrap(
        api.GET('/v1/accounts', {
          params: { query: { page, pageSize: PAGE_SIZE, ...(attribute ? { attribute } : {}), ...(attribute && stage ? { stage } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const open = (e: FormEvent) => {
    e.preventDefault();
    if (accountId.trim()) void navigate(`/accounts/${encodeURIComponent(accountId.trim())}`);
  };
  const chosen = attributes.data?.find((a) => a.key === attribute);
  const needle = filter.trim().toLowerCase();
  const rows = (accounts.data?.items ?? []).filter(
    (a) => needle === '' || a.accountId.toLowerCase().includes(needle) || (a.name ?? '').toLowerCase().includes(needle),
  );
  const pages = accounts.data ? Math.max(1, Math.ceil(accounts.data.total / PAGE_SIZE)) : 1;

  return (
    <Page title="Accounts">
      <Paper withBorder p="md">
        <form onSubmit={open} role="search" aria-label="Open an account by id">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label="Account id"
              value={accountId}
              onChange={(e) => setAccountId(e.currentTarget.value)}
              w={{ base: '100%', xs: 280 }}
            />
            <Button type="submit">Open</Button>
          </Group>
        </form>
      </Paper>

      <Stack gap="sm">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label="Attribute"
            placeholder="Any (every account)"
            clearable
            data={(attributes.data ?? []).map((a) => ({ value: a.key, label: a.name }))}
            value={attribute}
            onChange={(v) => {
              setAttribute(v);
              setStage(null);
              setPage(1);
            }}
            w={{ base: '100%', xs: 240 }}
          />
          <Select
            label="Stage"
            placeholder={chosen ? 'Any stage' : 'Choose an attribute first'}
            clearable
            disabled={!chosen}
            data={[...(chosen?.stages ?? []).map((s) => ({ value: s.id, label: s.name })), { value: NONE, label: 'None (no value)' }]}
            value={stage}
            onChange={(v) => {
              setStage(v);
              setPage(1);
            }}
            w={{ base: '100%', xs: 220 }}
          />
          <TextInput
            label="Filter this page"
            description="By name or id"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={{ base: '100%', xs: 220 }}
          />
        </Group>
        {accounts.isPending && <Loading what="accounts" />}
        <ErrorAlert error={accounts.error} />
        {accounts.data && (
          <>
            <Text size="sm" c="dimmed" aria-live="polite">
              {accounts.data.total} account{accounts.data.total === 1 ? '' : 's'}
            </Text>
            <DataTable label="Accounts" minWidth={600} striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account</Table.Th>
                  <Table.Th>Client type</Table.Th>
                  <Table.Th>Owner</Table.Th>
                  <Table.Th>{chosen ? chosen.name : 'Lifecycle'}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((a) => (
                  <Table.Tr key={a.accountId}>
                    <Table.Td>
                      <Anchor component={Link} to={`/accounts/${encodeURIComponent(a.accountId)}`}>
                        {a.name ?? a.accountId}
                      </Anchor>
                      {a.name && (
                        <Text size="xs" c="dimmed">
                          {a.accountId}
                        </Text>
                      )}
                      {a.canceled && (
                        <Badge color="red" variant="light" ml="xs">
                          canceled
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{a.clientType ?? '—'}</Table.Td>
                    <Table.Td>{a.ownerId ?? '—'}</Table.Td>
                    <Table.Td>
                      <LifecycleSummary account={a} attributeKey={attribute} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </DataTable>
            <Pager total={pages} value={page} onChange={setPage} label="Account pages" />
          </>
        )}
      </Stack>
    </Page>
  );
}

function LifecycleSummary({ account, attributeKey }: { account: AccountView; attributeKey: string | null }) {
  const entries = Object.entries(account.lifecycle).filter(([key]) => attributeKey === null || key === attributeKey);
  if (entries.length === 0) return <Text size="sm">None</Text>;
  return (
    <Stack gap={2}>
      {entries.map(([key, state]) => {
        const days = state.stages.find((s) => s.id === state.stage?.id)?.days;
        return (
          <Text size="sm" key={key}>
            {attributeKey === null ? `${key}: ` : ''}
            {state.stage ? `${state.stage.name} · ${formatDays(days)}` : 'None'}
          </Text>
        );
      })}
    </Stack>
  );
}
