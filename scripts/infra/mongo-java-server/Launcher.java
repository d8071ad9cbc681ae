// Starts mongo-java-server (Maven Central: de.bwaldvogel:mongo-java-server) on one address.
// scripts/infra.sh compiles this one file into its cache and runs `java -cp <classes>:<jars>/*
// Launcher ...`; `java -cp '<jars>/*' Launcher.java ...` runs it without that step.
//
//   Launcher.java --backend h2 --file <path.mv> [--cache-mb 512] [--commit each-command|background]
//                 [--host H] [--port P] [--version V]
//   Launcher.java --backend memory [--host H] [--port P] [--version V]
//   Launcher.java --check-key-order <pairs>   (IndexKeyType against the stored order; exit 1 on a difference)
//
// h2: documents in one H2 MVStore file. The store is committed (written to the file) before a
// command is answered, so an acknowledged write survives a SIGKILL of the server (MVStore alone
// commits in the background once a second: a SIGKILL right after 1 000 acknowledged inserts
// kept 602 of them); a command that changed nothing commits nothing. `--commit background`
// leaves it to MVStore. SIGTERM (scripts/infra.sh down/restart) closes the store. Its page cache
// holds deserialized documents: a larger cache keeps scans out of the file.
// memory: nothing survives a restart; for measurements only.
//
// What the launcher adds to the server as released (each a gap the services would otherwise meet):
// - it announces MongoDB 5.0 (wire version 13): the Node.js driver 6 refuses servers older than 4.2;
// - `buildInfo` carries `mongoJavaServerVersion` (`--version`, the jars' manifests have none), by
//   which the services recognize the engine, as FerretDB's answer carries `ferretdbVersion`;
// - `listCollections` applies its `filter` (the server lists every collection whatever it asks);
// - h2: a filter with an exact `_id` and other keys (`{ _id, version }`: every versioned write) is
//   narrowed by the `_id` index. As released an index serves a filter only when the filter's keys
//   are exactly the index's, so such a filter walked the whole collection (1 000 version-guarded
//   writes over 100 000 documents of 3.9 kB did not finish in 5 minutes). The documents found
//   are then matched against the rest of the filter, so answers do not change. The same for
//   `{ _id: { $in: [...] } }` (reads of many ids): each id through the index instead of a walk.
// - h2: a unique index (`_id_` in every collection) compares its keys without serializing them
//   (IndexKeyType below). As released, H2 orders such keys by their Java serialization, and
//   serialized both keys at each of the ~17 comparisons of a look-up in 100 000 documents: half
//   the server's CPU under the services' load. The order on disk stays the same.
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.h2.H2UniqueIndex;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;

public class Launcher {
  private static String version = "unknown";
  /** The H2 backend's one store (read by IdNarrowingH2Database while H2Backend is constructed). */
  static MVStore store;

  public static void main(String[] args) {
    if (args.length % 2 != 0) usage("every option takes a value");
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--")) usage("unexpected argument " + args[i]);
      opts.put(args[i].substring(2), args[i + 1]);
    }
    if (opts.containsKey("check-key-order")) {
      System.exit(IndexKeyType.check(Integer.parseInt(opts.get("check-key-order"))) ? 0 : 1);
    }
    String backendName = opts.getOrDefault("backend", "h2");
    String host = opts.getOrDefault("host", "127.0.0.1");
    int port = Integer.parseInt(opts.getOrDefault("port", "27017"));
    version = opts.getOrDefault("version", version);

    MongoBackend backend;
    switch (backendName) {
      case "h2" -> {
        String file = opts.get("file");
        if (file == null) usage("--backend h2 needs --file <path>");
        int cacheMb = Integer.parseInt(opts.getOrDefault("cache-mb", "512"));
        String commit = opts.getOrDefault("commit", "each-command");
        if (!commit.equals("each-command") && !commit.equals("background")) usage("--commit is each-command or background, not " + commit);
        boolean commitEachCommand = commit.equals("each-command");
        store = new MVStore.Builder().fileName(file).cacheSize(cacheMb).open();
        backend =
            new H2Backend(store) {
              @Override
              protected MongoDatabase openOrCreateDatabase(String databaseName) {
                return new IdNarrowingH2Database(databaseName, store, getCursorRegistry());
              }

              @Override
              public Document handleCommand(Channel channel, String db, String command, Document query) {
                Document answer = super.handleCommand(channel, db, command, query);
                if (commitEachCommand) commit();
                return adapted(command, query, answer);
              }
            };
      }
      case "memory" ->
          backend =
              new MemoryBackend() {
                @Override
                public Document handleCommand(Channel channel, String db, String command, Document query) {
                  return adapted(command, query, super.handleCommand(channel, db, command, query));
                }
              };
      default -> throw usage("--backend is h2 or memory, not " + backendName);
    }
    backend.version(ServerVersion.MONGO_5_0);

