// Paging by cursor. The API hands out only the cursor of the next page (`next_before` or
// `next_after`), never one for the page before, so the cursors of the pages seen so far are kept
// here: going back is dropping the last one.
import { useCallback, useState } from 'react';

export interface CursorPages {
  /** The cursor of the page shown; undefined on the first page. */
  cursor: number | undefined;
  /** 1 for the first page. */
  number: number;
  back: () => void;
  forward: (next: number) => void;
  /** To the first page again (a new filter or search, or the list was emptied). */
  reset: () => void;
}

export function useCursorPages(): CursorPages {
  const [cursors, setCursors] = useState<number[]>([]);
  const back = useCallback(() => setCursors((c) => c.slice(0, -1)), []);
  const forward = useCallback((next: number) => setCursors((c) => [...c, next]), []);
  const reset = useCallback(() => setCursors([]), []);
  return { cursor: cursors[cursors.length - 1], number: cursors.length + 1, back, forward, reset };
}
