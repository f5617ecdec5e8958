package se.hok.samla.checkin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.tickets.Ticket;
import se.hok.samla.tickets.TicketService;

/** A door to test: events made through the API as an organiser would, people signed up, their tickets. */
final class Door {
  final TestApp app;
  final String organiser;
  /** A check-in account's token, on the door staff of every event made here. */
  final String desk;
  final TicketService tickets;

  Door(TestApp app) {
    this.app = app;
    this.organiser = app.tokenFor("organiser");
    this.desk = app.tokenFor("checkin");
    this.tickets = new TicketService(app.vertx, app.running.database().pool());
  }

  record Person(UUID id, String email, String status, String name) {}

  /** A published event today-ish (it starts in an hour), with optional sessions; {@link #desk} works its door. */
  long event(String title, int capacity, JsonArray sessions) {
    OffsetDateTime start = OffsetDateTime.now(ZoneId.of("Europe/Stockholm")).plusHours(1).truncatedTo(ChronoUnit.MINUTES);
    long id = PublishedEvent.by(app, organiser).title(title).atVenue().startsAt(start).endsAt(start.plusHours(4))
        .capacity(capacity).sessions(sessions).publishId();
    app.assign(id, desk, "door");
    return id;
  }

  JsonObject eventJson(long id) {
    return await(app.client.get("/api/v1/events/" + id).send()).bodyAsJsonObject();
  }

  static JsonObject session(String title, int hoursFromNow, int capacity) {
    OffsetDateTime start = OffsetDateTime.now(ZoneId.of("Europe/Stockholm")).plusHours(hoursFromNow).truncatedTo(ChronoUnit.MINUTES);
    return new JsonObject().put("title", title).put("startsAt", start.toString())
        .put("endsAt", start.plusMinutes(50).toString()).put("capacity", capacity);
  }

  /** Signs someone up as their organiser does (the answer names the registration); their e-mail brings the ticket. */
  Person signUp(long eventId, String name, JsonObject extra) {
    JsonObject body = new JsonObject().put("name", name).put("email", "p" + System.nanoTime() + "@example.org");
    if (extra != null) {
      body.mergeIn(extra);
    }
    JsonObject b = SignUps.byOrganiser(app, organiser, eventId, body);
    return new Person(UUID.fromString(b.getString("id")), body.getString("email"), b.getString("status"), name);
  }

  /** The person cancels, with the link from their e-mail. */
  void cancel(Person p) {
    HttpResponse<Buffer> r = await(app.client.delete("/api/v1/registrations/" + SignUps.manageToken(app, p.email())).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  Ticket ticket(long eventId, Person p) {
    return await(tickets.current(p.id(), eventId, false));
  }

  Ticket reissue(long eventId, Person p) {
    return await(tickets.current(p.id(), eventId, true));
  }

  HttpResponse<Buffer> checkin(String token, JsonObject body) {
    return await(app.client.post("/api/v1/checkins").putHeader("Authorization", "Bearer " + token).sendJsonObject(body));
  }

  static JsonObject scan(long eventId, String code, String device) {
    return new JsonObject().put("eventId", eventId).put("code", code).put("deviceId", device)
        .put("idempotencyKey", UUID.randomUUID().toString());
  }

  /** A registration's row held locked until closed; the lock is let go without changing anything. */
  interface HeldRow extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Locks the person's registration row, as a stuck transaction would: a scan of them then waits inside the
   * database (its admission needs the row), like a scan on a database that hangs.
   */
  HeldRow hold(UUID registrationId) {
    SqlConnection conn = await(app.running.database().pool().getConnection());
    try {
      Transaction tx = await(conn.begin());
      await(conn.preparedQuery("select 1 from registration where id = $1 for update").execute(Tuple.of(registrationId)));
      return () -> {
        try {
          await(tx.rollback());
        } finally {
          conn.close();
        }
      };
    } catch (RuntimeException e) {
      conn.close();
      throw e;
    }
  }
}
