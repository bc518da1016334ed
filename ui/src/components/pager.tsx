// The buttons under a paged list. Lists paged with `before` run newest first, so their buttons say
// Newer / Older; lists paged with `after` run in id order, so theirs say Previous / Next.
import type { CursorPages } from './cursor-pages.ts';

const WORDS = {
  before: { back: '← Newer', forward: 'Older →' },
  after: { back: '← Previous', forward: 'Next →' },
} as const;

export function Pager(props: {
  /** The nav's accessible name ("Campaign pages"). */
  label: string;
  pages: CursorPages;
  /** The API's cursor of the next page; none: this is the last page. */
  next: number | null | undefined;
  direction: keyof typeof WORDS;
  /** Small buttons, for a pager inside a card or a side list. */
  compact?: boolean;
  showPageNumber?: boolean;
}) {
  const { pages, next } = props;
  const words = WORDS[props.direction];
  const className = `btn btn-secondary${props.compact ? ' btn-small' : ''}`;
  return (
    <nav className="pager" aria-label={props.label}>
      <button type="button" className={className} disabled={pages.number === 1} onClick={pages.back}>
        {words.back}
      </button>
      {props.showPageNumber && <span className="muted small">Page {pages.number}</span>}
      <button type="button" className={className} disabled={!next} onClick={() => next && pages.forward(next)}>
        {words.forward}
      </button>
    </nav>
  );
}
