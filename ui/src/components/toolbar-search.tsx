// A one-field search or filter above a list: the text typed is only a draft until submitted, so
// the list is not asked again on every key; the list gets the trimmed text.
import { useState } from 'react';

export function ToolbarSearch(props: { formLabel: string; inputLabel: string; placeholder: string; button: string; onSearch: (text: string) => void }) {
  const [draft, setDraft] = useState('');
  return (
    <form
      className="toolbar"
      aria-label={props.formLabel}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSearch(draft.trim());
      }}
    >
      <input aria-label={props.inputLabel} placeholder={props.placeholder} value={draft} onChange={(e) => setDraft(e.target.value)} />
      <button type="submit" className="btn btn-secondary">
        {props.button}
      </button>
    </form>
  );
}
