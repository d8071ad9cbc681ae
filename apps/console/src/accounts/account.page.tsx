import { Badge, Group, Paper, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { ApiError } from '../api/api-error';
import type { ComposedAccount } from '../api/schemas';
import { useActiveAttributes } from '../attributes/attribute-queries';
import { ErrorAlert } from '../ui/error-alert';
import { formatDay } from '../ui/format';
import { Loading } from '../ui/loading';
import { Page } from '../ui/page';
import { ReadOnlyNotice } from '../ui/read-only-notice';
import { AccountPlays } from '../plays/account-plays';
import { AccountCyclesPanel } from './account-cycles';
import { AccountSegments } from './account-segments';
import { useAccount } from './account-queries';
import { AttributeLifecycle } from './attribute-lifecycle';

/** One account: facts, per attribute its stages with "Days in" and SLA, history and moves; its SuccessCycles; its segments; its plays and their tasks. */
export function AccountPage() {
  const { accountId = '' } = useParams();
  const account = useAccount(accountId);
  const attributes = useActiveAttributes();
  const unknown = account.error instanceof ApiError && account.error.status === 404;
  const view = account.data;

  return (
    <Page title={account.data?.name ?? accountId}>
      <ReadOnlyNotice />
      {account.isPending && <Loading what="the account" />}
      {unknown ? (
        <Text role="status">
          The platform knows nothing about <strong>{accountId}</strong> yet: no CRM facts, no stage. Setting a stage below starts its first
          cycle.
        </Text>
      ) : (
        <ErrorAlert error={account.error} />
      )}
      {account.data && <Facts account={account.data} />}
      {view?.degraded && view.degraded.length > 0 && (
        <Text size="sm" c="dimmed" role="status">
          Partly shown: {view.degraded.join(', ')} did not answer.
        </Text>
      )}
      {(account.data || unknown) && (
        <Tabs defaultValue="lifecycle" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="lifecycle">Lifecycle</Tabs.Tab>
            <Tabs.Tab value="cycles">SuccessCycles</Tabs.Tab>
            <Tabs.Tab value="segments">Segments</Tabs.Tab>
            <Tabs.Tab value="plays">Plays</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="lifecycle" pt="md">
            <Stack gap="lg">
              {attributes.isPending && <Loading what="attributes" />}
              <ErrorAlert error={attributes.error} />
              {attributes.data?.length === 0 && <Text c="dimmed">No active attribute yet.</Text>}
              {attributes.data?.map((attribute) => (
                <AttributeLifecycle
                  key={attribute.key}
                  accountId={accountId}
                  attribute={attribute}
                  state={account.data?.lifecycle[attribute.key] ?? null}
                  canceled={account.data?.canceled ?? false}
                />
              ))}
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="cycles" pt="md">
            <AccountCyclesPanel accountId={accountId} />
          </Tabs.Panel>
          <Tabs.Panel value="segments" pt="md">
            <AccountSegments accountId={accountId} />
          </Tabs.Panel>
          <Tabs.Panel value="plays" pt="md">
            <AccountPlays accountId={accountId} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Page>
  );
}

function Facts({ account }: { account: ComposedAccount }) {
  const fact = (label: string, value: string) => (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </div>
  );
  const primary = account.primaryCycle;
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="xs">
        <Text size="sm" ff="monospace">
          {account.accountId}
        </Text>
        {account.canceled && (
          <Badge color="red" variant="light">
            Canceled: "Days in" hidden (L10)
          </Badge>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        {fact('Client type', account.clientType ?? '—')}
        {fact('Owner', account.ownerId ?? '—')}
        {fact(
          'Renewal',
          account.subscription ? `${formatDay(account.subscription.renewalDate)}${account.subscription.active ? '' : ' (inactive)'}` : '—',
        )}
        {fact(
          'Primary cycle',
          primary
            ? `${primary.name ?? '—'}${primary.stage ? ` · ${primary.stage}` : ''}${primary.daysInStage !== null ? ` · ${primary.daysInStage} d` : ''}`
            : '—',
        )}
      </SimpleGrid>
    </Paper>
  );
}
