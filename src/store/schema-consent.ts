// Kysely table types of the consent work (see schema.ts for the conventions).

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the consent work
export interface ConsentTables {}
