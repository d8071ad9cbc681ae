import type { Db } from 'mongodb';

/**
 * What guards a batch of versioned writes, depending on the server behind `MONGO_URL`:
 * - `database`: MongoDB applies `updateOne({ _id, version })` atomically, through the `_id` index,
 *   and names each failed operation of an unordered bulk write. The version condition guards
 *   writes across processes (several instances).
 * - `process`: FerretDB v1 applies an update as a separate read and write (not atomic), and stops an
 *   unordered bulk write at its first failed operation, naming index 0 whichever it was: a version
 *   condition would neither guard nor tell which write lost (and unpatched, it makes every update
 *   decode the whole collection). The per-account write lock held from the read to the write is the
 *   guard there (one instance, see docs/architecture.md); batch writes go by `{ _id }` alone.
 */
export type WriteGuard = 'database' | 'process';

/** FerretDB answers `buildInfo` with its own `ferretdbVersion`; MongoDB does not. */
export async function detectWriteGuard(db: Db): Promise<WriteGuard> {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string' ? 'process' : 'database';
}
