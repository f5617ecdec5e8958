package se.hok.samla.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** Reminders go out once, N days before, to those with a seat; event cancellation reaches everyone registered. */
@WithSamla
class RemindersTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
  }

  static long event(int daysAhead, int reminderDays, int capacity) {
    OffsetDateTime start = OffsetDateTime.now().plusDays(daysAhead).plusHours(2);
    JsonObject published = PublishedEvent.by(app, organiser).with("title", "Workshop " + daysAhead + "/" + reminderDays)
        .kind("workshop").startsAt(start).endsAt(start.plusHours(2)).capacity(capacity).reminderDays(reminderDays)
        .with("onlineUrl", "https://example.org").with("registrationOpensAt", null).publish();
    long id = published.getLong("id");
    assertEquals(reminderDays, published.getInteger("reminderDays"));
    for (int i = 0; i < capacity + 1; i++) {
      await(app.client.post("/api/v1/events/" + id + "/registrations")
          .sendJsonObject(new JsonObject().put("name", "P" + i).put("email", "p" + i + "-" + id + "@example.org")));
    }
    return id;
  }

  static long count(String kind, long eventId) {
    return (Long) Db.column(app.databaseUrl, "select count(*) from outbox where kind = '" + kind + "' and event_id = " + eventId).get(0);
  }

  @Test
  void remindersAreQueuedOnceWhenDueAndOnlyForThoseWithASeat() {
    long due = event(1, 2, 2);       // starts in a day, reminder 2 days before: due now
    long later = event(10, 2, 2);    // not yet
    long none = event(1, 0, 2);      // organiser chose no reminder
    Reminders reminders = new Reminders(app.running.database().pool());
    Future<Integer> a = reminders.queueDue();
    Future<Integer> b = new Reminders(app.running.database().pool()).queueDue();
    await(Future.join(a, b));
    assertEquals(2, count("reminder", due), "the two confirmed, not the one waiting, and only once");
    assertEquals(0, count("reminder", later));
    assertEquals(0, count("reminder", none));
    assertEquals(0, await(reminders.queueDue()));
  }

  @Test
  void cancellingAnEventTellsEveryoneRegistered() {
    long id = event(20, 2, 1);   // one confirmed, one waiting
    await(app.client.post("/api/v1/events/" + id + "/cancel").putHeader("Authorization", "Bearer " + organiser).send());
    await(app.client.post("/api/v1/events/" + id + "/cancel").putHeader("Authorization", "Bearer " + organiser).send());
    assertEquals(2, count("event_cancelled", id), "both, once");
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'reminder' and event_id = " + id));
  }
}
