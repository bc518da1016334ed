// Kysely table types of the segments work (see schema.ts for the conventions).

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the segments work
export interface SegmentTables {}