    MongoServer server = new MongoServer(backend);
    server.bind(host, port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "shutdown"));
    System.out.println("mongo-java-server " + version + " (" + backendName + ") listening on " + host + ":" + port);
  }

  private static Document adapted(String command, Document query, Document answer) {
    if (command.equalsIgnoreCase("buildInfo")) {
      answer.put("mongoJavaServerVersion", version);
    } else if (command.equalsIgnoreCase("listCollections") && query.get("filter") instanceof Document filter && !filter.isEmpty()) {
      @SuppressWarnings("unchecked")
      List<Document> batch = (List<Document>) ((Document) answer.get("cursor")).get("firstBatch");
      DefaultQueryMatcher matcher = new DefaultQueryMatcher();
      batch.removeIf(collection -> !matcher.matches(collection, filter));
    }
    return answer;
  }

  private static IllegalArgumentException usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: Launcher.java --backend h2|memory [--file <path>] [--cache-mb N] [--commit each-command|background] [--host H] [--port P] [--version V]");
    System.exit(2);
    return new IllegalArgumentException(problem);
  }
}

/**
 * H2Database whose collections narrow a filter by an exact `_id` (see the file's comment). Its
 * constructor opens the existing collections before a field of this class could be set: the maps
 * come from `Launcher.store`, the one store of the process.
 */
class IdNarrowingH2Database extends H2Database {
  IdNarrowingH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
    super(databaseName, mvStore, cursorRegistry);
  }

  /** As H2Database opens a collection (same map names), as an IdNarrowingH2Collection. */
  @Override
  protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
    String fullName = getFullCollectionNamespace(collectionName);
    MVMap<Object, Document> dataMap = Launcher.store.openMap("databases." + fullName);
    MVMap<String, Object> metaMap = Launcher.store.openMap("meta." + fullName);
    return new IdNarrowingH2Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
  }

  /** As H2Database opens a unique index, with IndexKeyType as its map's key type. */
  @Override
  protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    // Opened here first, the map keeps this key type when H2Database opens it by the same name.
    String mapName = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
    Launcher.store.openMap(mapName, new MVMap.Builder<KeyValue, Object>().keyType(new IndexKeyType()));
    Index<Object> index = super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
    // A release that names its index maps otherwise would silently keep the slow comparison.
    if (!(indexMap(index).getKeyType() instanceof IndexKeyType)) {
      throw new IllegalStateException("the index map of " + mapName + " was opened without IndexKeyType: did H2Database's map names change?");
    }
    return index;
  }

  private static MVMap<?, ?> indexMap(Index<Object> index) {
    try {
      Field field = H2UniqueIndex.class.getDeclaredField("mvMap");
      field.setAccessible(true);
      return (MVMap<?, ?>) field.get(index);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("H2UniqueIndex has no mvMap field", e);
    }
  }
}

/**
 * The key type of the unique-index maps: ObjectDataType (same bytes on disk) whose order is
 * the one ObjectDataType gives a KeyValue, the unsigned bytes of its Java serialization,
 * computed without serializing where that is exact.
 *
 * Two KeyValues of one ASCII string each (no NUL, the `_id` of nearly every document here)
 * serialize to the same bytes up to the string record: TC_STRING, the length in two bytes
 * big-endian, then the characters one byte each. So they order by length first, then by
 * character. Every other key (numbers, compound keys, other characters) takes
 * ObjectDataType's comparison. `--check-key-order` holds the two against each other.
 */
final class IndexKeyType extends ObjectDataType {
  private static final int MAX_SHORT_STRING = 0xFFFF; // longer strings are TC_LONGSTRING records

