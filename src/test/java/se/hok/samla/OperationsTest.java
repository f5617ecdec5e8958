package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.support.TestDatabases;

/** What operations people rely on: migrations, health that tells the truth, metrics, the first admin. */
@WithSamla
@ExtendWith(VertxExtension.class)
class OperationsTest {
  static TestApp app;

  @Test
  void migrationsAreAppliedByFlyway() {
    List<Object> versions = Db.column(app.databaseUrl, "select version from flyway_schema_history where success order by installed_rank");
    assertTrue(versions.contains("1"), versions.toString());
    assertEquals(List.of(8L), Db.column(app.databaseUrl,
        "select count(*) from information_schema.tables where table_schema = 'public' and table_name in ('event', 'event_session',"
            + " 'venue', 'organisation', 'action_plan_year', 'staff_user', 'api_token', 'web_session')"));
  }

  @Test
  void healthIsUpWhileTheDatabaseAnswers(Vertx vertx, VertxTestContext test) {
    WebClient.create(vertx).get(app.port(), "localhost", "/health").send()
        .onComplete(test.succeeding(r -> test.verify(() -> {
          assertEquals(200, r.statusCode());
          assertEquals("UP", r.bodyAsJsonObject().getString("status"));
          test.completeNow();
        })));
  }

  @Test
  void metricsArePrometheusTextOnTheManagementPort(Vertx vertx, VertxTestContext test) {
    WebClient.create(vertx).get(app.running.config().management().port(), "127.0.0.1", "/metrics").send()
        .onComplete(test.succeeding(r -> test.verify(() -> {
          assertEquals(200, r.statusCode());
          assertTrue(r.getHeader("Content-Type").startsWith("text/plain"));
          assertTrue(r.bodyAsString().contains("# TYPE"), "Prometheus exposition format");
          test.completeNow();
        })));
  }

  @Test
  void bootstrapAdminCanSignIn() {
    assertTrue(app.adminToken().startsWith("samla_"));
    assertEquals(List.of("admin"), Db.column(app.databaseUrl, "select role from staff_user where email = '" + TestApp.ADMIN_EMAIL + "'"));
  }

  @Test
  void demoDataLoadsOnceWithEveryKindPastAndUpcoming() {
    var pool = app.running.database().pool();
    assertTrue(TestApp.await(se.hok.samla.demo.DemoData.loadOnce(pool, java.time.Clock.systemDefaultZone())));
    assertTrue(!TestApp.await(se.hok.samla.demo.DemoData.loadOnce(pool, java.time.Clock.systemDefaultZone())), "only once");
    assertEquals(List.of(8L), Db.column(app.databaseUrl, "select count(distinct kind) from event where starts_at < now()"));
    assertEquals(List.of(8L), Db.column(app.databaseUrl, "select count(distinct kind) from event where starts_at > now()"));
    assertEquals(List.of(5L), Db.column(app.databaseUrl, "select count(*) from action_plan_year where year between 2020 and 2024"));
    assertEquals(List.of("Kunskapsdelning"), Db.column(app.databaseUrl, "select theme from action_plan_year where year = 2020"));
    // Past events have invented participants (for the follow-up); nobody real, and nobody on upcoming events.
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from registration r join event e on e.id ="
        + " r.event_id where e.starts_at > now() or (r.erased_at is null and r.email not like '%@example.org')"),
        "no real people");
    assertTrue((Long) Db.column(app.databaseUrl, "select count(*) from checkin").get(0) > 100, "past events had people");
  }

  /** Its own app and database, because the database is taken away. */
  @Test
  void healthIsDownWhenTheDatabaseIsGoneAndRecovers() throws Exception {
    try (TestApp other = TestApp.start()) {
      String db = URI.create(other.databaseUrl).getPath().substring(1);
      TestDatabases.adminSql("alter database " + db + " allow_connections false");
      TestDatabases.adminSql("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + db + "'");
      var down = TestApp.await(other.client.get("/health").send());
      assertEquals(503, down.statusCode(), down.bodyAsString());
      assertEquals("DOWN", new JsonObject(down.bodyAsString()).getString("status"));
      TestDatabases.adminSql("alter database " + db + " allow_connections true");
      var up = TestApp.await(other.client.get("/health").send());
      assertEquals(200, up.statusCode());
    }
  }
}
