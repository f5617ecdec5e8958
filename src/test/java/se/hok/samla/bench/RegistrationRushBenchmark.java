package se.hok.samla.bench;

import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;

/**
 * The yearly conference opening: many sign-ups for ONE event at once. Not a unit test (surefire's default
 * includes skip *Benchmark); run with
 * {@code ./mvnw -q test -Dtest=RegistrationRushBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Reports sign-ups per second and latency percentiles over HTTP, in-process, on the embedded PostgreSQL.
 */
class RegistrationRushBenchmark {
  static final int WARMUP = 300;
  static final int SIGNUPS = Integer.getInteger("rush.signups", 3000);
  static final int CONCURRENCY = Integer.getInteger("rush.concurrency", 64);
  /** 1 = the rush on one event; more spreads the same load over that many events (no shared row lock). */
  static final int EVENTS = Integer.getInteger("rush.events", 1);

  @Test
  void rush() {
    // -Drush.mail=false: an instance that takes sign-ups and leaves the sending to another (SAMLA_SEND_MAIL=false).
    boolean mail = Boolean.parseBoolean(System.getProperty("rush.mail", "true"));
    // -Drush.defaultMode=true: Samla as `java -jar` runs it, on its own embedded PostgreSQL with the settings it ships
    // with (the test server of the other runs has fsync off).
    boolean defaultMode = Boolean.getBoolean("rush.defaultMode");
    java.util.Map<String, String> env = java.util.Map.of("SAMLA_SEND_MAIL", String.valueOf(mail));
    java.nio.file.Path dir = defaultMode ? dataDir() : null;
    try (TestApp app = defaultMode ? TestApp.startInDefaultMode(dir, env) : TestApp.start(env)) {
      String token = app.tokenFor("organiser");
      run(app, token, WARMUP, "warm-up");
      run(app, token, SIGNUPS, "measured");
    } finally {
      if (dir != null) {
        deleteRecursively(dir);
      }
    }
  }

  private static void deleteRecursively(java.nio.file.Path dir) {
    try (var paths = java.nio.file.Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static java.nio.file.Path dataDir() {
    try {
      return java.nio.file.Files.createTempDirectory("samla-rush");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void run(TestApp app, String token, int n, String label) {
    OffsetDateTime start = OffsetDateTime.now().plusDays(30);
    long[] ids = new long[EVENTS];
    for (int e = 0; e < EVENTS; e++) {
      ids[e] = PublishedEvent.by(app, token).with("title", "Rusning").kind("samverkanskonferens").startsAt(start)
          .endsAt(start.plusHours(6)).capacity(n / 2).with("onlineUrl", "https://example.org")
          .with("registrationOpensAt", null).publishId();
    }

    WebClient client = WebClient.create(app.vertx, new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(app.port()), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(CONCURRENCY));
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    long t0 = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < CONCURRENCY; w++) {
      Promise<Void> done = Promise.promise();
      worker(client, ids, n, next, latencies, errors, done);
      workers.add(done.future());
    }
    await(Future.all(workers));
    double seconds = (System.nanoTime() - t0) / 1e9;
    client.close();
    System.out.printf("RUSH %s, %d event(s): %d sign-ups (%d seats each) with %d concurrent clients in %.2f s = %.0f/s; "
            + "latency %s; errors %d%n",
        label, EVENTS, n, n / 2, CONCURRENCY, seconds, n / seconds, Latencies.summary(latencies), errors.get());
  }

  static void worker(WebClient client, long[] ids, int n, AtomicInteger next, List<Long> latencies, AtomicInteger errors,
                     Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= n) {
      done.complete();
      return;
    }
    long t = System.nanoTime();
    long id = ids[i % ids.length];
    client.post("/api/v1/events/" + id + "/registrations")
        .sendJsonObject(new JsonObject().put("name", "Deltagare " + i).put("email", "rush" + i + "-" + id + "@example.org"))
        .onComplete(r -> {
          latencies.add(System.nanoTime() - t);
          if (r.failed() || r.result().statusCode() != 202) {  // the public's one answer
            errors.incrementAndGet();
          }
          worker(client, ids, n, next, latencies, errors, done);
        });
  }

}
