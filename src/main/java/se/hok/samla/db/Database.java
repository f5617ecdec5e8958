package se.hok.samla.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import se.hok.samla.config.Config;

/**
 * The one PostgreSQL database: an external server from {@code DATABASE_URL}, or Samla's own embedded one
 * ({@link EmbeddedDatabase}) whose data lives in {@code SAMLA_DATA_DIR/postgres} and survives restarts and crashes.
 * Migrations run before the pool opens.
 *
 * <p>A database in trouble answers fast instead of holding requests: see {@link #STATEMENT_TIMEOUT} and the pool's
 * limits below; {@code web/Failures} turns what they raise into 503.
 */
public final class Database {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Database.class);
  /**
   * The longest any statement may run. Follow-up reports over a five-year period and their exports, the slowest
   * statements Samla has, take well under a second at HÖK's size (thousands of registrations a year), and a sign-up
   * waits only for others' sign-ups of the same event; 15 s is a wide margin for those, yet a stalled database turns
   * into a 503 before people and proxies give up (nginx waits 60 s).
   */
  public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(15);
  /** A row lock waited for longer than this means something holds it that should not: fail the statement. */
  public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);
  /** A transaction left open without work (a bug, a stuck client) must not hold its locks for ever. */
  static final Duration IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofSeconds(60);
  /** How long a request waits for a free connection of the pool, and for a new connection to be made. */
  public static final Duration CONNECTION_WAIT = Duration.ofSeconds(5);

  private final Pool pool;
  private final PgConnectOptions connectOptions;
  private final Optional<EmbeddedDatabase> embedded;

  private Database(Pool pool, PgConnectOptions connectOptions, Optional<EmbeddedDatabase> embedded) {
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
      if (config.database().isPresent()) {
        Config.DatabaseUrl url = config.database().get();
        migrate(url);
        return open(vertx, config, url, Optional.empty());
      }
      embeddedUnavailable().ifPresent(why -> {
        throw new se.hok.samla.config.ConfigException(why);
      });
      EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDir());
      try {
        migrate(embedded.adminUrl());
        embedded.grantToApplication();
        return open(vertx, config, embedded.appUrl(), Optional.of(embedded));
      } catch (Exception e) {
        embedded.close();
        throw e;
      }
    });
  }

  /**
   * Why this build cannot run its own PostgreSQL on this machine, if it cannot. A jar carries the binaries of the
   * platform it was built on only (the pom's profiles), and a server build ({@code -Pserver}) none, nor the library
   * that runs them; such a jar needs {@code DATABASE_URL}. Looked up as resources, so that no class of the library is
   * loaded to find out (it may be missing).
   */
  public static Optional<String> embeddedUnavailable() {
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(java.util.Locale.ROOT);
    String platform = os + "/" + arch;
    String setUrl = ": set DATABASE_URL=postgresql://user:pass@host:port/db to use your own PostgreSQL";
    String zonkyOs = os.contains("linux") ? "linux" : os.contains("mac") ? "darwin" : null;
    String zonkyArch = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
        : arch.equals("aarch64") || arch.equals("arm64") ? "arm_64" : null;
    if (zonkyOs == null || zonkyArch == null) {
      return Optional.of("The embedded database runs on Linux and macOS (x86-64, arm64) only, not on " + platform + setUrl);
    }
    ClassLoader loader = Database.class.getClassLoader();
    boolean library = loader.getResource("io/zonky/test/db/postgres/embedded/EmbeddedPostgres.class") != null;
    boolean binaries = loader.getResource("postgres-" + zonkyOs + "-" + zonkyArch + ".txz") != null
        // The library runs the x86-64 build of macOS under Rosetta where there is no arm64 one.
        || (zonkyOs.equals("darwin") && loader.getResource("postgres-darwin-x86_64.txz") != null);
    if (!library || !binaries) {
      return Optional.of("This Samla has no embedded database for " + platform + " (a server build, -Pserver, or one "
          + "built on another platform: a jar carries the PostgreSQL of the platform it was built on only)" + setUrl);
    }
    return Optional.empty();
  }

  private static Database open(Vertx vertx, Config config, Config.DatabaseUrl url, Optional<EmbeddedDatabase> embedded) {
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
        .addProperty("plan_cache_mode", "force_generic_plan")
        .addProperty("statement_timeout", STATEMENT_TIMEOUT.toMillis() + "ms")
        .addProperty("lock_timeout", LOCK_TIMEOUT.toMillis() + "ms")
        .addProperty("idle_in_transaction_session_timeout", IDLE_IN_TRANSACTION_TIMEOUT.toMillis() + "ms");
    tls(connect, url);
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.dbPoolSize()).setShared(false)
            .setConnectionTimeout((int) CONNECTION_WAIT.toMillis()).setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
        .with(new NetClientOptions().setConnectTimeout((int) CONNECTION_WAIT.toMillis()))
        .connectingTo(connect)
        .using(vertx)
        .build();
    return new Database(pool, connect, embedded);
  }

  /** DATABASE_URL's sslmode and sslrootcert on the pool's connections (Config.Tls says what each mode means). */
  static void tls(PgConnectOptions connect, Config.DatabaseUrl url) {
    switch (url.tls()) {
      case DISABLE -> connect.setSslMode(SslMode.DISABLE);
      // As libpq's require: encrypted, the certificate taken as it comes.
      case REQUIRE -> connect.setSslMode(SslMode.REQUIRE).setSslOptions(new ClientSSLOptions().setTrustAll(true));
      // The certificate checked against sslrootcert; with verify-full, also the host name.
      case VERIFY_CA, VERIFY_FULL -> connect
          .setSslMode(url.tls() == Config.Tls.VERIFY_FULL ? SslMode.VERIFY_FULL : SslMode.VERIFY_CA)
          .setSslOptions(new ClientSSLOptions()
              .setTrustOptions(new PemTrustOptions().addCertPath(url.rootCert().orElseThrow().toString()))
              .setHostnameVerificationAlgorithm(url.tls() == Config.Tls.VERIFY_FULL ? "HTTPS" : ""));
    }
  }

  /** Applies the Flyway migrations in {@code sql/} (on the classpath as {@code db/migration}). */
  static void migrate(Config.DatabaseUrl url) {
    org.flywaydb.core.api.output.MigrateResult result = Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    // One line an operator looks for after an upgrade (Flyway's own logging is off: see logback.xml).
    if (result.migrationsExecuted > 0) {
      log.info("Database schema migrated from version {} to {} ({} migrations)",
          result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion, result.targetSchemaVersion,
          result.migrationsExecuted);
    } else {
      log.info("Database schema at version {}", result.initialSchemaVersion);
    }
  }

  /** Closes the pool, then stops the embedded database (if any) and waits until it has exited. */
  public Future<Void> close(Vertx vertx) {
    return pool.close().eventually(() -> vertx.executeBlocking(() -> {
      embedded.ifPresent(EmbeddedDatabase::close);
      return null;
    }));
  }
}
