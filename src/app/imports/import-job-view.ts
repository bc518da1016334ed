// How an import job looks outside the store.
import type { ImportJobRow } from '../../store/schema.ts';

/** One rejected row: the line it starts on, the column (field) at fault, and why. */
export interface ImportRowError {
  line: number;
  field: string;
  reason: string;
}

export interface ImportJobView {
  id: number;
  status: 'running' | 'completed' | 'failed';
  list_id: number | null;
  source: string;
  total_rows: number;
  imported_rows: number;
  failed_rows: number;
  /** The first 1,000 row errors. */
  errors: ImportRowError[];
  created_at: string;
  finished_at: string | null;
}

export function toImportJobView(row: ImportJobRow): ImportJobView {
  return {
    id: Number(row.id),
    status: row.status as ImportJobView['status'],
    list_id: row.list_id === null ? null : Number(row.list_id),
    source: row.source,
    total_rows: Number(row.total_rows),
    imported_rows: Number(row.imported_rows),
    failed_rows: Number(row.failed_rows),
    errors: JSON.parse(row.errors),
    created_at: row.created_at,
    finished_at: row.finished_at,
  };
}
