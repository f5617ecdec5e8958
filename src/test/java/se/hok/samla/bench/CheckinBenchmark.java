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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;
import se.hok.samla.tickets.TicketService;

/**
 * The doors open: 20 devices scanning tickets of one event as fast as the API answers. Not a unit test (surefire's
 * default includes skip *Benchmark); run with
 * {@code ./mvnw -q test -Dtest=CheckinBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Phase "first scans": every ticket scanned once (each an admission); phase "re-scans": tickets scanned again
 * (already checked in), the common case at a busy door where people wave their phone twice. Target: p99 under
 * 50 ms and at least 2,000 scans/s on two cores.
 */
class CheckinBenchmark {
  static final int TICKETS = Integer.getInteger("scan.tickets", 5000);
  static final int RESCANS = Integer.getInteger("scan.rescans", 20000);
  /** Enough for the JIT to settle before measuring: first scans and re-scans of another event. */
  static final int WARMUP = Integer.getInteger("scan.warmup", 2000);
  static final int DEVICES = Integer.getInteger("scan.devices", 20);
  /** Whether the sign-ups are vacuumed before the doors open, as days-old ones are ({@code -Dscan.vacuumed=false}: straight after the sign-ups). */
  static final boolean VACUUMED = Boolean.parseBoolean(System.getProperty("scan.vacuumed", "true"));

  @Test
  void doorsOpen() {
    try (TestApp app = TestApp.start(Map.of("SAMLA_SEND_MAIL", "false"))) {
      String organiser = app.tokenFor("organiser");
      List<String> tokens = new ArrayList<>();
      for (int d = 0; d < DEVICES; d++) {
        tokens.add(app.tokenFor("checkin"));
      }
      long warmEvent = event(app, organiser, WARMUP);
      tokens.forEach(t -> app.assign(warmEvent, t, "door"));
      List<String> warmCodes = tickets(app, organiser, warmEvent, WARMUP);
      run(app, tokens, warmEvent, warmCodes, warmCodes.size(), "warm-up, first scans");
      run(app, tokens, warmEvent, warmCodes, 2 * WARMUP, "warm-up, re-scans");

      long event = event(app, organiser, TICKETS);
      tokens.forEach(t -> app.assign(event, t, "door"));
      List<String> codes = tickets(app, organiser, event, TICKETS);
      if (VACUUMED) {
        // Sign-ups are days old when the doors open: autovacuum has long since been through them.
        se.hok.samla.support.Db.exec(app.databaseUrl, "vacuum analyze");
      }
      run(app, tokens, event, codes, codes.size(), "first scans");
      run(app, tokens, event, codes, RESCANS, "re-scans");
    }
  }

  static long event(TestApp app, String token, int capacity) {
    OffsetDateTime start = OffsetDateTime.now().plusHours(1);
    // On the day of an event its reminder went out long ago; without reminderDays 0, the reminder job would queue
    // one e-mail per registration in the middle of the measurement.
    return PublishedEvent.by(app, token).title("Dörrarna öppnar").kind("samverkanskonferens").startsAt(start)
        .endsAt(start.plusHours(6)).capacity(capacity).reminderDays(0).publishId();
  }

  /** n confirmed registrations through the API (by the organiser, whose answer names them), and their tickets. */
  static List<String> tickets(TestApp app, String organiser, long event, int n) {
    TicketService service = new TicketService(app.vertx, app.running.database().pool());
    List<String> codes = Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> all = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    for (int w = 0; w < 16; w++) {
      Promise<Void> done = Promise.promise();
      signUp(app, organiser, service, event, n, next, codes, done);
      all.add(done.future());
    }
    Future.all(all).toCompletionStage().toCompletableFuture().join();  // can take longer than await's 30 s
    Collections.shuffle(codes);
    return codes;
  }

  static void signUp(TestApp app, String organiser, TicketService service, long event, int n, AtomicInteger next,
                     List<String> codes, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= n) {
      done.complete();
      return;
    }
    app.client.post("/api/v1/events/" + event + "/registrations").putHeader("Authorization", "Bearer " + organiser)
        .sendJsonObject(new JsonObject().put("name", "Deltagare " + i).put("email", "door" + i + "-" + event + "@example.org"))
        .compose(r -> service.current(UUID.fromString(r.bodyAsJsonObject().getString("id")), event, false))
        .onSuccess(t -> codes.add(t.code()))
        .onComplete(r -> signUp(app, organiser, service, event, n, next, codes, done));
  }

  static void run(TestApp app, List<String> tokens, long event, List<String> codes, int scans, String label) {
    WebClient client = WebClient.create(app.vertx, new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(app.port()), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(DEVICES));
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicInteger> results = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    long t0 = System.nanoTime();
    List<Future<Void>> devices = new ArrayList<>();
    for (int d = 0; d < tokens.size(); d++) {
      Promise<Void> done = Promise.promise();
      device(client, tokens.get(d), "Enhet " + d, event, codes, scans, next, latencies, results, done);
      devices.add(done.future());
    }
    // Longer than TestApp.await's 30 s when the machine is busy.
    devices.forEach(f -> f.toCompletionStage().toCompletableFuture().join());
    double seconds = (System.nanoTime() - t0) / 1e9;
    client.close();
    System.out.printf("SCANS %s: %d scans by %d devices in %.2f s = %.0f/s; latency %s; results %s%n",
        label, scans, tokens.size(), seconds, scans / seconds, Latencies.summary(latencies), results);
  }

  static void device(WebClient client, String token, String deviceId, long event, List<String> codes, int scans,
                     AtomicInteger next, List<Long> latencies, Map<String, AtomicInteger> results, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= scans) {
      done.complete();
      return;
    }
    long t = System.nanoTime();
    client.post("/api/v1/checkins").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("eventId", event).put("code", codes.get(i % codes.size()))
            .put("deviceId", deviceId).put("idempotencyKey", UUID.randomUUID().toString()))
        .onComplete(r -> {
          latencies.add(System.nanoTime() - t);
          String result = r.failed() ? "failed" : r.result().statusCode() != 200 ? "http " + r.result().statusCode()
              : r.result().bodyAsJsonObject().getString("result");
          results.computeIfAbsent(result, k -> new AtomicInteger()).incrementAndGet();
          device(client, token, deviceId, event, codes, scans, next, latencies, results, done);
        });
  }

}
