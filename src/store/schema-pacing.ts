// Kysely table types of the pacing work (see schema.ts for the conventions).

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the pacing work
export interface PacingTables {}
