import { Anchor, Badge, Group, Paper, ScrollArea, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useActiveAttributes } from '../attributes/attribute-queries';
import { ErrorAlert } from '../ui/error-alert';
import { fieldError } from '../ui/field-error';
import { formatInstant, formatNumber } from '../ui/format';
import { Loading } from '../ui/loading';
import { Page } from '../ui/page';
import { StageName } from '../ui/stage-swatch';

const ACCOUNTS_PER_STAGE = 20;

const today = () => new Date().toISOString().slice(0, 10);

/** S4: a segment's members by stage of one attribute, in stage order plus "None", now or as of a past date. */
export function ProgressBoardPage() {
  const { segmentId = '' } = useParams();
  const attributes = useActiveAttributes();
  const segment = useQuery({
    queryKey: ['segment', segmentId],
    queryFn: () => unwrap(api.GET('/v1/segments/{id}', { params: { path: { id: segmentId } } })),
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const [asOf, setAsOf] = useState('');
  const attribute = chosen ?? segment.data?.attributes[0] ?? attributes.data?.[0]?.key ?? null;
  const definition = attributes.data?.find((a) => a.key === attribute);

  const board = useQuery({
    queryKey: ['progress', segmentId, attribute, asOf],
    queryFn: () =>
      unwrap(
        api.GET('/v1/segments/{id}/progress', {
          params: {
            path: { id: segmentId },
            query: { attribute: attribute!, limitPerStage: ACCOUNTS_PER_STAGE, ...(asOf ? { asOf } : {}) },
          },
        }),
      ),
    enabled: attribute !== null,
    placeholderData: keepPreviousData,
  });

  return (
    <Page title={segment.data ? `Progress: ${segment.data.name}` : 'Progress board'}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="Attribute"
          data={(attributes.data ?? []).map((a) => ({ value: a.key, label: a.name }))}
          value={attribute}
          onChange={setChosen}
          allowDeselect={false}
          w={{ base: '100%', xs: 240 }}
        />
        <TextInput
          type="date"
          label="As of"
          description="Empty: now"
          value={asOf}
          max={today()}
          onChange={(e) => setAsOf(e.currentTarget.value)}
          error={fieldError(board.error, 'asOf')}
          w={{ base: '100%', xs: 200 }}
        />
        <Anchor component={Link} to={`/segments/${encodeURIComponent(segmentId)}`} mb={8}>
          Edit the criteria
        </Anchor>
      </Group>
      {(segment.isPending || board.isPending) && <Loading what="the board" reason={board.failureReason} />}
      <ErrorAlert error={segment.error ?? attributes.error ?? (fieldError(board.error, 'asOf') ? null : board.error)} />
      {board.data && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="board-summary">
            {board.data.total} member{board.data.total === 1 ? '' : 's'} ·{' '}
            {board.data.asOf ? `as of ${formatInstant(board.data.at)}` : `now (${formatInstant(board.data.at)})`}
          </Text>
          <ScrollArea type="auto" offsetScrollbars>
            <Group
              align="stretch"
              wrap="nowrap"
              gap="sm"
              component="ol"
              p={0}
              m={0}
              style={{ listStyle: 'none' }}
              aria-label="Stages in order, then None"
            >
              {board.data.groups.map((g) => {
                const stage = definition?.stages.find((s) => s.id === g.stageId);
                return (
                  <Paper
                    key={g.stageId ?? 'none'}
                    component="li"
                    withBorder
                    p="sm"
                    className="board-column"
                    data-testid={`board-${g.name}`}
                  >
                    <Stack gap={6}>
                      <Group justify="space-between" wrap="nowrap">
                        <Title order={2} size="h5">
                          <StageName name={g.name} color={stage?.color} dimmed={g.stageId === null} />
                        </Title>
                        <Badge variant="light" size="lg" aria-label={`${g.count} accounts`} data-testid="count">
                          {g.count}
                        </Badge>
                      </Group>
                      {(g.endStage || g.disabled || !g.known) && (
                        <Text size="xs" c="dimmed">
                          {[g.endStage && 'end stage', g.disabled && 'disabled', !g.known && 'no longer in the catalog']
                            .filter(Boolean)
                            .join(' · ')}
                        </Text>
                      )}
                      {g.stageId !== null && (
                        <SimpleGrid cols={3} spacing={4}>
                          <Stat label="Avg days" value={formatNumber(g.daysInStage.avg, 1)} />
                          <Stat label="Median" value={formatNumber(g.daysInStage.median, 1)} />
                          <Stat label="Max" value={formatNumber(g.daysInStage.max, 0)} />
                        </SimpleGrid>
                      )}
                      <Stack gap={2}>
                        {g.accountIds.map((id) => (
                          <Anchor key={id} component={Link} to={`/accounts/${encodeURIComponent(id)}`} size="sm">
                            {id}
                          </Anchor>
                        ))}
                        {g.accountIdsTruncated && (
                          <Text size="xs" c="dimmed">
                            and {g.count - g.accountIds.length} more
                          </Text>
                        )}
                      </Stack>
                    </Stack>
                  </Paper>
                );
              })}
            </Group>
          </ScrollArea>
        </>
      )}
    </Page>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600}>
        {value}
      </Text>
    </div>
  );
}
