import { Box, Table, type TableProps } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways inside its own region when the screen is narrower than it (390 px).
 * The region takes focus so the keyboard can scroll it too (WCAG 2.1.1), and it is named like the table;
 * it is positioned so that visually hidden cells (absolutely placed) scroll with it instead of widening the page.
 */
export function DataTable({ label, minWidth, children, ...table }: { label: string; minWidth: number; children: ReactNode } & TableProps) {
  return (
    <Box role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto', position: 'relative' }}>
      <Table miw={minWidth} aria-label={label} {...table}>
        {children}
      </Table>
    </Box>
  );
}
