// A form that writes to the server: the error of the last try is kept for the form to show (next
// to the field it names, or at the top), and a 403 also tells the session, so the buttons that
// need the same permission turn disabled with the reason.
import { useCallback, useState } from 'react';
import { useSession } from '../session.tsx';

export function useFormSubmit() {
  const { noteForbidden } = useSession();
  const [error, setError] = useState<unknown>(null);
  const tryWrite = useCallback(
    async (permission: string, write: () => Promise<void>) => {
      setError(null);
      try {
        await write();
      } catch (err) {
        noteForbidden(permission, err);
        setError(err);
      }
    },
    [noteForbidden],
  );
  return { error, setError, tryWrite };
}
