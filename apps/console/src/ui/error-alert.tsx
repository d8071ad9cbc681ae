import { Alert, Code, Text } from '@mantine/core';
import { ApiError } from '../api/api-error';
import { isIndexLoading } from '../api/retry-policy';

/** What the console says about a failed call: the server's message, and for 403 why the key may not. */
export function describeError(error: unknown): { title: string; message: string } {
  if (error instanceof ApiError) {
    if (isIndexLoading(error)) {
      return {
        title: 'Segment evaluation is still starting',
        message: `${error.message}. The console stopped asking after ten minutes; reload the page to ask again.`,
      };
    }
    if (error.status === 403) {
      return {
        title: 'Not allowed (403)',
        message: `${error.message}. The gateway decides what each key may do; changes need an admin key.`,
      };
    }
    return { title: `${error.body.error || 'Error'} (${error.status})`, message: error.message };
  }
  if (error instanceof TypeError) {
    return { title: 'No answer', message: 'The gateway did not answer; check that the platform is running and retry.' };
  }
  return { title: 'Error', message: error instanceof Error ? error.message : String(error) };
}

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (error === null || error === undefined) return null;
  const described = describeError(error);
  const code = error instanceof ApiError ? error.code : null;
  return (
    <Alert color={isIndexLoading(error) ? 'yellow' : 'red'} variant="light" title={title ?? described.title} role="alert">
      <Text size="sm">{described.message}</Text>
      {code !== null && (
        <Text size="xs" mt={4}>
          Code: <Code>{code}</Code>
        </Text>
      )}
    </Alert>
  );
}
