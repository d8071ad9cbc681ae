import { Alert, Anchor, Button, Code, Fieldset, Grid, Group, List, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { isIndexLoading, retryWhileIndexLoads } from '../api/retry-policy';
import { api, unwrap } from '../api/client';
import type { Attribute, Member, Segment } from '../api/schemas';
import { useActiveAttributes } from '../attributes/attribute-queries';
import { useCanWrite } from '../session/session-context';
import { ErrorAlert } from '../ui/error-alert';
import { IndexLoadingNotice } from '../ui/index-loading';
import { fieldError } from '../ui/field-error';
import { formatInstant } from '../ui/format';
import { Loading } from '../ui/loading';
import { Page } from '../ui/page';
import { ReadOnlyNotice } from '../ui/read-only-notice';
import {
  conditionCount,
  fromCriteria,
  messagesByNode,
  newGroup,
  newLifecycleCondition,
  toCriteria,
  UnreadableCriteria,
  type CriteriaGroup,
} from './criteria';
import { CriteriaBuilder } from './criteria-builder';

const PREVIEW_SIZE = 10;

/** S1, S3: build criteria with a live count and the first members (preview), then save. */
export function SegmentEditorPage() {
  const { segmentId } = useParams();
  const attributes = useActiveAttributes();
  const segment = useQuery({
    queryKey: ['segment', segmentId],
    queryFn: () => unwrap(api.GET('/v1/segments/{id}', { params: { path: { id: segmentId! } } })),
    enabled: segmentId !== undefined,
  });
  const title = segmentId === undefined ? 'New segment' : (segment.data?.name ?? 'Segment');
  const ready = attributes.data && (segmentId === undefined || segment.data);
  return (
    <Page
      title={title}
      actions={
        segmentId ? (
          <Anchor component={Link} to={`/segments/${encodeURIComponent(segmentId)}/board`}>
            Progress board
          </Anchor>
        ) : null
      }
    >
      <ReadOnlyNotice />
      {(attributes.isPending || segment.isLoading) && <Loading what="the segment" />}
      <ErrorAlert error={attributes.error ?? segment.error} />
      {ready && <SegmentEditor key={segment.data?.id ?? 'new'} segment={segment.data ?? null} attributes={attributes.data!} />}
    </Page>
  );
}

function initialTree(segment: Segment | null, attributes: readonly Attribute[]): { root: CriteriaGroup; unreadable: string | null } {
  if (segment === null) return { root: newGroup('all', [newLifecycleCondition(attributes[0]?.key ?? '')]), unreadable: null };
  try {
    return { root: fromCriteria(segment.criteria), unreadable: null };
  } catch (e) {
    if (e instanceof UnreadableCriteria) return { root: newGroup('all'), unreadable: e.message };
    throw e;
  }
}

function SegmentEditor({ segment, attributes }: { segment: Segment | null; attributes: readonly Attribute[] }) {
  const canWrite = useCanWrite();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const initial = useMemo(() => initialTree(segment, attributes), [segment, attributes]);
  const [root, setRoot] = useState<CriteriaGroup>(initial.root);
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const criteria = useMemo(() => toCriteria(root), [root]);
  const [debounced] = useDebouncedValue(criteria, 400);

  // Admins preview what they edit (a POST); viewers see the saved segment's members (a GET).
  const preview = useQuery({
    queryKey: ['segment-preview', debounced],
    queryFn: () => unwrap(api.POST('/v1/segments/preview', { body: { criteria: debounced, pageSize: PREVIEW_SIZE } })),
    enabled: canWrite && conditionCount(root) > 0,
    retry: retryWhileIndexLoads,
  });
  const members = useQuery({
    queryKey: ['segment-members', segment?.id],
    queryFn: () =>
      unwrap(api.GET('/v1/segments/{id}/members', { params: { path: { id: segment!.id }, query: { pageSize: PREVIEW_SIZE } } })),
    enabled: !canWrite && segment !== null,
  });

  const save = useMutation({
    mutationFn: () => {
      const body = { name, description: description.trim() === '' ? null : description, criteria };
      return segment === null
        ? unwrap(api.POST('/v1/segments', { body }))
        : unwrap(api.PATCH('/v1/segments/{id}', { params: { path: { id: segment.id } }, body }));
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['segments'] });
      queryClient.setQueryData(['segment', saved.id], saved);
      if (segment === null)
        void navigate(`/segments/${encodeURIComponent(saved.id)}`, { replace: true, state: { savedVersion: saved.version } });
    },
  });

  // The service's messages about the criteria, placed on the condition they name (save first, else the preview's).
  const criteriaError = save.error instanceof ApiError ? save.error : preview.error instanceof ApiError ? preview.error : null;
  const messages = useMemo(
    () => (criteriaError ? messagesByNode(root, criteriaError.fields) : new Map<string, string[]>()),
    [criteriaError, root],
  );
  const placedAll = criteriaError !== null && Object.keys(criteriaError.fields).length > 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  // A new segment is saved, then opened at its own address: the notice travels with the navigation.
  const savedVersion = save.data?.version ?? (location.state as { savedVersion?: number } | null)?.savedVersion;

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Fieldset legend="Segment" disabled={!canWrite}>
              <Stack gap="sm">
                <TextInput
                  label="Name"
                  required
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  error={fieldError(save.error, 'name')}
                />
                <Textarea
                  label="Description"
                  value={description}
                  onChange={(e) => setDescription(e.currentTarget.value)}
                  error={fieldError(save.error, 'description')}
                  autosize
                  minRows={1}
                />
              </Stack>
            </Fieldset>
            {initial.unreadable && (
              <Alert color="yellow" title="These criteria cannot be shown in the builder">
                <Text size="sm">{initial.unreadable}. Saved criteria:</Text>
                <Code block>{JSON.stringify(segment?.criteria, null, 2)}</Code>
              </Alert>
            )}
            <CriteriaBuilder root={root} onChange={setRoot} attributes={attributes} messages={messages} disabled={!canWrite} />
            {save.error && !placedAll && <ErrorAlert error={save.error} title="The segment was not saved" />}
            {savedVersion !== undefined && (
              <Text size="sm" role="status">
                Saved (version {savedVersion}); membership is being evaluated.
              </Text>
            )}
            <Group>
              <Button type="submit" loading={save.isPending} disabled={!canWrite}>
                {segment === null ? 'Save segment' : 'Save changes'}
              </Button>
            </Group>
            <details>
              <summary>Criteria as JSON</summary>
              <Code block data-testid="criteria-json">
                {JSON.stringify(criteria, null, 2)}
              </Code>
            </details>
          </Stack>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        {canWrite ? (
          <MembersPanel
            title="Live preview"
            loading={preview.isFetching}
            waiting={preview.failureReason}
            count={preview.data?.count}
            members={preview.data?.members}
            at={preview.data?.evaluatedAt}
            error={
              preview.error && !(preview.error instanceof ApiError && Object.keys(preview.error.fields).length > 0) ? preview.error : null
            }
            invalid={preview.error instanceof ApiError && Object.keys(preview.error.fields).length > 0}
          />
        ) : (
          <MembersPanel
            title="Members"
            loading={members.isFetching}
            waiting={members.failureReason}
            count={members.data?.total}
            members={members.data?.items}
            at={members.data?.evaluatedAt}
            error={members.error}
          />
        )}
      </Grid.Col>
    </Grid>
  );
}

