package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.web.ValidationException;

/**
 * Sign-ups for one event that arrive while a batch is in flight are claimed together, in one transaction, in the order
 * they came; one bad sign-up does not fail the others. The batch in flight is held at the event row's lock by a
 * transaction of the test's own (as a batch on another instance would hold it), so that who waits in line is certain.
 */
class SeatBatchesTest {
  static final String REFUSED_NAME = "Vägras Av Databasen";
  static TestApp app;
  static String organiser;
  /** A second instance's sign-up service on the same database (capacity is kept by PostgreSQL, not by an instance). */
  static RegistrationService registrations;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    organiser = app.tokenFor("organiser");
    registrations = new RegistrationService(app.running.database().pool(), Clock.systemDefaultZone());
    // A row the database refuses, whatever the application checked: stands for any constraint a sign-up might break.
    Db.exec(app.databaseUrl, """
        create function refuse_for_test() returns trigger language plpgsql as $$
        begin
          if new.name = '%s' then raise exception 'refused for the test' using errcode = '23514'; end if;
          return new;
        end $$;
        create trigger refuse_for_test before insert on registration for each row execute function refuse_for_test();
        """.formatted(REFUSED_NAME));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** Takes the event row's lock and keeps it until {@link #release}. */
  static SqlConnection holdEvent(long eventId) {
    SqlConnection conn = await(app.running.database().pool().getConnection());
    await(conn.query("begin").execute());
    await(conn.preparedQuery("select 1 from event where id = $1 for update").execute(Tuple.of(eventId)));
    return conn;
  }

  static void release(SqlConnection conn) {
    await(conn.query("commit").execute());
    await(conn.close());
  }

  static Future<RegistrationResult> signUp(long eventId, String name, List<Long> sessions, String key) {
    JsonObject body = new JsonObject().put("name", name)
        .put("email", name.toLowerCase().replace(' ', '.').replace('ä', 'a') + "@example.org")
        .put("sessions", new JsonArray(new ArrayList<>(sessions)));
    return registrations.register(eventId, RegistrationInput.fromJson(body), key, RegistrationService.Source.ORGANISER);
  }

  static List<Object> namesInArrivalOrder(long eventId) {
    return Db.column(app.databaseUrl, "select name from registration where event_id = " + eventId
        + " and status <> 'cancelled' order by waitlist_seq");
  }

