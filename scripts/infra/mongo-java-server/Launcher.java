// Starts mongo-java-server (Maven Central: de.bwaldvogel:mongo-java-server) on one address, as a
// single-file source launch (`java -cp '<jars>/*' Launcher.java ...`: no build step).
//
//   Launcher.java --backend h2 --file <path.mv> [--cache-mb 512] [--commit each-command|background]
//                 [--host H] [--port P] [--version V]
//   Launcher.java --backend memory [--host H] [--port P] [--version V]
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
// - `listCollections` applies its `filter` (the server lists every collection whatever it asks).
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVStore;

public class Launcher {
  private static String version = "unknown";

  public static void main(String[] args) {
    if (args.length % 2 != 0) usage("every option takes a value");
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--")) usage("unexpected argument " + args[i]);
      opts.put(args[i].substring(2), args[i + 1]);
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
        backend =
            new H2Backend(new MVStore.Builder().fileName(file).cacheSize(cacheMb).open()) {
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
