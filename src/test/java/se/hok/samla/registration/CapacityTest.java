package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** No overbooking under any concurrency, and the waiting list moves up in order. */
@WithSamla
class CapacityTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
  }

  /** As an organiser signs someone up: the answer tells the status and the waiting-list place. */
  static Future<HttpResponse<Buffer>> register(long eventId, JsonObject person) {
    return app.client.post("/api/v1/events/" + eventId + "/registrations")
        .putHeader("Authorization", "Bearer " + organiser).sendJsonObject(person);
  }

  /** As the person signs up themselves; their manage link comes by e-mail. */
  static String token(long eventId, JsonObject person) {
    return SignUps.participant(app, eventId, person).token();
  }

  @Test
  void twoHundredAtOnceForTwentySeats() {
    long eventId = Events.published(app, organiser, 20, new JsonArray()).getLong("id");
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    IntStream.range(0, 200).forEach(i -> all.add(register(eventId, Events.person("Deltagare " + i, "p" + i + "@example.org"))));
    await(Future.join(all));

    List<JsonObject> answers = all.stream().map(f -> {
      assertEquals(201, f.result().statusCode(), f.result().bodyAsString());
      return f.result().bodyAsJsonObject();
    }).toList();
    assertEquals(20, answers.stream().filter(a -> a.getString("status").equals("confirmed")).count());
    assertEquals(180, answers.stream().filter(a -> a.getString("status").equals("waitlisted")).count());
    List<Integer> positions = answers.stream().filter(a -> a.getString("status").equals("waitlisted"))
        .map(a -> a.getInteger("waitlistPosition")).sorted().toList();
    assertEquals(IntStream.rangeClosed(1, 180).boxed().toList(), positions, "each waitlisted person told a distinct place");

    // In the database: exactly 20 seats taken, and arrival order = the 20 confirmed first, then the list in order.
    assertEquals(List.of(20), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId));
    List<Object> statusesInArrivalOrder = Db.column(app.databaseUrl,
        "select status from registration where event_id = " + eventId + " order by waitlist_seq");
    assertEquals(200, statusesInArrivalOrder.size());
    assertTrue(statusesInArrivalOrder.subList(0, 20).stream().allMatch("confirmed"::equals), statusesInArrivalOrder.toString());
    assertTrue(statusesInArrivalOrder.subList(20, 200).stream().allMatch("waitlisted"::equals));
    assertEquals(200L, Db.column(app.databaseUrl, "select count(*) from outbox where event_id = " + eventId
        + " and kind in ('confirmed', 'waitlisted')").get(0), "one mail per registration, written with it");
  }

  @Test
  void cancellingPromotesTheNextInLineInOrder() {
    long eventId = Events.published(app, organiser, 2, new JsonArray()).getLong("id");
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tokens.add(token(eventId, Events.person("Person " + i, "order" + i + "@example.org")));
    }
    // 0 and 1 confirmed; 2, 3, 4 waiting in that order.
    assertEquals("waitlisted", status(tokens.get(2)));
    assertEquals(2, await(app.client.get("/api/v1/registrations/" + tokens.get(3)).send()).bodyAsJsonObject().getInteger("waitlistPosition"));

    cancel(tokens.get(1));
    assertEquals("confirmed", status(tokens.get(2)), "first in line moves up");
    assertEquals("waitlisted", status(tokens.get(3)));
    assertEquals(1, await(app.client.get("/api/v1/registrations/" + tokens.get(3)).send()).bodyAsJsonObject().getInteger("waitlistPosition"));

    cancel(tokens.get(3));  // someone waiting leaves: nobody moves up, the list closes the gap
    assertEquals(1, await(app.client.get("/api/v1/registrations/" + tokens.get(4)).send()).bodyAsJsonObject().getInteger("waitlistPosition"));

    cancel(tokens.get(0));
    assertEquals("confirmed", status(tokens.get(4)));
    assertEquals(List.of(2), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId));
    assertEquals(2L, Db.column(app.databaseUrl, "select count(*) from outbox where event_id = " + eventId + " and kind = 'promoted'").get(0));
  }

  @Test
  void aCompanionTakesASeatAndTheListWaitsForTwoSeats() {
    long eventId = Events.published(app, organiser, 3, new JsonArray()).getLong("id");
    String first = token(eventId, Events.person("Ett", "c1@example.org"));
    String second = token(eventId, Events.person("Två", "c2@example.org").put("companion", true));
    assertEquals("confirmed", status(second));
    assertEquals(List.of(3), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId), "companion counted");
    String third = token(eventId, Events.person("Tre", "c3@example.org").put("companion", true));
    String fourth = token(eventId, Events.person("Fyra", "c4@example.org"));
    assertEquals("waitlisted", status(third));

    cancel(first);
    assertEquals("waitlisted", status(third), "one seat free, two needed: first in line keeps waiting");
    assertEquals("waitlisted", status(fourth), "and nobody behind jumps the queue");
    String fifth = token(eventId, Events.person("Fem", "c5@example.org"));
    assertEquals("waitlisted", status(fifth), "a newcomer does not take the seat people are waiting for");

    cancel(second);
    assertEquals("confirmed", status(third), "three seats free: the person with a companion moves up");
    assertEquals("confirmed", status(fourth), "and the next one fits too");
    assertEquals("waitlisted", status(fifth));
    assertEquals(List.of(3), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId));
  }

  @Test
  void sessionsHaveTheirOwnCapacity() {
    JsonObject event = Events.published(app, organiser, 10, new JsonArray()
        .add(Events.session("Workshop A", 10, 1)).add(Events.session("Workshop B", 10, 5)));
    long eventId = event.getLong("id");
    long a = event.getJsonArray("sessions").getJsonObject(0).getLong("id");
    long b = event.getJsonArray("sessions").getJsonObject(1).getLong("id");
    assertEquals(201, await(register(eventId, Events.person("A1", "s1@example.org").put("sessions", new JsonArray().add(a)))).statusCode());
    // The public is refused the same way: the refusal says nothing about whether the address was registered.
    HttpResponse<Buffer> full = await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .sendJsonObject(Events.person("A2", "s2@example.org").put("sessions", new JsonArray().add(a))));
    assertEquals(422, full.statusCode(), full.bodyAsString());
    assertTrue(full.bodyAsJsonObject().getJsonObject("fields").getString("sessions").contains("fullt"));
    assertEquals(0L, Db.column(app.databaseUrl, "select count(*) from registration where email = 's2@example.org'").get(0),
        "nothing half-saved");
    assertEquals(List.of(1), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId), "event seat given back");
    HttpResponse<Buffer> both = await(register(eventId, Events.person("AB", "s3@example.org").put("sessions", new JsonArray().add(a).add(b))));
    assertEquals(422, both.statusCode());
    assertEquals(201, await(register(eventId, Events.person("B1", "s4@example.org").put("sessions", new JsonArray().add(b)))).statusCode());
  }

  static String status(String token) {
    return await(app.client.get("/api/v1/registrations/" + token).send()).bodyAsJsonObject().getString("status");
  }

  static void cancel(String token) {
    HttpResponse<Buffer> r = await(app.client.delete("/api/v1/registrations/" + token).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("cancelled", r.bodyAsJsonObject().getString("status"));
  }
}
