import { Group, Loader, Progress, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ErrorAlert } from '../ui/error-alert';

const FINISHED = new Set(['completed', 'failed', 'unknown']);

/** A background job (`GET /v1/jobs/{jobId}`), polled until it finishes, with its progress figures. */
export function JobProgress({ jobId, label }: { jobId: string; label: string }) {
  const job = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => unwrap(api.GET('/v1/jobs/{jobId}', { params: { path: { jobId } } })),
    refetchInterval: (query) => (query.state.data && FINISHED.has(query.state.data.state) ? false : 1_000),
  });
  const progress = (job.data?.progress ?? {}) as Record<string, unknown>;
  const done = typeof progress.done === 'number' ? progress.done : typeof progress.processed === 'number' ? progress.processed : null;
  const total = typeof progress.total === 'number' ? progress.total : null;
  const figures = Object.entries(progress).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
  return (
    <Stack gap={6} role="status" aria-live="polite" data-testid="job-progress">
      <Group gap="xs">
        {job.data && !FINISHED.has(job.data.state) && <Loader size="xs" />}
        <Text size="sm">
          {label}: <strong data-testid="job-state">{job.data?.state ?? 'starting'}</strong>
        </Text>
      </Group>
      {done !== null && total !== null && total > 0 && <Progress value={(100 * done) / total} aria-label={`${label} progress`} />}
      {figures.length > 0 && (
        <Text size="xs" c="dimmed">
          {figures.map(([k, v]) => `${k}: ${String(v)}`).join(' · ')}
        </Text>
      )}
      {job.data?.failedReason && (
        <Text size="sm" c="red.9">
          {job.data.failedReason}
        </Text>
      )}
      <ErrorAlert error={job.error} />
    </Stack>
  );
}
