// The name (required, ≤ 200 characters) and description (optional, ≤ 2,000) that lists and
// segments share, checked the same way for both, with errors naming the field.
import { invalid } from './errors.ts';

export function checkNameAndDescription(
  input: { name?: unknown; description?: unknown },
  creating: boolean,
  noun: string,
): { name?: string; description?: string | null } {
  const out: { name?: string; description?: string | null } = {};
  if (input.name !== undefined || creating) {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name === '') throw invalid('name', `a ${noun} needs a name`);
    if (name.length > 200) throw invalid('name', 'is longer than 200 characters');
    out.name = name;
  }
  if (input.description !== undefined) {
    const d = input.description === null ? null : String(input.description).trim();
    if (d !== null && d.length > 2000) throw invalid('description', 'is longer than 2000 characters');
    out.description = d === '' ? null : d;
  }
  return out;
}
