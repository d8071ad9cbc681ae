/** MongoDB and FerretDB report a unique index violation as code 11000 (FerretDB names no index). */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * FerretDB on SQLite answers "database is locked (SQLITE_BUSY)" (code 1, InternalError) when a
 * write waited longer than its busy timeout for the database's one write lock: transient.
 */
export function isDatabaseBusy(error: unknown): boolean {
  return error instanceof Error && /SQLITE_BUSY|database is locked/.test(error.message);
}
