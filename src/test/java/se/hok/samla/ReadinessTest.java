package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.hok.samla.support.TestApp.await;


import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import se.hok.samla.config.Config;
import se.hok.samla.support.Ports;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.TestDatabases;

/**
 * Liveness and readiness: /health/live says the process answers; /health/ready (and /health) says UP only once the
 * start-up has finished – the first admin created, the workers started – and while the database answers. On the public
 * port and on the management port alike.
 */
class ReadinessTest {

  @Test
  void readyOnlyOnceTheStartHasFinishedAndNotWhileStopping() throws Exception {
    String databaseUrl = TestDatabases.create();
    // A first start migrates the database; the second is the one watched.
    TestApp.startOn(databaseUrl, Map.of()).close();
    Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", databaseUrl, "SAMLA_HTTP_PORT", String.valueOf(Ports.next()),
        "SAMLA_MANAGEMENT_PORT", String.valueOf(Ports.next()), "SAMLA_ADMIN_EMAIL", TestApp.ADMIN_EMAIL, "SAMLA_ADMIN_PASSWORD", TestApp.ADMIN_PASSWORD));
    Config config = Config.fromEnvironment(env, new String[0], se.hok.samla.staff.Passwords::adminProblem);
    String registry = "samla-readiness-" + System.nanoTime();
    Vertx vertx = Vertx.vertx(Main.vertxOptions(registry));
    WebClient http = se.hok.samla.support.ContractCheck.on(vertx, WebClient.create(vertx));
    int port = config.httpPort();
    int management = config.management().port();
    Main.Running running = null;
    try (Connection held = connect(databaseUrl); Statement s = held.createStatement()) {
      // The start's last step, making sure the first admin exists, waits for this lock: the instance is listening,
      // its jobs and workers started, but it has not finished starting.
      held.setAutoCommit(false);
      s.execute("lock table staff_user in access exclusive mode");
      Future<Main.Running> starting = Main.start(vertx, config, Clock.systemDefaultZone(), registry);
      HttpResponse<Buffer> live = awaitAnswer(http, port, "/health/live");
      assertEquals(200, live.statusCode());
      assertEquals("UP", live.bodyAsJsonObject().getString("status"));
      for (String path : new String[] {"/health/ready", "/health"}) {
        for (int p : new int[] {port, management}) {
          HttpResponse<Buffer> ready = await(http.get(p, "127.0.0.1", path).send());
          assertEquals(503, ready.statusCode(), path + " on " + p + " while starting: " + ready.bodyAsString());
          JsonObject startUp = ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0);
          assertEquals("starting", startUp.getString("phase"), ready.bodyAsString());
          assertEquals("no-store", ready.getHeader("Cache-Control"));
        }
      }
      assertEquals(200, await(http.get(management, "127.0.0.1", "/health/live").send()).statusCode());
      held.commit();
      running = starting.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

      for (String path : new String[] {"/health/ready", "/health"}) {
        for (int p : new int[] {port, management}) {
          HttpResponse<Buffer> ready = await(http.get(p, "127.0.0.1", path).send());
          assertEquals(200, ready.statusCode(), path + " on " + p + ": " + ready.bodyAsString());
          assertEquals("UP", ready.bodyAsJsonObject().getString("status"));
        }
      }
      // Ready means an admin can sign in at once.
      assertEquals(201, await(http.post(port, "127.0.0.1", "/api/v1/auth/token").sendJsonObject(new JsonObject()
          .put("email", TestApp.ADMIN_EMAIL).put("password", TestApp.ADMIN_PASSWORD))).statusCode());

    } finally {
      http.close();
      if (running != null) {
        running.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void liveWhileTheDatabaseIsAwayButNotReady() {
    try (TestApp app = TestApp.start()) {
      String db = URI.create(app.databaseUrl).getPath().substring(1);
      TestDatabases.adminSql("alter database " + db + " allow_connections false");
      TestDatabases.adminSql("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + db + "'");
      try {
        assertEquals(200, await(app.client.get("/health/live").send()).statusCode(), "the process is fine: no restart");
        HttpResponse<Buffer> ready = await(app.client.get("/health/ready").send());
        assertEquals(503, ready.statusCode(), ready.bodyAsString());
        assertEquals("DOWN", ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(1).getString("status"));
      } finally {
        TestDatabases.adminSql("alter database " + db + " allow_connections true");
      }
      assertEquals(200, await(app.client.get("/health/ready").send()).statusCode());
    }
  }

  /** The first answer of the port to this path, once it listens. */
  private static HttpResponse<Buffer> awaitAnswer(WebClient http, int port, String path) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        return http.get(port, "127.0.0.1", path).send().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notListening) {
        Thread.sleep(20);
      }
    }
    throw new AssertionError("nothing listens on " + port);
  }

  private static Connection connect(String databaseUrl) throws Exception {
    URI uri = URI.create(databaseUrl);
    String[] info = uri.getUserInfo().split(":", 2);
    return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), info[0],
        info.length > 1 ? info[1] : "");
  }
}
