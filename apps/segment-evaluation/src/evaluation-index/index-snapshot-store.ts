import { open, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountIndex } from './core/account-index';
import { decodeSnapshot, encodeSnapshot, type DecodedSnapshot } from './core/index-snapshot';
import type { FeedPosition } from './index-feed';

/**
 * Snapshot files of one instance's index: `<dir>/evaluation-index-<instance>.snap`, written to a
 * temporary file first and renamed, so a crash mid-write leaves the previous snapshot whole.
 */
export class IndexSnapshotStore {
  private readonly file: string;

  constructor(
    private readonly dir: string,
    instance: string,
  ) {
    this.file = join(dir, `evaluation-index-${instance}.snap`);
  }

  get path(): string {
    return this.file;
  }

  async read(): Promise<DecodedSnapshot<FeedPosition> | null> {
    try {
      await stat(this.file);
    } catch {
      return null;
    }
    return decodeSnapshot<FeedPosition>(await readFile(this.file));
  }

  /** Writes the index as it is now (the encoding is synchronous: columns and position agree). */
  async write(index: AccountIndex, position: FeedPosition, takenAt: Date): Promise<number> {
    const chunks = encodeSnapshot(index, position, takenAt);
    await mkdir(this.dir, { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w');
    let bytes = 0;
    try {
      for (const chunk of chunks) {
        await handle.write(chunk);
        bytes += chunk.length;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.file);
    return bytes;
  }

  async remove(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