  @Override
  public int compare(Object a, Object b) {
    String left = asciiKey(a);
    String right = left == null ? null : asciiKey(b);
    if (right == null) return super.compare(a, b);
    if (left.length() != right.length()) return left.length() < right.length() ? -1 : 1;
    return Integer.signum(left.compareTo(right));
  }

  /** The key's one string when it is ASCII without NUL and short, else null. */
  private static String asciiKey(Object key) {
    if (!(key instanceof KeyValue keyValue) || keyValue.size() != 1 || !(keyValue.get(0) instanceof String value)) return null;
    if (value.length() > MAX_SHORT_STRING) return null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0 || c > 0x7F) return null;
    }
    return value;
  }

  /** Compares `pairs` random keys both ways; prints the first pair ordered differently. */
  static boolean check(int pairs) {
    Random random = new Random(20261204L);
    ObjectDataType stored = new ObjectDataType();
    IndexKeyType fast = new IndexKeyType();
    for (int i = 0; i < pairs; i++) {
      KeyValue a = randomKey(random);
      KeyValue b = random.nextInt(10) == 0 ? new KeyValue(new ArrayList<>(List.of(a.get(0)))) : randomKey(random);
      int expected = Integer.signum(stored.compare(a, b));
      int actual = Integer.signum(fast.compare(a, b));
      if (expected != actual) {
        System.out.println("key order differs: " + a + " vs " + b + ": stored order " + expected + ", IndexKeyType " + actual);
        return false;
      }
    }
    System.out.println("key order: " + pairs + " random pairs ordered alike");
    return true;
  }

  private static final String ALPHABET = "aAzZ09:-_.~ \u0001\u007f\u0000\u0080\u00e9\u20ac\uffff\ud83d\ude00";

  private static KeyValue randomKey(Random random) {
    return switch (random.nextInt(12)) {
      case 0 -> new KeyValue(random.nextInt(1000));
      case 1 -> new KeyValue(random.nextDouble());
      case 2 -> new KeyValue(randomString(random, 6), randomString(random, 6));
      case 3 -> new KeyValue(randomString(random, 70_000 + random.nextInt(2)));
      default -> new KeyValue(randomString(random, random.nextInt(40)));
    };
  }

  private static String randomString(Random random, int length) {
    // Mostly ASCII, so that most pairs take the fast path; a few other characters.
    StringBuilder text = new StringBuilder(length);
    boolean ascii = random.nextInt(4) != 0;
    for (int i = 0; i < length; i++) {
      int bound = ascii ? 13 : ALPHABET.length();
      text.append(ALPHABET.charAt(random.nextInt(bound)));
    }
    return text.toString();
  }
}

class IdNarrowingH2Collection extends H2Collection {
  IdNarrowingH2Collection(
      MongoDatabase database,
      String collectionName,
      CollectionOptions options,
      MVMap<Object, Document> dataMap,
      MVMap<String, Object> metaMap,
      CursorRegistry cursorRegistry) {
    super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
  }

  @Override
  protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document projection) {
    Object id = query.get("_id");
    List<Object> ids = null;
    if (isPlainValue(id) && query.size() > 1) ids = List.of(id);
    else if (id instanceof Document && ((Document) id).size() == 1 && ((Document) id).get("$in") instanceof List) {
      List<?> values = (List<?>) ((Document) id).get("$in");
      if (values.stream().allMatch(IdNarrowingH2Collection::isPlainValue)) ids = new ArrayList<>(values);
    }
    if (ids != null) {
      for (Index<Object> index : getIndexes()) {
        if (index.getName().equals("_id_")) {
          // The documents with those `_id`s (one or none each), matched against the rest of the
          // filter: the index found them by their `_id`, and matching a found document against
          // `$in` again would compare it with every id of the list (a read of n ids cost n²).
          Set<Object> positions = new LinkedHashSet<>();
          for (Object value : ids) for (Object position : index.getPositions(new Document("_id", value))) positions.add(position);
          Document rest = new Document(query);
          rest.remove("_id");
          return matchDocuments(rest, positions, orderBy, skip, limit, batchSize, projection);
        }
      }
    }
    return super.queryDocuments(query, orderBy, skip, limit, batchSize, projection);
  }

  private static boolean isPlainValue(Object value) {
    return value != null && !(value instanceof Document) && !(value instanceof List) && !(value instanceof Pattern);
  }
}
