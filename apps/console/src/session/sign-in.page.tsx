import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { describeError } from '../ui/error-alert';
import { useSessionState } from './session-context';

/** The key is asked for once per browser tab and kept in sessionStorage; the gateway says its role. */
export function SignInPage() {
  const { signIn, notice } = useSessionState();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = 'Sign in · Lifecycle console';
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (key.trim() === '') {
      setError('Enter your API key.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(key);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? 'The gateway does not accept this key.' : describeError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <Title order={1} size="h2">
              Lifecycle console
            </Title>
            <Text size="sm" c="dimmed">
              Sign in with your API key. An admin key can change things; a viewer key can look at everything.
            </Text>
            {notice && (
              <Alert color="yellow" variant="light" role="status">
                {notice}
              </Alert>
            )}
            <PasswordInput
              label="API key"
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              error={error}
              autoComplete="current-password"
              data-autofocus
              required
            />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
