import { Alert, Text } from '@mantine/core';
import { isIndexLoading } from '../api/retry-policy';

/**
 * What a screen of counts says while segment evaluation loads its index (503 INDEX_NOT_READY):
 * the server's progress and that the console asks again by itself (api/retry-policy.ts). Nothing
 * for any other reason.
 */
export function IndexLoadingNotice({ reason }: { reason: unknown }) {
  if (!isIndexLoading(reason)) return null;
  return (
    <Alert color="blue" variant="light" title="Segment evaluation is starting" role="status" data-testid="index-loading">
      <Text size="sm">{reason.message}.</Text>
      <Text size="sm">The console asks again by itself; the counts appear once the index is in.</Text>
    </Alert>
  );
}
