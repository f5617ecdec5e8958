package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.LiveStream;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;
import se.hok.samla.tickets.TicketService;

/**
 * The README's claim that any number of instances can run side by side: two instances on one database, both sending
 * e-mail to one real SMTP relay, as behind a load balancer. Capacity is exact across them, every e-mail goes out once,
 * and a check-in on one reaches the live counts of the other within a second.
 */
class TwoInstancesTest {
  static GreenMail relay;
  static TestApp a;
  static TestApp b;

  @BeforeAll
  static void start() throws Exception {
    int port = se.hok.samla.support.Ports.next();
    relay = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    relay.start();
    Map<String, String> env = Map.of("SAMLA_SMTP_HOST", "127.0.0.1", "SAMLA_SMTP_PORT", String.valueOf(port),
        "SAMLA_SMTP_STARTTLS", "false", "SAMLA_HTTP_HOST", "127.0.0.1");
    a = TestApp.start(env);
    b = TestApp.startOn(a.databaseUrl, env);
  }

  @AfterAll
  static void stop() {
    try {
      if (b != null) {
        b.close();
      }
      if (a != null) {
        a.close();
      }
    } finally {
      relay.stop();
    }
  }

  @Test
  void fourHundredSignUpsOverBothForAHundredSeatsGiveAHundredPlacesAndOneEmailEach() throws Exception {
    long event = PublishedEvent.by(a, a.tokenFor("organiser")).title("Samverkanskonferens i två instanser")
        .capacity(100).atVenue().publishId();
    int people = 400;
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      emails.add("person" + i + "-" + event + "@two.example");
    }
    // Every other sign-up to each instance, 40 at a time: they meet on the event's seats in the database.
    List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      TestApp to = i % 2 == 0 ? a : b;
      inFlight.add(to.client.post("/api/v1/events/" + event + "/registrations").sendJsonObject(new JsonObject()
          .put("name", "Person " + i).put("email", emails.get(i))));
      if (inFlight.size() == 40 || i == people - 1) {
        await(Future.join(new ArrayList<>(inFlight)));
        inFlight.forEach(f -> answers.add(f.result()));
        inFlight.clear();
      }
    }
    for (HttpResponse<Buffer> r : answers) {
      assertEquals(202, r.statusCode(), r.bodyAsString());
    }
    Map<Object, Object> byStatus = new TreeMap<>();
    for (Object status : List.of("confirmed", "waitlisted")) {
      byStatus.put(status, Db.column(a.databaseUrl, "select count(*) from registration where event_id = " + event
          + " and status = '" + status + "'").get(0));
    }
    assertEquals(Map.of("confirmed", 100L, "waitlisted", 300L), byStatus, "exactly the seats there are, the rest waiting");

    // Both instances send: each e-mail is claimed by one of them (FOR UPDATE SKIP LOCKED) and goes out once.
    awaitOutboxSent(event);
    Map<String, List<MimeMessage>> received = new HashMap<>();
    for (MimeMessage m : relay.getReceivedMessages()) {
      String to = Mails.recipient(m);
      if (to.endsWith("-" + event + "@two.example")) {
        received.computeIfAbsent(to, k -> new ArrayList<>()).add(m);
      }
    }
    assertEquals(Set.copyOf(emails), received.keySet(), "everyone got mail");
    Map<String, Integer> moreThanOnce = received.entrySet().stream().filter(e -> e.getValue().size() != 1)
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
    assertEquals(Map.of(), moreThanOnce, "one e-mail each");
    List<Object> confirmed = Db.column(a.databaseUrl, "select email from registration where event_id = " + event
        + " and status = 'confirmed'");
    for (Object email : confirmed) {
      MimeMessage ticket = received.get((String) email).get(0);
      assertTrue(Mails.find(ticket, "application/pdf").isPresent(), () -> email + " got the ticket, but: "
          + subject(ticket) + " / " + Db.column(a.databaseUrl, "select o.kind || ' ' || o.created_at || ' ' || r.status"
          + " || ' ' || coalesce(r.confirmed_at::text, '-') from outbox o join registration r on r.id = o.registration_id"
          + " where r.email = '" + email + "'"));
    }
  }

  @Test
  void aCheckInOnOneInstanceIsInTheOthersLiveCountsWithinASecond() throws Exception {
    String organiser = a.tokenFor("organiser");
    OffsetDateTime start = OffsetDateTime.now(ZoneId.of("Europe/Stockholm")).plusHours(1).truncatedTo(ChronoUnit.MINUTES);
    long event = PublishedEvent.by(a, organiser).title("Dörren i två instanser").startsAt(start)
        .endsAt(start.plusHours(3)).capacity(10).publishId();
    JsonObject person = SignUps.byOrganiser(a, organiser, event, new JsonObject().put("name", "Dörr Person")
        .put("email", "door-" + event + "@two.example"));
    String code = await(new TicketService(a.vertx, a.running.database().pool())
        .current(UUID.fromString(person.getString("id")), event, false)).code();

    BlockingQueue<JsonObject> onB = new LinkedBlockingQueue<>();
    HttpClientResponse stream = LiveStream.listen(b, event, organiser, onB);
    assertEquals(200, stream.statusCode());
    assertEquals(0L, onB.poll(5, TimeUnit.SECONDS).getLong("checkedIn"), "the counts as they are, at once");

    long scanned = System.nanoTime();
    HttpResponse<Buffer> admitted = await(a.client.post("/api/v1/checkins").putHeader("Authorization", "Bearer " + organiser)
        .sendJsonObject(new JsonObject().put("eventId", event).put("code", code).put("deviceId", "Entré A")
            .put("idempotencyKey", UUID.randomUUID().toString())));
    assertEquals("ok", admitted.bodyAsJsonObject().getString("result"), admitted.bodyAsString());
    JsonObject heard = onB.poll(1, TimeUnit.SECONDS);
    long elapsedMs = (System.nanoTime() - scanned) / 1_000_000;
    assertNotNull(heard, "instance B's stream heard of A's check-in within a second");
    assertEquals(1L, heard.getLong("checkedIn"));
    assertTrue(elapsedMs < 1000, elapsedMs + " ms");
    stream.request().connection().close();
  }

  /** Waits (up to 60 s) until every e-mail of the event has gone: none waiting, none given up. */
  private static void awaitOutboxSent(long event) throws InterruptedException {
    String unsent = "select count(*) from outbox where event_id = " + event + " and sent_at is null";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((Long) Db.column(a.databaseUrl, unsent).get(0) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(List.of(0L), Db.column(a.databaseUrl, unsent), () -> "unsent: " + Db.column(a.databaseUrl,
        "select kind || ': ' || coalesce(last_error, 'waiting') from outbox where event_id = " + event
            + " and sent_at is null limit 5"));
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      return e.toString();
    }
  }

  @Test
  void accessEndedOnOneInstanceEndsOnTheOtherAtOnce() throws Exception {
    String organiser = a.tokenFor("organiser");
    long event = PublishedEvent.by(a, organiser).title("Dörren i två instanser").capacity(10).atVenue().publishId();

    // Taken off the event's staff on a, while b remembers the door person's duty there (for 20 s otherwise).
    StaffAccount door = StaffAccount.create(a, "checkin");
    a.assign(event, door.token(), "door");
    assertEquals(200, ticketKey(b, door.token(), event), "b checks the token and the duty, and remembers both");
    assertEquals(204, await(a.client.delete("/api/v1/events/" + event + "/staff/" + door.id())
        .putHeader("Authorization", "Bearer " + organiser).send()).statusCode());
    assertEquals(403, onceChanged(b, door.token(), event), "off the event on b too");

    // All of someone's keys revoked by an admin on a, while b remembers the key.
    StaffAccount other = StaffAccount.create(a, "checkin");
    a.assign(event, other.token(), "door");
    assertEquals(200, ticketKey(b, other.token(), event));
    String keys = "/admin/personal/" + other.id() + "/nycklar";
    assertEquals(302, PageSession.signedIn(a, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD)
        .post(keys, keys + "/aterkalla", io.vertx.core.MultiMap.caseInsensitiveMultiMap()).statusCode());
    assertEquals(401, onceChanged(b, other.token(), event), "the key refused on b too");
  }

  static int ticketKey(TestApp app, String token, long event) {
    return await(app.client.get("/api/v1/events/" + event + "/ticket-key").putHeader("Authorization", "Bearer " + token)
        .send()).statusCode();
  }

  /**
   * What b answers once the other instance's notice has reached it (staff/StaffChanges): asked again until the answer
   * is no longer 200, for at most 5 s, a quarter of the 20 s b would otherwise go on believing what it remembered.
   */
  static int onceChanged(TestApp app, String token, long event) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int status = ticketKey(app, token, event);
    while (status == 200 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      status = ticketKey(app, token, event);
    }
    return status;
  }

}
