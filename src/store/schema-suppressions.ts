// Kysely table types of the suppressions work (see schema.ts for the conventions).

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the suppressions work
export interface SuppressionTables {}
