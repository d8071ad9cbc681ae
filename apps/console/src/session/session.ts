import type { KeySession } from '../api/schemas';

/** The signed-in key with its role and id (`GET /v1/session`), kept for the browser tab only (sessionStorage). */
export interface Session extends KeySession {
  key: string;
}

const STORAGE_KEY = 'lifecycle-console.session';

export function loadSession(storage: Storage): Session | null {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.key !== 'string' || (parsed.role !== 'admin' && parsed.role !== 'viewer') || typeof parsed.keyId !== 'string') {
      return null;
    }
    return { key: parsed.key, role: parsed.role, keyId: parsed.keyId };
  } catch {
    return null;
  }
}

export function saveSession(storage: Storage, session: Session): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage): void {
  storage.removeItem(STORAGE_KEY);
}
