/** The signed-in key, its role and id, kept for the browser tab only (sessionStorage). */
export type Role = 'admin' | 'viewer';

export interface Session {
  key: string;
  role: Role;
  keyId: string;
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
