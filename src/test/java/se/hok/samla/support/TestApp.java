package se.hok.samla.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import se.hok.samla.Main;
import se.hok.samla.config.Config;

/**
 * The whole of Samla, started in-process on a random port against its own fresh database, the way
 * {@code java -jar} starts it. Tests talk to it over HTTP only.
 */
public final class TestApp implements AutoCloseable {
  public static final String ADMIN_EMAIL = "admin@test.example";
  public static final String ADMIN_PASSWORD = "admin-password-123";

  public final Vertx vertx;
  public final Main.Running running;
  public final String databaseUrl;
  public final WebClient client;

  private TestApp(Vertx vertx, Main.Running running, String databaseUrl) {
    this.vertx = vertx;
    this.running = running;
    this.databaseUrl = databaseUrl;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("localhost").setDefaultPort(running.port()).setFollowRedirects(false));
  }

  public static TestApp start() {
    return start(Map.of());
  }

  /** Starts with extra environment variables (e.g. {@code SAMLA_DEMO=true}). */
  public static TestApp start(Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabases.create());
    env.putAll(extraEnv);
    return startWith(env);
  }

  /**
   * Samla's default mode, as {@code java -jar} runs it with no DATABASE_URL: its own embedded PostgreSQL with its
   * data in {@code dataDir} (kept), and the mail catcher unless the environment names an SMTP relay.
   */
  public static TestApp startInDefaultMode(java.nio.file.Path dataDir, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("SAMLA_DATA_DIR", dataDir.toString());
    env.putAll(extraEnv);
    return startWith(env);
  }

  private static TestApp startWith(Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("SAMLA_HTTP_PORT", "0");
    env.put("SAMLA_ADMIN_EMAIL", ADMIN_EMAIL);
    env.put("SAMLA_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.putAll(extraEnv);
    Config config = Config.fromEnvironment(env, new String[0]);
    String registry = "samla-test-" + System.nanoTime();
    Vertx vertx = Vertx.vertx(Main.vertxOptions(registry));
    try {
      Main.Running running = Main.start(vertx, config, Clock.systemDefaultZone(), registry)
          .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      var db = running.database().connectOptions();
      return new TestApp(vertx, running, "postgresql://" + db.getUser() + ":" + db.getPassword() + "@" + db.getHost() + ":"
          + db.getPort() + "/" + db.getDatabase());
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("Samla did not start", e);
    }
  }

  public String url(String path) {
    return "http://localhost:" + running.port() + path;
  }

  public int port() {
    return running.port();
  }

  /** An API token for a new staff member with this role (created through the admin's own API token path). */
  public String tokenFor(String role) {
    String email = role + "-" + System.nanoTime() + "@test.example";
    String password = "password-for-" + role + "-123";
    Db.exec(databaseUrl, "insert into staff_user (email, name, password_hash, role) values ('" + email + "', 'Test " + role
        + "', '" + se.hok.samla.support.Db.argon2(password) + "', '" + role + "')");
    return token(email, password);
  }

  public String adminToken() {
    return token(ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  public String token(String email, String password) {
    HttpResponse<Buffer> r = await(client.post("/api/v1/auth/token")
        .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
    if (r.statusCode() != 201) {
      throw new IllegalStateException("No token: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getString("token");
  }

  public static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    // Idle keep-alive connections of the test's own client would hold the graceful shutdown for its whole grace.
    client.close();
    try {
      running.stop().eventually(vertx::close).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
