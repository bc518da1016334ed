// Both drivers report a unique-index violation differently: PostgreSQL with SQLSTATE 23505,
// node:sqlite with the extended result code SQLITE_CONSTRAINT_UNIQUE (2067) or _PRIMARYKEY (1555).
// Use cases check for duplicates first to name the field; this catches the race between two writers.
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown } | null;
  return e?.code === '23505' || e?.errcode === 2067 || e?.errcode === 1555;
}
