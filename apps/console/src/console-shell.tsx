import { AppShell, Badge, Burger, Button, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useSession, useSessionState } from './session/session-context';

const SECTIONS: { label: string; links: { to: string; label: string }[] }[] = [
  {
    label: 'Lifecycle',
    links: [
      { to: '/attributes', label: 'Attributes' },
      { to: '/accounts', label: 'Accounts' },
      { to: '/imports', label: 'Import statuses' },
    ],
  },
  {
    label: 'Segments',
    links: [
      { to: '/segments', label: 'Segments' },
      { to: '/reports', label: 'Lifecycle report' },
    ],
  },
  {
    label: 'SuccessCycles',
    links: [
      { to: '/cycles/templates', label: 'Templates' },
      { to: '/cycles/client-types', label: 'Client types' },
      { to: '/cycles/tasks', label: 'Tasks' },
      { to: '/plays', label: 'Plays' },
    ],
  },
];

/** The frame of every screen: header with the key's role, navigation (a drawer below 48em), content. */
export function ConsoleShell() {
  const session = useSession();
  const { signOut } = useSessionState();
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Title order={2} fz={{ base: 'md', sm: 'lg' }} style={{ whiteSpace: 'nowrap' }}>
              Lifecycle
              <Text span inherit visibleFrom="xs">
                {' '}
                console
              </Text>
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Badge
              color={session.role === 'admin' ? 'blue' : 'gray'}
              variant="light"
              title={`Key ${session.keyId}`}
              data-testid="role"
              style={{ flex: 'none' }}
            >
              {session.role === 'admin' ? (
                'Admin'
              ) : (
                <>
                  Viewer
                  <Text span inherit visibleFrom="sm">
                    {' '}
                    · read-only
                  </Text>
                </>
              )}
            </Badge>
            <Button variant="subtle" size="compact-sm" onClick={() => signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          {SECTIONS.map((section) => (
            <div key={section.label}>
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" pt="sm" pb={4}>
                {section.label}
              </Text>
              {section.links.map((link) => (
                <NavLink
                  key={link.to}
                  component={RouterLink}
                  to={link.to}
                  label={link.label}
                  active={pathname === link.to || pathname.startsWith(`${link.to}/`)}
                  onClick={close}
                />
              ))}
            </div>
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="content" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
