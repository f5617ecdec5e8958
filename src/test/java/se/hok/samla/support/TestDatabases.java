package se.hok.samla.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: an external server from {@code SAMLA_TEST_DATABASE_URL}
 * ({@code postgresql://user:pass@host:port/db}, needs CREATE DATABASE), else one embedded server per test run.
 * Every test class gets a database of its own, so classes cannot see each other's rows.
 */
public final class TestDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static String host;
  private static int port;
  private static String user;
  private static String password;
  private static String adminDb;

  private TestDatabases() {}

  /** A new empty database; returns its postgresql:// URL (DATABASE_URL form). */
  public static synchronized String create() {
    try {
      ensureServer();
      String name = "samla_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
      try (Connection c = DriverManager.getConnection(jdbc(adminDb), user, password);
           Statement s = c.createStatement()) {
        s.execute("create database " + name);
      }
      return "postgresql://" + user + (password.isEmpty() ? "" : ":" + password) + "@" + host + ":" + port + "/" + name;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create a test database", e);
    }
  }

  /** Runs SQL as the server's admin against {@code database} (e.g. to take it offline in a test). */
  public static void adminSql(String sql) {
    try (Connection c = DriverManager.getConnection(jdbc(adminDb), user, password);
         Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static String jdbc(String db) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + db;
  }

  private static void ensureServer() throws Exception {
    if (host != null) {
      return;
    }
    String external = System.getenv("SAMLA_TEST_DATABASE_URL");
    if (external != null && !external.isBlank()) {
      URI uri = new URI(external);
      host = uri.getHost();
      port = uri.getPort() == -1 ? 5432 : uri.getPort();
      String[] info = uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
      user = info[0];
      password = info.length > 1 ? info[1] : "";
      adminDb = uri.getPath().substring(1);
      return;
    }
    Path dir = Files.createTempDirectory("samla-test-pg");
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(true)
        .setPort(Ports.next())
        .setServerConfig("max_connections", "300")
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        pg.close();
      } catch (Exception ignored) {
        // the JVM is going away
      }
    }));
    host = "localhost";
    port = pg.getPort();
    user = "postgres";
    password = "";
    adminDb = "postgres";
  }
}
