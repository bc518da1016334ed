// One CSV line (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled;
// lines end with CRLF so spreadsheet programs read them on every platform.
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** Where an export writes its text; it waits for a slow reader (back-pressure). */
export type CsvWrite = (chunk: string) => void | Promise<void>;
