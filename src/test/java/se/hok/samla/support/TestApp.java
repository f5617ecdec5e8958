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
  /** Strong enough for Samla's password rules (not the address "admin@…", not a common password). */
  public static final String ADMIN_PASSWORD = "vinter-ljus-kaffe-42";

  /** The limits on public sign-ups, off in tests unless a test sets them. */
  public static final java.util.List<String> SIGN_UP_LIMITS = java.util.List.of("SAMLA_LIMIT_SIGNUPS_PER_CLIENT",
      "SAMLA_LIMIT_SIGNUPS_PER_EMAIL", "SAMLA_LIMIT_SIGNUPS_PER_EMAIL_EVENT", "SAMLA_LIMIT_ORGANISATIONS_PER_CLIENT");

  public final Vertx vertx;
  public final Main.Running running;
  public final String databaseUrl;
  public final WebClient client;

  private TestApp(Vertx vertx, Main.Running running, String databaseUrl) {
    this.vertx = vertx;
    this.running = running;
    this.databaseUrl = databaseUrl;
    // Every /api/v1 answer the tests receive through this client is checked against openapi.yaml.
    this.client = ContractCheck.on(vertx, WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("localhost").setDefaultPort(running.port()).setFollowRedirects(false)));
  }

  public static TestApp start() {
    return start(Map.of());
  }

  /** Starts with extra environment variables (e.g. {@code SAMLA_DEMO=true}). */
  public static TestApp start(Map<String, String> extraEnv) {
    return start(extraEnv, Clock.systemDefaultZone());
  }

  /** Starts with extra environment variables and a clock of the test's (e.g. a {@link TestClock}). */
  public static TestApp start(Map<String, String> extraEnv, Clock clock) {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestDatabases.create());
    env.putAll(extraEnv);
    return startWith(env, clock);
  }

  /** Starts on this database (any server: another test's, Debian's PostgreSQL 15 …), with extra environment variables. */
  public static TestApp startOn(String databaseUrl, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("DATABASE_URL", databaseUrl);
    return startWith(env, Clock.systemDefaultZone());
  }

  /**
   * Samla's default mode, as {@code java -jar} runs it with no DATABASE_URL: its own embedded PostgreSQL with its
   * data in {@code dataDir} (kept), and the mail catcher unless the environment names an SMTP relay.
   */
  public static TestApp startInDefaultMode(java.nio.file.Path dataDir, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("SAMLA_DATA_DIR", dataDir.toString());
    env.putAll(extraEnv);
    return startWith(env, Clock.systemDefaultZone());
  }

  private static TestApp startWith(Map<String, String> extraEnv, Clock clock) {
    Map<String, String> env = new HashMap<>();
    env.put("SAMLA_HTTP_PORT", String.valueOf(Ports.next()));
    // One HTTP server: Vert.x shares a random port (0) between several servers of a deployment, and that sharing
    // failed once in CI with "Address already in use" (the second server binding the first one's port). Several
    // servers on one port are tested where they matter: EventLoopsTest (3 here), and every ChildSamla, which runs
    // the jar's defaults on a fixed port.
    env.put("SAMLA_HTTP_INSTANCES", "1");
    env.put("SAMLA_ADMIN_EMAIL", ADMIN_EMAIL);
    env.put("SAMLA_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("SAMLA_MANAGEMENT_PORT", String.valueOf(Ports.next()));
    // The suite signs up hundreds of people from 127.0.0.1 per app; the sign-up limits are tested on their own
    // (SignUpLimitsTest), with the defaults.
    for (String limit : SIGN_UP_LIMITS) {
      env.put(limit, "off");
    }
    env.putAll(extraEnv);
    Config config = Config.fromEnvironment(env, new String[0], se.hok.samla.staff.Passwords::adminProblem);
    String registry = "samla-test-" + System.nanoTime();
    Vertx vertx = Vertx.vertx(Main.vertxOptions(registry));
    try {
      Main.Running running = Main.start(vertx, config, clock, registry)
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

  /**
   * Puts the holder of this API token on the event's staff ({@code organiser} or {@code door}), as one of the event's
   * organisers would on its staff page.
   */
  public void assign(long eventId, String token, String duty) {
    Db.exec(databaseUrl, "insert into event_staff (event_id, staff_user_id, role) select " + eventId
        + ", staff_user_id, '" + duty + "' from api_token where token_hash = sha256(convert_to('" + token + "', 'UTF8'))"
        + " on conflict (event_id, staff_user_id) do update set role = excluded.role");
  }

  /** Puts the staff member with this e-mail address on the event's staff ({@code organiser} or {@code door}). */
  public void assignEmail(long eventId, String email, String duty) {
    Db.exec(databaseUrl, "insert into event_staff (event_id, staff_user_id, role) select " + eventId
        + ", id, '" + duty + "' from staff_user where lower(email) = lower('" + email + "')"
        + " on conflict (event_id, staff_user_id) do update set role = excluded.role");
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
