// Starts mongo-java-server (Maven Central: de.bwaldvogel:mongo-java-server) on one address, as a
// single-file source launch (`java -cp '<jars>/*' Launcher.java ...`: no build step).
//
//   Launcher.java --backend h2 --file <path.mv> --host 127.0.0.1 --port 27017 [--cache-mb 512] [--version V]
//   Launcher.java --backend memory --host 127.0.0.1 --port 27017 [--version V]
//
// h2: documents in one H2 MVStore file. MVStore commits in the background every second, and
// SIGTERM (scripts/infra.sh down/restart) closes the store, which commits the rest; a SIGKILL
// loses at most the last second. Its page cache holds deserialized documents: a larger cache
// keeps collection scans out of the file (measured in docs/benchmarks.md).
// memory: nothing survives a restart; for measurements only.
//
// The server announces MongoDB 5.0 (wire version 13): the Node.js driver 6 refuses servers
// older than 4.2. Its `buildInfo` answer also carries `mongoJavaServerVersion`, by which the
// services recognize the engine (as FerretDB's carries `ferretdbVersion`).
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.HashMap;
import java.util.Map;
import org.h2.mvstore.MVStore;

public class Launcher {
  public static void main(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) usage("unexpected argument " + args[i]);
      opts.put(args[i].substring(2), args[i + 1]);
    }
    if (args.length % 2 != 0) usage("every option takes a value");
    String backendName = opts.getOrDefault("backend", "h2");
    version = opts.getOrDefault("version", version);
    String host = opts.getOrDefault("host", "127.0.0.1");
    int port = Integer.parseInt(opts.getOrDefault("port", "27017"));

    MongoBackend backend;
    switch (backendName) {
      case "h2" -> {
        String file = opts.get("file");
        if (file == null) usage("--backend h2 needs --file <path>");
        int cacheMb = Integer.parseInt(opts.getOrDefault("cache-mb", "512"));
        backend =
            new H2Backend(new MVStore.Builder().fileName(file).cacheSize(cacheMb).open()) {
              @Override
              public Document handleCommand(Channel channel, String db, String command, Document query) {
                return marked(command, super.handleCommand(channel, db, command, query));
              }
            };
      }
      case "memory" ->
          backend =
              new MemoryBackend() {
                @Override
                public Document handleCommand(Channel channel, String db, String command, Document query) {
                  return marked(command, super.handleCommand(channel, db, command, query));
                }
              };
      default -> {
        usage("--backend is h2 or memory, not " + backendName);
        return;
      }
    }
    backend.version(ServerVersion.MONGO_5_0);

    MongoServer server = new MongoServer(backend);
    server.bind(host, port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "shutdown"));
    System.out.println("mongo-java-server (" + backendName + ") listening on " + host + ":" + port);
  }

  /** The jars' version (their manifests carry none): `--version` from scripts/infra.sh. */
  private static String version = "unknown";

  private static Document marked(String command, Document answer) {
    if (command.equalsIgnoreCase("buildInfo")) {
      answer.put("mongoJavaServerVersion", version);
    }
    return answer;
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: Launcher.java --backend h2|memory [--file <path>] [--host H] [--port P] [--cache-mb N] [--version V]");
    System.exit(2);
  }
}
