import { Group, Loader, Text } from '@mantine/core';

export function Loading({ what }: { what: string }) {
  return (
    <Group gap="xs" role="status" aria-live="polite">
      <Loader size="sm" />
      <Text size="sm">Loading {what}…</Text>
    </Group>
  );
}
