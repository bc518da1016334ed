// How a segment looks outside the store: its rules parsed back into the tree that was saved.
import type { SegmentRule } from '../../core/segment-rules.ts';
import type { SegmentRow } from '../../store/schema-segments.ts';

export interface SegmentView {
  id: number;
  name: string;
  description: string | null;
  rules: SegmentRule;
  created_at: string;
  updated_at: string;
}

export function toSegmentView(row: SegmentRow): SegmentView {
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    rules: JSON.parse(row.rules) as SegmentRule,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
