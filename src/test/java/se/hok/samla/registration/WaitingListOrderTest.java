package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.SignUps.Participant;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * The waiting list keeps its order: when the first in line needs two seats (a companion) and only one is free, nobody
 * behind them and no new sign-up takes that seat, however the requests interleave.
 */
@WithSamla
class WaitingListOrderTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
  }

  static JsonObject person(String name, boolean companion) {
    return Events.person(name, email(name)).put("companion", companion);
  }

  static String email(String name) {
    return name.toLowerCase().replace(' ', '.') + "@example.org";
  }

  static Future<HttpResponse<Buffer>> signUp(long eventId, String name, boolean companion) {
    return app.client.post("/api/v1/events/" + eventId + "/registrations").sendJsonObject(person(name, companion));
  }

  /** Signs up as the person does; what they are told (status, place) comes with the manage link by e-mail. */
  static Participant signedUp(long eventId, String name, boolean companion) {
    return SignUps.participant(app, eventId, person(name, companion));
  }

  /** The registration as its manage link shows it. */
  static JsonObject mine(Participant p) {
    return await(app.client.get("/api/v1/registrations/" + p.token()).send()).bodyAsJsonObject();
  }

  static void cancel(Participant registration) {
    assertEquals(200, await(app.client.delete("/api/v1/registrations/" + registration.token()).send()).statusCode());
  }

  static List<Object> statusesByName(long eventId) {
    return Db.column(app.databaseUrl, "select name || ' ' || status from registration where event_id = " + eventId
        + " and status <> 'cancelled' order by status, waitlist_seq");
  }

  @Test
  void aFreedSeatWaitsForTheFirstInLineWhoNeedsTwo() {
    long eventId = Events.published(app, organiser, 2, new JsonArray()).getLong("id");
    Participant anna = signedUp(eventId, "Anna", false);
    Participant bo = signedUp(eventId, "Bo", false);
    assertEquals("waitlisted", signedUp(eventId, "Wilma", true).status(), "needs two seats");
    assertEquals("waitlisted", signedUp(eventId, "Xavier", false).status());

    cancel(anna);  // one seat free: Wilma, first in line, needs two
    Participant yasmin = signedUp(eventId, "Yasmin", false);
    assertEquals("waitlisted", yasmin.status(), "a new sign-up does not jump the list");
    assertEquals(3, mine(yasmin).getInteger("waitlistPosition"));
    assertEquals(List.of("Bo confirmed", "Wilma waitlisted", "Xavier waitlisted", "Yasmin waitlisted"), statusesByName(eventId));
    assertEquals(List.of(1), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId));

    cancel(bo);  // two seats free: Wilma and her companion move up; Xavier is next
    assertEquals(List.of("Wilma confirmed", "Xavier waitlisted", "Yasmin waitlisted"), statusesByName(eventId));
    assertEquals(List.of(2), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId));
  }

  /**
   * The race the issue found: Wilma (two seats) goes to the waiting list while one seat is free, and Sam (one seat)
   * reaches the seat claim just before Wilma's sign-up commits. Sam must line up behind her instead of taking the free
   * seat. The test plays Wilma's transaction at that moment (the event locked by her claim, her place on the list
   * written, not yet committed) so that the interleaving is exact.
   */
  @Test
  void aSignUpThatWaitedForTheLockDoesNotTakeTheSeatOfTheOneAheadOfIt() {
    long eventId = Events.published(app, organiser, 2, new JsonArray()).getLong("id");
    Participant anna = signedUp(eventId, "Anna Race", false);
    signedUp(eventId, "Bo Race", false);
    cancel(anna);  // one seat free, nobody waiting

    SqlConnection wilma = await(app.running.database().pool().getConnection());
    try {
      Transaction tx = await(wilma.begin());
      await(wilma.preparedQuery("select 1 from event where id = $1 for no key update").execute(Tuple.of(eventId)));
      await(wilma.preparedQuery("insert into registration (event_id, status, waitlist_seq, name, email, companion) "
          + "values ($1, 'waitlisted', nextval('waitlist_seq'), 'Wilma Race', 'wilma.race@example.org', true)")
          .execute(Tuple.of(eventId)));
      Future<HttpResponse<Buffer>> sam = signUp(eventId, "Sam Race", false);
      awaitLockWaiters(1);
      await(tx.commit());

      assertEquals(202, await(sam).statusCode());
      JsonObject s = await(app.client.get("/api/v1/registrations/" + SignUps.manageToken(app, email("Sam Race"))).send())
          .bodyAsJsonObject();
      assertEquals("waitlisted", s.getString("status"), "Sam lines up behind Wilma: " + s.encode());
      assertEquals(2, s.getInteger("waitlistPosition"));
      assertEquals(List.of("Bo Race confirmed", "Wilma Race waitlisted", "Sam Race waitlisted"), statusesByName(eventId));
      assertEquals(List.of(1), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId));
    } finally {
      wilma.close();
    }
  }

  /** Waits (a condition, at most 10 s) until this many sessions of the test's database wait for a lock. */
  static void awaitLockWaiters(int n) {
    String sql = "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'";
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (((Number) Db.column(app.databaseUrl, sql).get(0)).intValue() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(n + " sign-ups never queued for the event's lock");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
