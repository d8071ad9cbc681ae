import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountIndex } from './core/account-index';
import { decodeSnapshot, encodeSnapshot, type DecodedSnapshot, type SnapshotSource } from './core/index-snapshot';
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
    // Read column by column into the index's own arrays: a copy of the whole file (hundreds of
    // MiB at 1M accounts) would double the load's memory, and V8 frees such a buffer only at a
    // later full collection, so the service would keep it in its RSS long after the load.
    const fd = openSync(this.file, 'r');
    try {
      return decodeSnapshot<FeedPosition>(fileSource(fd));
    } finally {
      closeSync(fd);
    }
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

/** A snapshot file read at positions (synchronous: the load answers 503 meanwhile anyway). */
function fileSource(fd: number): SnapshotSource {
  return {
    size: fstatSync(fd).size,
    read(into, position) {
      for (let done = 0; done < into.length;) {
        const n = readSync(fd, into, done, into.length - done, position + done);
        if (n === 0) throw new Error(`snapshot file ended at ${position + done}`);
        done += n;
      }
    },
  };
}
