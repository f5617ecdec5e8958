package se.hok.samla.checkin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.LiveStream;
import se.hok.samla.support.TestApp;

/** Live counts over Server-Sent Events, on the instance that checked someone in and on another one. */
class LiveCountsTest {
  static TestApp a;
  static TestApp b;
  static Door door;
  static String desk;

  @BeforeAll
  static void start() {
    a = TestApp.start(Map.of("SAMLA_SEND_MAIL", "false"));
    // A second instance of the service on the same database, as behind a load balancer.
    b = TestApp.start(Map.of("SAMLA_SEND_MAIL", "false", "DATABASE_URL", a.databaseUrl));
    door = new Door(a);
    desk = door.desk;
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
  }

  /** Opens the stream as the door's desk and puts each {@code counts} message's data on the queue. */
  static HttpClientResponse listen(TestApp app, long event, BlockingQueue<JsonObject> messages) {
    return LiveStream.listen(app, event, desk, messages);
  }

  @Test
  void aCheckInReachesEveryOpenStreamOnEveryInstanceWithinASecond() throws Exception {
    long event = door.event("Live", 30, null);
    Door.Person p = door.signUp(event, "Live Person", null);
    String code = door.ticket(event, p).code();
    BlockingQueue<JsonObject> onA = new LinkedBlockingQueue<>();
    BlockingQueue<JsonObject> onB = new LinkedBlockingQueue<>();
    HttpClientResponse ra = listen(a, event, onA);
    HttpClientResponse rb = listen(b, event, onB);
    assertEquals(200, rb.statusCode());
    assertTrue(rb.getHeader("Content-Type").startsWith("text/event-stream"), rb.getHeader("Content-Type"));
    JsonObject initial = onB.poll(5, TimeUnit.SECONDS);
    assertEquals(0L, initial.getLong("checkedIn"), "the current counts come at once");
    assertEquals(1L, initial.getLong("expected"));
    assertEquals(0L, onA.poll(5, TimeUnit.SECONDS).getLong("checkedIn"));

    long scanned = System.nanoTime();
    assertEquals(200, door.checkin(desk, Door.scan(event, code, "Entré")).statusCode());
    JsonObject fromB = onB.poll(1, TimeUnit.SECONDS);
    long elapsedMs = (System.nanoTime() - scanned) / 1_000_000;
    assertTrue(fromB != null, "the other instance's page heard of the check-in within a second");
    assertEquals(1L, fromB.getLong("checkedIn"));
    assertTrue(elapsedMs < 1000, elapsedMs + " ms");
    JsonObject fromA = onA.poll(1, TimeUnit.SECONDS);
    assertTrue(fromA != null && fromA.getLong("checkedIn") == 1L, String.valueOf(fromA));
    ra.request().connection().close();
    rb.request().connection().close();
  }

  @Test
  void streamsNeedTheCheckInRoleAndAnEventThatExists() {
    assertEquals(401, await(a.client.get("/api/v1/events/1/live").send()).statusCode());
    assertEquals(403, await(a.client.get("/api/v1/events/1/live").putHeader("Authorization", "Bearer " + a.tokenFor("viewer"))
        .send()).statusCode());
    // Door staff are refused an event that does not exist as any event not theirs; an admin is told it is not there.
    assertEquals(403, await(a.client.get("/api/v1/events/999999/live").putHeader("Authorization", "Bearer " + desk)
        .send()).statusCode());
    assertEquals(404, await(a.client.get("/api/v1/events/999999/live").putHeader("Authorization", "Bearer " + a.adminToken())
        .send()).statusCode());
  }
}
