// Kysely table types of the tracking work (see schema.ts for the conventions).

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the tracking work
export interface TrackingTables {}
