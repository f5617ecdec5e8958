package se.hok.samla.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.hok.samla.config.Config;
import se.hok.samla.config.ConfigException;

/**
 * The one PostgreSQL database: an external server from {@code DATABASE_URL}, or an embedded one whose data
 * lives in {@code SAMLA_DATA_DIR/postgres} and survives restarts. Migrations run before the pool opens.
 */
public final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final Pool pool;
  private final PgConnectOptions connectOptions;
  private final Optional<EmbeddedPostgres> embedded;

  private Database(Pool pool, PgConnectOptions connectOptions, Optional<EmbeddedPostgres> embedded) {
    this.pool = pool;
    this.connectOptions = connectOptions;
    this.embedded = embedded;
  }

  public Pool pool() {
    return pool;
  }

  /** Where the pool connects; for a dedicated connection such as a LISTEN subscriber. */
  public PgConnectOptions connectOptions() {
    return new PgConnectOptions(connectOptions);
  }

  public static Future<Database> start(Vertx vertx, Config config) {
    return vertx.executeBlocking(() -> {
      Optional<EmbeddedPostgres> embedded = Optional.empty();
      Config.DatabaseUrl url;
      if (config.database().isPresent()) {
        url = config.database().get();
      } else {
        EmbeddedPostgres pg = startEmbedded(config.dataDir().resolve("postgres"));
        embedded = Optional.of(pg);
        url = new Config.DatabaseUrl("localhost", pg.getPort(), "postgres", "postgres", "");
      }
      migrate(url);
      PgConnectOptions connect = new PgConnectOptions()
          .setHost(url.host())
          .setPort(url.port())
          .setDatabase(url.database())
          .setUser(url.user())
          .setPassword(url.password())
          .setCachePreparedStatements(true)
          // Check-in and report statements are longer than the default 2 kB limit, and would be parsed and planned anew every time.
          .setPreparedStatementCacheSqlLimit(16_384)
          .setPipeliningLimit(256)
          // Statements are planned once per connection, not per call: PostgreSQL otherwise kept re-planning the door's
          // scan statement (5 ms of planning per scan). Door scans +20–25%; sign-ups within noise (docs/benchmarks.md).
          .addProperty("plan_cache_mode", "force_generic_plan");
      Pool pool = PgBuilder.pool()
          .with(new PoolOptions().setMaxSize(config.dbPoolSize()).setShared(false))
          .connectingTo(connect)
          .using(vertx)
          .build();
      return new Database(pool, connect, embedded);
    });
  }

  /** Applies the Flyway migrations in {@code sql/} (on the classpath as {@code db/migration}). */
  static void migrate(Config.DatabaseUrl url) {
    Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  private static EmbeddedPostgres startEmbedded(Path dir) throws IOException {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    boolean supportedOs = os.contains("linux") || os.contains("mac");
    boolean supportedArch = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64") || arch.equals("arm64");
    if (!supportedOs || !supportedArch) {
      throw new ConfigException("The embedded database runs on Linux and macOS (x86-64, arm64) only, not on "
          + os + "/" + arch + ": set DATABASE_URL=postgresql://user:pass@host:port/db to use your own PostgreSQL");
    }
    Files.createDirectories(dir);
    log.info("Starting embedded PostgreSQL with data in {}", dir);
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setServerConfig("max_connections", "100")
        .start();
  }

  public Future<Void> close(Vertx vertx) {
    return pool.close().eventually(() -> vertx.executeBlocking(() -> {
      if (embedded.isPresent()) {
        embedded.get().close();
      }
      return null;
    }));
  }
}
