// The options of a choice among named records (lists, segments, templates): the "none" choice
// first, with the empty value the API reads as none, then each record by name, valued by its id.
import type { Named } from '../types.ts';

export function NamedOptions({ none, items }: { none: string; items: readonly Named[] | undefined }) {
  return (
    <>
      <option value="">{none}</option>
      {items?.map((n) => (
        <option key={n.id} value={n.id}>
          {n.name}
        </option>
      ))}
    </>
  );
}
