// The header row of a data table. Every column header is scoped to its column; numeric columns
// are right-aligned like their cells; a column of row buttons or links has a name only screen
// readers say (a visible "Remove" over a column of Remove buttons says nothing new).
export type Column = string | { label: string; kind: 'number' | 'sr-only' } | { label: string; className: string };

export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => {
          if (typeof c === 'string')
            return (
              <th key={c} scope="col">
                {c}
              </th>
            );
          if ('className' in c)
            return (
              <th key={c.label} scope="col" className={c.className}>
                {c.label}
              </th>
            );
          if (c.kind === 'number')
            return (
              <th key={c.label} scope="col" className="num">
                {c.label}
              </th>
            );
          return (
            <th key={c.label} scope="col">
              <span className="sr-only">{c.label}</span>
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
