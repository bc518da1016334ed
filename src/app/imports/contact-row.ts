// One CSV row → contact fields, with every problem reported by line and column. A row is imported
// whole or not at all: an invalid email rejects the row even if it has a valid phone (importing it
// as phone-only would silently change who the contact is).
import { attributeProblem, type AttributeValue, type ContactFields, normalizeContactField } from '../../core/contact-input.ts';
import type { CsvColumn } from './csv-columns.ts';
import type { ImportRowError } from './import-job-view.ts';

export const INVALID_UTF8 = 'invalid UTF-8 (file is not UTF-8 encoded?)';

const shown = (v: string) => (v.length > 80 ? `${v.slice(0, 80)}…` : v);

/** Returns the contact, or null after reporting why the row cannot be imported. */
export function contactFromRow(values: readonly string[], columns: readonly CsvColumn[], line: number, report: (e: ImportRowError) => void): ContactFields | null {
  const contact: ContactFields = {};
  let attributes: Record<string, AttributeValue> | undefined;
  let bad = false;
  for (let i = 0; i < columns.length; i++) {
    let v = values[i];
    if (v === '') continue;
    const column = columns[i];
    // Bytes that are not UTF-8 were decoded to U+FFFD; storing them would keep garbled names.
    if (v.includes('\uFFFD')) {
      report({ line, field: column.name, reason: INVALID_UTF8 });
      bad = true;
      continue;
    }
    v = v.trim();
    if (v === '') continue;
    if (column.field === null) {
      // Cells are text: "01067" stays a postal code, not the number 1067.
      const problem = attributeProblem(column.name, v);
      if (problem) {
        report({ line, field: column.name, reason: problem });
        bad = true;
      } else {
        attributes ??= {};
        attributes[column.name] = v;
      }
      continue;
    }
    const n = normalizeContactField(column.field, v);
    if (n.ok) contact[column.field] = n.value;
    else {
      report({ line, field: column.name, reason: `${shown(v)}: ${n.reason}` });
      bad = true;
    }
  }
  if (bad) return null;
  if (!contact.email && !contact.phone) {
    report({ line, field: columns.some((c) => c.field === 'email') ? 'email' : 'phone', reason: 'the row has neither an email nor a phone number' });
    return null;
  }
  if (attributes) contact.attributes = attributes;
  return contact;
}
