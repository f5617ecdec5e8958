package se.hok.samla.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's PostgreSQL 15 server (the package {@code postgresql-15}, binaries in {@value #BIN}), started for a test in
 * a directory of its own and stopped by {@link #close()}: the server a region's Debian machine has, with the
 * {@code pg_dump} and {@code pg_restore} of its own version (the embedded PostgreSQL 18 has neither, and a
 * {@code pg_dump} refuses a newer server). Passwords for every connection, TCP on loopback, no Unix socket. As root it
 * runs as the package's {@code postgres} user ({@code runuser}), since PostgreSQL refuses to run as root.
 * {@code .ci/run} installs the package when it is missing.
 */
public final class DebianPostgres implements AutoCloseable {
  public static final String BIN = "/usr/lib/postgresql/15/bin";
  private static final String SUPERUSER = "postgres";

  private final Path dir;
  private final int port;
  private final String password;
  private final boolean asPostgresUser;

  private DebianPostgres(Path dir, int port, String password, boolean asPostgresUser) {
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.asPostgresUser = asPostgresUser;
  }

  /** Why the server cannot be started here, if it cannot (the package is not installed). */
  public static Optional<String> missing() {
    for (String tool : List.of("initdb", "pg_ctl", "postgres", "pg_dump", "pg_restore")) {
      if (!Files.isExecutable(Path.of(BIN, tool))) {
        return Optional.of("Debian's PostgreSQL 15 is not installed (" + BIN + "/" + tool + " is missing): "
            + "apt-get install postgresql-15 (.ci/run does it when it can)");
      }
    }
    return Optional.empty();
  }

  public static DebianPostgres start() {
    missing().ifPresent(why -> {
      throw new IllegalStateException(why);
    });
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("samla-pg15-");
      String password = UUID.randomUUID().toString();
      Path pwfile = dir.resolve("superuser.pw");
      Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
      if (root) {
        UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, postgres);
        Files.setOwner(pwfile, postgres);
      }
      int port = Ports.next();
      DebianPostgres pg = new DebianPostgres(dir, port, password, root);
      pg.run(List.of(BIN + "/initdb", "-D", dir.resolve("data").toString(), "-U", SUPERUSER, "--pwfile=" + pwfile,
          "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"), Map.of());
      Files.delete(pwfile);
      // Durability is not what these tests are about: fsync off keeps them fast, as the embedded test server does.
      pg.run(List.of(BIN + "/pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-t", "60", "-l",
          dir.resolve("server.log").toString(), "-o", "-p " + port + " -c listen_addresses=127.0.0.1 "
              + "-c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c max_connections=200", "start"),
          Map.of());
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** The server's version as it tells it, e.g. {@code 15.18}. */
  public String version() {
    try (Connection c = superuser("postgres"); Statement s = c.createStatement();
         var rs = s.executeQuery("show server_version")) {
      rs.next();
      return rs.getString(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A new database owned by a new login role that is no superuser and may create no databases or roles, as
   * docs/operations.md has the operator make them; its {@code postgresql://} URL (DATABASE_URL form).
   */
  public String createDatabase(String name, String role, String rolePassword) {
    try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
      s.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + role + "') then create role " + role
          + " login nosuperuser nocreatedb nocreaterole password '" + rolePassword + "'; end if; end $$");
      s.execute("create database " + name + " owner " + role + " encoding 'UTF8' template template0");
      return "postgresql://" + role + ":" + rolePassword + "@127.0.0.1:" + port + "/" + name;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create database " + name, e);
    }
  }

  /** {@code pg_dump --format=custom} of the database at this URL into the file, as the URL's role. */
  public void dump(String databaseUrl, Path file) {
    client("pg_dump", databaseUrl, List.of("--format=custom", "--file=" + file));
  }

  /** {@code pg_restore} of the file into the (empty) database at this URL, as the URL's role. */
  public void restore(Path file, String databaseUrl) {
    client("pg_restore", databaseUrl, List.of("--no-owner", "--exit-on-error", "--single-transaction", file.toString()));
  }

  private void client(String tool, String databaseUrl, List<String> args) {
    URI uri = URI.create(databaseUrl);
    String[] info = uri.getUserInfo().split(":", 2);
    List<String> command = new ArrayList<>(List.of(BIN + "/" + tool, "--host=" + uri.getHost(), "--port=" + uri.getPort(),
        "--username=" + info[0], "--dbname=" + uri.getPath().substring(1), "--no-password"));
    command.addAll(args);
    // The password through the environment, never on the command line (where ps shows it).
    exec(command, Map.of("PGPASSWORD", info.length > 1 ? info[1] : ""));
  }

  private Connection superuser(String database) throws Exception {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, SUPERUSER, password);
  }

  /** A server command, as the postgres user when this JVM is root. */
  private void run(List<String> command, Map<String, String> env) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    exec(full, env);
  }

  private void exec(List<String> command, Map<String, String> env) {
    try {
      Path output = Files.createTempFile("samla-pg15-command-", ".log");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
            .directory(dir.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n"
              + Files.readString(output) + serverLog());
        }
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String serverLog() {
    try {
      Path log = dir.resolve("server.log");
      return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops the server (fast: open sessions are rolled back) and deletes its files. */
  @Override
  public void close() {
    try {
      if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
        run(List.of(BIN + "/pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"), Map.of());
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory
      }
    }
  }

}