function MembersPanel({
  title,
  loading,
  waiting,
  count,
  members,
  at,
  error,
  invalid,
}: {
  title: string;
  loading: boolean;
  /** Why the last try failed while the query asks again (the segment index loading). */
  waiting: unknown;
  count: number | undefined;
  members: Member[] | undefined;
  at: string | undefined;
  error: unknown;
  invalid?: boolean;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="members-title" pos="sticky" top={72}>
      <Stack gap="xs">
        <Title order={2} size="h4" id="members-title">
          {title}
        </Title>
        <div aria-live="polite" aria-busy={loading}>
          {invalid ? (
            <Text size="sm" c="red.9">
              The criteria have problems: see the conditions marked in red.
            </Text>
          ) : count !== undefined ? (
            <Text size="xl" fw={700} data-testid="preview-count">
              {count} account{count === 1 ? '' : 's'}
            </Text>
          ) : isIndexLoading(waiting) ? (
            <IndexLoadingNotice reason={waiting} />
          ) : (
            <Text size="sm" c="dimmed">
              {loading ? 'Counting…' : 'Add a condition to see who matches.'}
            </Text>
          )}
        </div>
        <ErrorAlert error={error} />
        {members && members.length > 0 && !invalid && (
          <List size="sm" spacing={2} aria-label="First members">
            {members.map((m) => (
              <List.Item key={m.accountId}>
                <Anchor component={Link} to={`/accounts/${encodeURIComponent(m.accountId)}`}>
                  {m.name || m.accountId}
                </Anchor>
              </List.Item>
            ))}
          </List>
        )}
        {at && !invalid && (
          <Text size="xs" c="dimmed">
            Evaluated {formatInstant(at)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
