import { Group, Text } from '@mantine/core';

/** A stage as a dot of its colour beside its name: the name stays in the text colour, readable whatever the colour. */
export function StageName({ name, color, dimmed }: { name: string; color?: string | null; dimmed?: boolean }) {
  return (
    <Group gap={6} wrap="nowrap" component="span">
      {color ? <span className="stage-swatch" style={{ background: color }} aria-hidden="true" /> : null}
      <Text span size="sm" c={dimmed ? 'dimmed' : undefined}>
        {name}
      </Text>
    </Group>
  );
}
