import { Group, Loader, Text } from '@mantine/core';
import { isIndexLoading } from '../api/retry-policy';
import { IndexLoadingNotice } from './index-loading';

/** A read under way; `reason` (a query's `failureReason`) tells when it is waiting for the segment index. */
export function Loading({ what, reason }: { what: string; reason?: unknown }) {
  if (isIndexLoading(reason)) return <IndexLoadingNotice reason={reason} />;
  return (
    <Group gap="xs" role="status" aria-live="polite">
      <Loader size="sm" />
      <Text size="sm">Loading {what}…</Text>
    </Group>
  );
}