  @Test
  void aBatchKeepsArrivalOrderOnTheWaitingList() {
    long eventId = Events.published(app, organiser, 2, new JsonArray()).getLong("id");
    SqlConnection lock = holdEvent(eventId);
    // Anna goes at once and waits for the lock; everyone after her waits in line, and goes in one batch as soon as
    // Anna's batch holds the lock (that batch's lock then waits for Anna's commit).
    List<Future<RegistrationResult>> answers = new ArrayList<>();
    List<String> names = List.of("Anna", "Bo", "Cecilia", "David", "Eva", "Frans", "Greta");
    names.forEach(n -> answers.add(signUp(eventId, n, List.of(), null)));
    release(lock);
    await(Future.all(answers));

    assertTrue(registrations.largestBatch() >= names.size() - 1, "the six behind Anna went in one batch");
    assertEquals(List.of("confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted", "waitlisted", "waitlisted"),
        answers.stream().map(a -> a.result().status()).toList());
    assertEquals(List.of(1, 2, 3, 4, 5), answers.subList(2, 7).stream().map(a -> a.result().waitlistPosition()).toList(),
        "the waiting list follows arrival");
    assertEquals(new ArrayList<Object>(names), namesInArrivalOrder(eventId));
    assertEquals(List.of(2), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId));
    assertEquals(List.of(7L), Db.column(app.databaseUrl, "select count(*) from outbox where event_id = " + eventId
        + " and kind in ('confirmed', 'waitlisted')"), "each sign-up's e-mail written with it");
    // created_at is the time its transaction began (now()), the same for every row a transaction inserts.
    assertEquals(List.of(2L), Db.column(app.databaseUrl, "select count(distinct created_at) from registration where event_id = "
        + eventId), "Anna in one transaction, the six in one more");
  }

  @Test
  void aFullSessionFailsOnlyItsOwnSignUp() {
    long eventId = Events.published(app, organiser, 10, new JsonArray().add(Events.session("Workshop", 10, 1)))
        .getLong("id");
    long workshop = ((Number) Db.column(app.databaseUrl, "select id from event_session where event_id = " + eventId)
        .get(0)).longValue();
    SqlConnection lock = holdEvent(eventId);
    Future<RegistrationResult> anna = signUp(eventId, "Anna", List.of(), null);
    Future<RegistrationResult> bo = signUp(eventId, "Bo", List.of(workshop), null);
    Future<RegistrationResult> cecilia = signUp(eventId, "Cecilia", List.of(workshop), "cecilia-key");
    Future<RegistrationResult> david = signUp(eventId, "David", List.of(), null);
    release(lock);
    await(Future.join(anna, bo, cecilia, david).otherwiseEmpty());

    assertEquals("confirmed", anna.result().status());
    assertEquals("confirmed", bo.result().status());
    assertEquals("confirmed", david.result().status());
    ValidationException full = assertInstanceOf(ValidationException.class, cecilia.cause());
    assertEquals(List.of("sessions"), List.copyOf(full.messages(se.hok.samla.web.Lang.EN).keySet()));
    assertEquals(List.of("Anna", "Bo", "David"), namesInArrivalOrder(eventId));
    assertEquals(List.of(3), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId));
    assertEquals(List.of(1), Db.column(app.databaseUrl, "select seats_taken from event_session where id = " + workshop));
    assertEquals(List.of(0L), Db.column(app.databaseUrl,
        "select count(*) from registration_request where idempotency_key = 'cecilia-key'"),
        "nothing of Cecilia's sign-up is kept, not even her key: she may send it again, changed");
  }

  @Test
  void aSignUpTheDatabaseRefusesFailsAloneAndTheOthersAreKept() {
    long eventId = Events.published(app, organiser, 10, new JsonArray()).getLong("id");
    SqlConnection lock = holdEvent(eventId);
    Future<RegistrationResult> anna = signUp(eventId, "Anna", List.of(), null);
    Future<RegistrationResult> bo = signUp(eventId, "Bo", List.of(), null);
    Future<RegistrationResult> refused = signUp(eventId, REFUSED_NAME, List.of(), "refused-key");
    Future<RegistrationResult> david = signUp(eventId, "David", List.of(), null);
    release(lock);
    await(Future.join(anna, bo, refused, david).otherwiseEmpty());

    assertInstanceOf(PgException.class, refused.cause());
    assertEquals("confirmed", bo.result().status());
    assertEquals("confirmed", david.result().status());
    assertEquals(List.of("Anna", "Bo", "David"), namesInArrivalOrder(eventId));
    assertEquals(List.of(3), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId));
    assertEquals(List.of(0L), Db.column(app.databaseUrl,
        "select count(*) from registration_request where idempotency_key = 'refused-key'"));
  }

  @Test
  void twoHundredAnonymousSignUpsAtOnceForTwentySeats() {
    long eventId = Events.published(app, organiser, 20, new JsonArray()).getLong("id");
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    IntStream.range(0, 200).forEach(i -> all.add(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .sendJsonObject(Events.person("Rusning " + i, "rusning" + i + "@example.org"))));
    await(Future.join(all));
    all.forEach(f -> assertEquals(202, f.result().statusCode(), f.result().bodyAsString()));

    assertEquals(List.of(20), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId));
    List<Object> statuses = Db.column(app.databaseUrl,
        "select status from registration where event_id = " + eventId + " order by waitlist_seq");
    assertEquals(200, statuses.size());
    assertTrue(statuses.subList(0, 20).stream().allMatch("confirmed"::equals), statuses.toString());
    assertTrue(statuses.subList(20, 200).stream().allMatch("waitlisted"::equals), statuses.toString());
    assertEquals(List.of(200L), Db.column(app.databaseUrl, "select count(*) from outbox where event_id = " + eventId
        + " and kind in ('confirmed', 'waitlisted')"));
    long transactions = (Long) Db.column(app.databaseUrl,
        "select count(distinct created_at) from registration where event_id = " + eventId).get(0);
    assertTrue(transactions < 200, "sign-ups shared transactions: " + transactions + " for 200");
  }
}
