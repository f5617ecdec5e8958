package se.hok.samla.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.db.Database;
import se.hok.samla.support.Db;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * A stalled database costs people seconds, not minutes, and they are told what happened: 503 with a clear message
 * (a Swedish page, or JSON in the API), and /health says DOWN so that a load balancer looks elsewhere.
 */
// Two connections: two stalled requests take them all, as a stalled database does to a busy instance. The limits
// on sign-ups as shipped, as in production.
@WithSamla(env = {"SAMLA_DB_POOL_SIZE=2", "SAMLA_SEND_MAIL=false"}, signUpLimits = true)
class DatabaseTroubleTest {
  static TestApp app;
  static long eventId;

  @BeforeAll
  static void start() {
    OffsetDateTime start = OffsetDateTime.now().plusDays(20);
    eventId = PublishedEvent.by(app, app.tokenFor("organiser")).with("title", "Dialogmöte om databaser")
        .kind("dialogmote").startsAt(start).endsAt(start.plusHours(2)).capacity(10)
        .with("onlineUrl", "https://example.org").publishId();
  }

  @Test
  void everyStatementHasItsLimits() {
    var settings = await(app.running.database().pool()
        .query("select current_setting('statement_timeout'), current_setting('lock_timeout')").execute()).iterator().next();
    assertEquals(Database.STATEMENT_TIMEOUT.toSeconds() + "s", settings.getString(0));
    assertEquals(Database.LOCK_TIMEOUT.toSeconds() + "s", settings.getString(1));
  }

  @Test
  void aStalledDatabaseIs503WithinSecondsAndHealthSaysDown() throws Exception {
    URI db = URI.create(app.databaseUrl);
    String[] user = db.getUserInfo().split(":", 2);
    try (Connection stall = DriverManager.getConnection("jdbc:postgresql://" + db.getHost() + ":" + db.getPort() + db.getPath(),
        user[0], user.length > 1 ? user[1] : "");
         Statement s = stall.createStatement()) {
      stall.setAutoCommit(false);
      s.execute("lock table event in access exclusive mode");  // what a long migration or a stuck transaction does

      long t0 = System.nanoTime();
      Future<HttpResponse<Buffer>> api = app.client.get("/api/v1/events/" + eventId).send();
      Future<HttpResponse<Buffer>> page = app.client.get("/evenemang/" + eventId).send();
      awaitLockWaiters(2);
      HttpResponse<Buffer> health = await(app.client.get("/health").send());
      assertEquals(503, health.statusCode(), "no connection free: " + health.bodyAsString());
      assertEquals("DOWN", health.bodyAsJsonObject().getString("status"));

      HttpResponse<Buffer> json = await(api);
      assertEquals(503, json.statusCode(), json.bodyAsString());
      assertEquals("database_unavailable", json.bodyAsJsonObject().getString("error"));
      assertTrue(json.bodyAsJsonObject().getString("message").contains("databas"), "Swedish by default");
      assertEquals("10", json.getHeader("Retry-After"));
      HttpResponse<Buffer> html = await(page);
      assertEquals(503, html.statusCode());
      assertTrue(html.bodyAsString().contains("Samla når inte sin databas just nu"), html.bodyAsString());
      long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
      assertTrue(seconds < Database.LOCK_TIMEOUT.toSeconds() + 4, "answered after " + seconds + " s, not held");
      stall.rollback();
    }
    assertEquals(200, await(app.client.get("/health").send()).statusCode(), "up again at once");
    assertEquals(200, await(app.client.get("/api/v1/events/" + eventId).send()).statusCode());
  }

  /**
   * The limits on sign-ups and sign-ins keep their buckets in the database: when it cannot answer, that is database
   * trouble (503, try again shortly), not "too many from your address" (429) – nobody was over a limit.
   */
  @Test
  void aLimitThatCannotBeCheckedForDatabaseTroubleIs503NotTooMany() throws Exception {
    URI db = URI.create(app.databaseUrl);
    String[] user = db.getUserInfo().split(":", 2);
    try (Connection stall = DriverManager.getConnection("jdbc:postgresql://" + db.getHost() + ":" + db.getPort() + db.getPath(),
        user[0], user.length > 1 ? user[1] : "");
         Statement s = stall.createStatement()) {
      stall.setAutoCommit(false);
      s.execute("lock table rate_limit_bucket in access exclusive mode");

      long t0 = System.nanoTime();
      Future<HttpResponse<Buffer>> signUp = app.client.post("/api/v1/events/" + eventId + "/registrations")
          .sendJsonObject(new io.vertx.core.json.JsonObject().put("name", "Ada Avbrott").put("email", "ada.avbrott@example.org"));
      Future<HttpResponse<Buffer>> signIn = app.client.post("/api/v1/auth/token").sendJsonObject(
          new io.vertx.core.json.JsonObject().put("email", TestApp.ADMIN_EMAIL).put("password", TestApp.ADMIN_PASSWORD));
      awaitLockWaiters(2);
      for (HttpResponse<Buffer> r : java.util.List.of(await(signUp), await(signIn))) {
        assertEquals(503, r.statusCode(), r.bodyAsString());
        assertEquals("database_unavailable", r.bodyAsJsonObject().getString("error"));
      }
      long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
      assertTrue(seconds < Database.LOCK_TIMEOUT.toSeconds() + 4, "answered after " + seconds + " s, not held");
      stall.rollback();
    }
    assertEquals(201, await(app.client.post("/api/v1/auth/token").sendJsonObject(new io.vertx.core.json.JsonObject()
        .put("email", TestApp.ADMIN_EMAIL).put("password", TestApp.ADMIN_PASSWORD))).statusCode(), "and then it works");
    assertEquals(java.util.List.of(0L), Db.column(app.databaseUrl, "select count(*) from registration where email = "
        + "'ada.avbrott@example.org'"), "nothing was saved");
  }

  /** Waits (a condition, at most 10 s) until this many sessions of the app's database wait for a lock. */
  static void awaitLockWaiters(int n) throws InterruptedException {
    String sql = "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'";
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (((Number) Db.column(app.databaseUrl, sql).get(0)).intValue() < n) {
      assertTrue(System.nanoTime() < deadline, n + " requests never reached the lock");
      Thread.sleep(20);
    }
  }
}
