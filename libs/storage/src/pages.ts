import type { FindCursor } from 'mongodb';

/**
 * A cursor's documents as pages of `size`, each document mapped as it arrives; the cursor is
 * closed when the pass ends or the caller stops early. Memory: one page plus the driver's buffer.
 */
export async function* pagesOf<D, T>(cursor: FindCursor<D>, size: number, map: (doc: D) => T): AsyncGenerator<T[]> {
  try {
    let page: T[] = [];
    for await (const doc of cursor) {
      page.push(map(doc));
      if (page.length < size) continue;
      yield page;
      page = [];
    }
    if (page.length > 0) yield page;
  } finally {
    await cursor.close();
  }
}
