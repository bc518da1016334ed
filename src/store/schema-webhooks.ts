// Kysely table types of the webhooks work (see schema.ts for the conventions).

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the webhooks work
export interface WebhookTables {}
