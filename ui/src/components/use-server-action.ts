// A button's action on the server (delete, revoke, confirm…) that has no form to show its error
// in: a failure becomes an error toast, and a 403 also tells the session, so every button that
// needs the same permission turns disabled with the reason.
import { useCallback } from 'react';
import { errorMessage } from '../api.ts';
import { useSession } from '../session.tsx';

export function useServerAction(): (permission: string, act: () => Promise<void>) => Promise<void> {
  const { toast, noteForbidden } = useSession();
  return useCallback(
    async (permission: string, act: () => Promise<void>) => {
      try {
        await act();
      } catch (err) {
        noteForbidden(permission, err);
        toast(errorMessage(err), 'error');
      }
    },
    [toast, noteForbidden],
  );
}
