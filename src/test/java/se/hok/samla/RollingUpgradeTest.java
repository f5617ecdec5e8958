package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.TestDatabases;

/**
 * What docs/operations.md promises of upgrades with several instances: Flyway migrates at start, one instance at a
 * time (the others wait for its lock), and an instance of the previous version still starts on a schema that a newer
 * one has already migrated (a restart in the middle of a rolling upgrade).
 */
class RollingUpgradeTest {

  @Test
  void twoInstancesStartingAtOnceOnAnEmptyDatabaseMigrateItOnce() {
    String url = TestDatabases.create();
    CompletableFuture<TestApp> first = CompletableFuture.supplyAsync(() -> TestApp.startOn(url, Map.of()));
    CompletableFuture<TestApp> second = CompletableFuture.supplyAsync(() -> TestApp.startOn(url, Map.of()));
    try (TestApp a = first.join(); TestApp b = second.join()) {
      assertEquals(200, await(a.client.get("/health/ready").send()).statusCode());
      assertEquals(200, await(b.client.get("/health/ready").send()).statusCode());
      List<Object> applied = Db.column(url, "select count(*) from flyway_schema_history where success");
      List<Object> distinct = Db.column(url, "select count(distinct version) from flyway_schema_history where success");
      assertEquals(applied, distinct, "each migration applied once");
      assertEquals(List.of(1L), Db.column(url, "select count(*) from staff_user where role = 'admin'"), "one first admin");
    }
  }

  @Test
  void anInstanceOfThePreviousVersionStartsOnASchemaANewerOneMigrated() {
    String url = TestDatabases.create();
    TestApp.startOn(url, Map.of()).close();
    // What a newer version's start leaves: a migration this build does not know.
    Db.exec(url, "insert into flyway_schema_history (installed_rank, version, description, type, script, checksum, "
        + "installed_by, execution_time, success) select max(installed_rank) + 1, '9999', 'from a newer version', 'SQL', "
        + "'V9999__from_a_newer_version.sql', 0, current_user, 1, true from flyway_schema_history");
    try (TestApp older = TestApp.startOn(url, Map.of())) {
      assertEquals(200, await(older.client.get("/health/ready").send()).statusCode());
      assertTrue(older.adminToken().startsWith("samla_"));
    }
  }
}
