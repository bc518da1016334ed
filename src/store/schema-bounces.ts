// Kysely table types of the bounces work (see schema.ts for the conventions).

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the bounces work
export interface BounceTables {}
