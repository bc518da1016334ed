// Tabs that switch a view inside one page (how to sign in, how to show a caught message). Pages
// and settings sections are links with aria-current instead, so they have an address.
export function TabStrip<K extends string>(props: { label: string; tabs: ReadonlyArray<{ key: K; label: string }>; selected: K; onSelect: (key: K) => void }) {
  return (
    <div className="tabs" role="tablist" aria-label={props.label}>
      {props.tabs.map((t) => (
        <button key={t.key} type="button" role="tab" aria-selected={props.selected === t.key} onClick={() => props.onSelect(t.key)}>
          {t.label}
        </button>
      ))}
    </div>
  );
}
