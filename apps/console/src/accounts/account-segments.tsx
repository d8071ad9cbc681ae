import { Anchor, List, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorAlert } from '../ui/error-alert';
import { Loading } from '../ui/loading';
import { accountKeys } from './account-queries';

/** S5: the saved segments the account is a member of now. */
export function AccountSegments({ accountId }: { accountId: string }) {
  const segments = useQuery({
    queryKey: accountKeys.segments(accountId),
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/segments', { params: { path: { accountId } } })),
  });
  return (
    <>
      {segments.isPending && <Loading what="segments" />}
      <ErrorAlert error={segments.error} />
      {segments.data?.segments.length === 0 && <Text c="dimmed">Not a member of any saved segment.</Text>}
      {segments.data && segments.data.segments.length > 0 && (
        <List aria-label="Segments of this account">
          {segments.data.segments.map((s) => (
            <List.Item key={s.id}>
              <Anchor component={Link} to={`/segments/${encodeURIComponent(s.id)}`}>
                {s.name}
              </Anchor>
            </List.Item>
          ))}
        </List>
      )}
    </>
  );
}
