import { Alert } from '@mantine/core';
import { useCanWrite } from '../session/session-context';

/** Shown to viewers on screens with write controls: they are there, disabled. */
export function ReadOnlyNotice() {
  if (useCanWrite()) return null;
  return (
    <Alert color="gray" variant="light" title="Read-only">
      Your key has the viewer role: you can look at everything here and change nothing.
    </Alert>
  );
}
