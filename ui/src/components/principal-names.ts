// The server names people by their audit label (user:7, api_key:3): in the approval queue, in
// notifications, in run reasons. The dashboard says "you" for the signed-in user and, for a role
// that may list the users (users:manage), their email; other roles keep the label.
import { useCallback } from 'react';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';
import { useApi } from './use-api.ts';

const LABEL = /\buser:(\d+)\b/g;

/** `needed` false: nothing is loaded (a page calls this before it knows it has labels to show). */
export function usePrincipalNames(needed = true): (text: string) => string {
  const { me, can } = useSession();
  const mayList = needed && can('users:manage').ok && me.permissions !== null;
  const users = useApi(async () => {
    if (!mayList) return new Map<number, string>();
    try {
      const r = await api.get<{ items: { id: number; email: string }[] }>('/api/v1/users');
      return new Map(r.items.map((u) => [u.id, u.email]));
    } catch {
      return new Map<number, string>(); // the labels stay; nothing else depends on this
    }
  }, [mayList]);
  const byId = users.data;
  const myId = me.user?.id ?? null;
  return useCallback(
    (text: string) =>
      text.replace(LABEL, (label, id: string) => {
        if (Number(id) === myId) return 'you';
        return byId?.get(Number(id)) ?? label;
      }),
    [byId, myId],
  );
}
