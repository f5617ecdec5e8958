package se.hok.samla.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.hok.samla.config.Config;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;

/**
 * A data directory made by an earlier version (everyone trusted, the application as superuser, fsync off) is a
 * person's real data: the first start of this version secures it in place and keeps every row.
 */
class EmbeddedDatabaseUpgradeTest {
  @TempDir
  Path dataDir;

  /** The data directory as the earlier versions made and left it, with the schema and one organisation of theirs. */
  private void earlierVersionsDataDirectory() throws Exception {
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
        .setCleanDataDirectory(false).setServerConfig("max_connections", "100").start()) {
      Database.migrate(new Config.DatabaseUrl("localhost", old.getPort(), "postgres", "postgres", ""));
      try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("insert into organisation (name, sector) values ('Föreningen från förr', 'ideburen')");
      }
    }
    assertTrue(Files.readString(dataDir.resolve("postgres").resolve("pg_hba.conf")).contains("trust"), "as it was");
  }

  @Test
  void anEarlierVersionsDataIsSecuredInPlaceOnItsFirstStart() throws Exception {
    earlierVersionsDataDirectory();
    try (TestApp app = TestApp.startInDefaultMode(dataDir, Map.of("SAMLA_SEND_MAIL", "false"))) {
      assertEquals(List.of("Föreningen från förr"), Db.column(app.databaseUrl,
          "select name from organisation where name = 'Föreningen från förr'"), "the data is kept");
      assertEquals(List.of("samla"), Db.column(app.databaseUrl, "select current_user"));
      assertEquals(List.of(false), Db.column(app.databaseUrl, "select rolsuper from pg_roles where rolname = current_user"));
      assertEquals(List.of("on"), Db.column(app.databaseUrl, "show fsync"));
      assertEquals(List.of("on"), Db.column(app.databaseUrl, "show synchronous_commit"));
      assertEquals(PosixFilePermissions.fromString("rw-------"),
          Files.getPosixFilePermissions(dataDir.resolve("postgres.credentials")));
      assertEquals(EmbeddedDatabase.HBA, Files.readString(dataDir.resolve("postgres").resolve("pg_hba.conf")));
      int port = app.running.database().connectOptions().getPort();
      SQLException trustedNoMore = assertThrows(SQLException.class,
          () -> DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "anything").close());
      assertTrue(trustedNoMore.getMessage().contains("password authentication failed"), trustedNoMore.getMessage());

      IllegalStateException second = assertThrows(IllegalStateException.class,
          () -> TestApp.startInDefaultMode(dataDir, Map.of("SAMLA_SEND_MAIL", "false")).close());
      assertTrue(rootMessage(second).contains("Another Samla is already running with its data in " + dataDir),
          rootMessage(second));
      assertTrue(app.running.database().pool().query("select 1").execute().toCompletionStage().toCompletableFuture()
          .get().size() == 1, "the first one is left alone");
    }
    assertFalse(EmbeddedDatabase.postmaster(dataDir.resolve("postgres")).isPresent(), "stopped with Samla");
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
