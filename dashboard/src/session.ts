// Who is signed in: one secret key per mode, kept in memory and in
// sessionStorage (gone when the tab closes), never in a cookie or a URL.
import { useEffect, useState } from 'preact/hooks';

export type Mode = 'test' | 'live';

export interface Session {
  keys: Partial<Record<Mode, string>>;
  mode: Mode;
}

const kStorage = 'hookline.session';
const listeners = new Set<(session: Session | null) => void>();

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(kStorage);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Session;
    return parsed.keys && parsed.keys[parsed.mode] ? parsed : null;
  } catch {
    return null;
  }
}

let current: Session | null = load();

export function modeOfKey(key: string): Mode | null {
  if (/^sk_test_[A-Za-z0-9]+$/.test(key)) return 'test';
  if (/^sk_live_[A-Za-z0-9]+$/.test(key)) return 'live';
  return null;
}

function publish(next: Session | null) {
  current = next;
  if (next) sessionStorage.setItem(kStorage, JSON.stringify(next));
  else sessionStorage.removeItem(kStorage);
  for (const listener of listeners) listener(next);
}

export function signIn(key: string): Mode {
  const mode = modeOfKey(key);
  if (!mode) throw new Error('A secret key starts with sk_test_ or sk_live_.');
  publish({ keys: { ...(current?.keys ?? {}), [mode]: key }, mode });
  return mode;
}

export function switchMode(mode: Mode) {
  if (current?.keys[mode]) publish({ ...current, mode });
}

export function signOut() {
  publish(null);
}

export function activeKey(): string {
  if (!current) throw new Error('signed out');
  return current.keys[current.mode]!;
}

export function useSession(): Session | null {
  const [session, setSession] = useState(current);
  useEffect(() => {
    listeners.add(setSession);
    return () => void listeners.delete(setSession);
  }, []);
  return session;
}
