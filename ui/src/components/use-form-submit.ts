// A form that writes to the server: the error of the last try is kept for the form to show (next
// to the field it names, or at the top), and a 403 also tells the session, so the buttons that
// need the same permission turn disabled with the reason. `busy` is true while a write runs, for
// the forms whose submit button shows it.
import { useCallback, useState } from 'react';
import { useSession } from '../session.tsx';

export function useFormSubmit() {
  const { noteForbidden } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const tryWrite = useCallback(
    async (permission: string, write: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      try {
        await write();
      } catch (err) {
        noteForbidden(permission, err);
        setError(err);
      } finally {
        setBusy(false);
      }
    },
    [noteForbidden],
  );
  return { error, setError, busy, tryWrite };
}
