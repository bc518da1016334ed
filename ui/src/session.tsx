// Who is signed in, what they may do, and the toasts: one React context for the whole app.
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { ApiError, api } from './api.ts';
import type { Me } from './types.ts';

export interface Toast {
  id: number;
  kind: 'ok' | 'warn' | 'error';
  text: string;
}

export interface Permit {
  ok: boolean;
  /** Why not, in the server's words when it told us (403), else from the role's permissions. */
  reason: string | null;
}

interface SessionValue {
  me: Me;
  can: (permission: string) => Permit;
  /** Remember a 403 so the control shows disabled with its reason from then on. */
  noteForbidden: (permission: string, err: unknown) => void;
  toast: (text: string, kind?: Toast['kind']) => void;
  signOut: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside <SessionProvider>');
  return s;
}

/** Reads /auth/me; a server without it (or a key without settings:read) still gets a usable shell. */
export async function loadMe(): Promise<Me> {
  try {
    const me = await api.get<Me>('/api/v1/auth/me');
    return { ...me, permissions: me.permissions ?? null };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
  }
  try {
    const a = await api.get<{ id: number; name: string; role: string }>('/api/v1/account');
    return { kind: 'api_key', user: null, role: a.role, permissions: null, account: { id: a.id, name: a.name } };
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return { kind: 'api_key', user: null, role: 'unknown', permissions: null, account: { id: 0, name: 'Herald' } };
    throw err;
  }
}

export function SessionProvider(props: { me: Me; onSignOut: () => void; toasts: ToastApi; children: ReactNode }) {
  const { me, onSignOut, toasts } = props;
  const [forbidden, setForbidden] = useState<Record<string, string>>({});
  const can = useCallback(
    (permission: string): Permit => {
      if (forbidden[permission]) return { ok: false, reason: forbidden[permission] };
      if (me.permissions && !me.permissions.includes(permission)) {
        // Said the way the server says it (F4.2): the permission, the roles that hold it, yours.
        const holders = Object.entries(me.roles ?? {})
          .filter(([, perms]) => perms.includes(permission))
          .map(([role]) => role);
        const held = holders.length ? `, held by the roles ${holders.join(', ')}` : '';
        return { ok: false, reason: `This needs the permission ${permission}${held}; you have the role ${me.role}.` };
      }
      return { ok: true, reason: null };
    },
    [me, forbidden],
  );
  const noteForbidden = useCallback((permission: string, err: unknown) => {
    if (!(err instanceof ApiError) || err.status !== 403) return;
    // The server names the permission it wanted; the caller's guess is the fallback.
    const named = (err.details as { permission?: unknown } | undefined)?.permission;
    const key = typeof named === 'string' ? named : permission;
    setForbidden((f) => ({ ...f, [key]: err.message }));
  }, []);
  const value = useMemo(() => ({ me, can, noteForbidden, toast: toasts.push, signOut: onSignOut }), [me, can, noteForbidden, toasts.push, onSignOut]);
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export interface ToastApi {
  toasts: Toast[];
  push: (text: string, kind?: Toast['kind']) => void;
  dismiss: (id: number) => void;
}

export function useToasts(): ToastApi {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const push = useCallback(
    (text: string, kind: Toast['kind'] = 'ok') => {
      const id = next.current++;
      setToasts((t) => [...t.slice(-3), { id, kind, text }]);
      setTimeout(() => dismiss(id), kind === 'ok' ? 4000 : 8000);
    },
    [dismiss],
  );
  return { toasts, push, dismiss };
}
