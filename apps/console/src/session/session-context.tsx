import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, onUnauthorized, setApiKey, unwrap } from '../api/client';
import { clearSession, loadSession, saveSession, type Session } from './session';

interface SessionState {
  session: Session | null;
  /** Why the user was signed out, shown on the sign-in screen. */
  notice: string | null;
  signIn(key: string): Promise<void>;
  signOut(notice?: string): void;
}

const SessionContext = createContext<SessionState | null>(null);

/** Asks the gateway who the key is (`GET /v1/session`): its role decides which controls are offered. */
async function whoIs(key: string): Promise<Session> {
  setApiKey(key);
  try {
    const who = await unwrap(api.GET('/v1/session'));
    return { key, role: who.role, keyId: who.keyId };
  } catch (e) {
    setApiKey(null);
    throw e;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | null>(() => {
    const stored = loadSession(window.sessionStorage);
    setApiKey(stored?.key ?? null);
    return stored;
  });
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback(
    (why?: string) => {
      clearSession(window.sessionStorage);
      setApiKey(null);
      queryClient.clear();
      setSession(null);
      setNotice(why ?? null);
    },
    [queryClient],
  );

  const signIn = useCallback(async (key: string) => {
    const next = await whoIs(key.trim());
    saveSession(window.sessionStorage, next);
    setNotice(null);
    setSession(next);
  }, []);

  useEffect(() => onUnauthorized(() => signOut('The gateway no longer accepts this key; sign in again.')), [signOut]);

  // A stored session is checked again once per page load: the key's role may have changed.
  const storedKey = session?.key;
  useEffect(() => {
    if (storedKey === undefined) return;
    unwrap(api.GET('/v1/session'))
      .then((who) => {
        const fresh: Session = { key: storedKey, role: who.role, keyId: who.keyId };
        saveSession(window.sessionStorage, fresh);
        setSession((current) => (current?.role === fresh.role && current.keyId === fresh.keyId ? current : fresh));
      })
      .catch(() => undefined); // a 401 signs out through onUnauthorized; anything else keeps the session
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per page load, not per session change
  }, []);

  const value = useMemo(() => ({ session, notice, signIn, signOut }), [session, notice, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (state === null) throw new Error('useSessionState needs a SessionProvider');
  return state;
}

/** The signed-in session (the console's pages only render once there is one). */
export function useSession(): Session {
  const { session } = useSessionState();
  if (session === null) throw new Error('useSession outside a signed-in page');
  return session;
}

/** Admins may change things; viewers see every screen with its write controls disabled. */
export function useCanWrite(): boolean {
  return useSession().role === 'admin';
}
