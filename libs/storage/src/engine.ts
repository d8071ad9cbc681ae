import type { Document } from 'mongodb';

/**
 * What the server behind `MONGO_URL` can be relied on for. Repositories and query compilers read
 * these flags; nothing else in the code asks which server it talks to. Each flag is a measured
 * behaviour (docs/architecture.md, "The embedded engine's exceptions").
 */
export interface EngineCapabilities {
  /**
   * A single-document update is atomic: `updateOne({ _id, version })` from two processes has one
   * winner. Without it, writes of one aggregate are serialized by the process (`AggregateLock`),
   * which holds for one instance only.
   */
  atomicUpdates: boolean;
  /** `$elemMatch` with field conditions on arrays of subdocuments, all of them met by ONE element. */
  elemMatchOnSubdocuments: boolean;
  /**
   * Secondary indexes (and `$in` or ranges on `_id`) serve queries. Without them only an exact
   * `_id` avoids decoding every document of the collection, so reads by many ids go one by one
   * and rarely queried trees are kept opaque (fewer fields to decode per scanned document).
   */
  usableSecondaryIndexes: boolean;
  /**
   * `{ _id: { $in: [...] } }` is served by the `_id` index (id by id), so many ids are read in one
   * query. Implied by `usableSecondaryIndexes`; the embedded mongo-java-server does it through its
   * launcher (scripts/infra/mongo-java-server/Launcher.java).
   */
  idSetLookups: boolean;
  /** Operations per `bulkWrite` call that the server still answers. */
  maxBulkOps: number;
  /** An unordered bulk write goes on past a failed operation and names each failure by its index. */
  bulkWriteReportsEachFailure: boolean;
  /**
   * `$pull` with a condition (`{ $pull: { outbox: { id: { $in: [...] } } } }`) removes the array
   * elements that match it. Without it only `$pullAll` of exact values removes anything.
   */
  conditionalPull: boolean;
}

export interface StorageEngine extends EngineCapabilities {
  /** One of `EngineName`. */
  name: string;
}

/** The server's answer to `buildInfo`: how an engine is recognized. */
export type BuildInfo = Document;

interface EngineEntry extends StorageEngine {
  recognizes(info: BuildInfo): boolean;
}

/**
 * Every engine the code knows, most specific first; the last one recognizes any server. Adding an
 * engine is one entry here (and its measured figures in docs/architecture.md).
 */
const KNOWN_ENGINES = [
  {
    // FerretDB 1.24 (SQLite backend), the other embedded engine of `scripts/infra.sh`.
    name: 'ferretdb',
    recognizes: (info: BuildInfo) => typeof info.ferretdbVersion === 'string',
    atomicUpdates: false,
    elemMatchOnSubdocuments: false,
    usableSecondaryIndexes: false,
    idSetLookups: false,
    maxBulkOps: 50,
    bulkWriteReportsEachFailure: false,
    conditionalPull: false,
  },
  {
    // mongo-java-server 1.47 (H2 backend), the default embedded engine of `scripts/infra.sh`;
    // its launcher adds `mongoJavaServerVersion` to `buildInfo`. Updates run under a lock per
    // collection (20 × 200 concurrent `$inc` kept 4 000 of 4 000), but every query other than an
    // exact `_id` walks the collection, indexed or not (docs/benchmarks.md, "Mongo-wire engines").
    name: 'mongo-java-server',
    recognizes: (info: BuildInfo) => typeof info.mongoJavaServerVersion === 'string',
    atomicUpdates: true,
    elemMatchOnSubdocuments: true,
    usableSecondaryIndexes: false,
    idSetLookups: true,
    maxBulkOps: 1_000,
    bulkWriteReportsEachFailure: true,
    conditionalPull: true,
  },
  {
    name: 'mongodb',
    recognizes: () => true,
    atomicUpdates: true,
    elemMatchOnSubdocuments: true,
    usableSecondaryIndexes: true,
    idSetLookups: true,
    maxBulkOps: 1_000,
    bulkWriteReportsEachFailure: true,
    conditionalPull: true,
  },
] as const satisfies readonly EngineEntry[];

export type EngineName = (typeof KNOWN_ENGINES)[number]['name'];

function withoutRecognizer({ recognizes: _recognizes, ...engine }: EngineEntry): StorageEngine {
  return engine;
}

/** The known engines by name (tests run a repository as it runs on another engine). */
export const ENGINES: Readonly<Record<EngineName, StorageEngine>> = Object.fromEntries(
  KNOWN_ENGINES.map((entry) => [entry.name, withoutRecognizer(entry)]),
) as Record<EngineName, StorageEngine>;

/** The engine that answered `buildInfo` this way. */
export function engineOf(info: BuildInfo): StorageEngine {
  const entry: EngineEntry =
    KNOWN_ENGINES.find((candidate: EngineEntry) => candidate.recognizes(info)) ?? KNOWN_ENGINES[KNOWN_ENGINES.length - 1]!;
  return withoutRecognizer(entry);
}
