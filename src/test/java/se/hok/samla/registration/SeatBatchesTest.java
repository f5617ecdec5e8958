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
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.web.ValidationException;

/**
 * Sign-ups that arrive while a batch is in flight are claimed together, in one transaction, in the order they came,
 * whether for one event or several; one bad sign-up does not fail the others, of its event or another. The batch in
 * flight is held at an event row's lock by a transaction of the test's own (as a batch on another instance would hold
 * it), so that who waits in line is certain.
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
    registrations = new RegistrationService(app.running.database().pool(), Clock.systemDefaultZone(), se.hok.samla.mail.Outbox.REGISTRATION_MAILS);
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

    assertFilledInArrivalOrder(eventId, 20, 200);
    long transactions = (Long) Db.column(app.databaseUrl,
        "select count(distinct created_at) from registration where event_id = " + eventId).get(0);
    assertTrue(transactions < 200, "sign-ups shared transactions: " + transactions + " for 200");
  }

  static long session(long eventId) {
    return ((Number) Db.column(app.databaseUrl, "select id from event_session where event_id = " + eventId).get(0)).longValue();
  }

  /**
   * Transactions that wrote registrations for more than one of the events (told apart by their start time, now(),
   * which every row a transaction inserts shares).
   */
  static long transactionsSpanningEvents(List<Long> events) {
    String in = events.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElseThrow();
    return (Long) Db.column(app.databaseUrl, "select count(*) from (select created_at from registration where event_id in ("
        + in + ") group by created_at having count(distinct event_id) > 1) t").get(0);
  }

  @Test
  void signUpsForSeveralEventsShareOneBatchAndEachEventKeepsArrivalOrder() {
    long a = Events.published(app, organiser, 1, new JsonArray()).getLong("id");
    long b = Events.published(app, organiser, 1, new JsonArray()).getLong("id");
    long c = Events.published(app, organiser, 2, new JsonArray()).getLong("id");
    SqlConnection lock = holdEvent(a);
    // Anna goes at once and waits for event A's lock; everyone after her, for any event, waits in line and goes in one
    // batch as soon as Anna's batch holds its lock.
    Future<RegistrationResult> anna = signUp(a, "Anna", List.of(), null);
    Map<String, Long> arrivals = new java.util.LinkedHashMap<>();
    List.of("A1", "B1", "C1", "A2", "B2", "C2", "A3", "B3", "C3", "C4")
        .forEach(n -> arrivals.put("Person " + n, n.startsWith("A") ? a : n.startsWith("B") ? b : c));
    Map<String, Future<RegistrationResult>> answers = new java.util.LinkedHashMap<>();
    arrivals.forEach((name, event) -> answers.put(name, signUp(event, name, List.of(), null)));
    release(lock);
    await(Future.all(new ArrayList<>(answers.values())).compose(x -> anna));

    assertEquals(List.of(2L), Db.column(app.databaseUrl, "select count(distinct created_at) from registration where event_id in ("
        + a + ", " + b + ", " + c + ")"), "Anna in one transaction, the ten behind her, for three events, in one more");
    assertEquals(1, transactionsSpanningEvents(List.of(a, b, c)));
    assertTrue(registrations.largestBatch() >= arrivals.size());
    assertEquals("confirmed", anna.result().status());
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    List.of("A1:waitlisted 1", "B1:confirmed", "C1:confirmed", "A2:waitlisted 2", "B2:waitlisted 1", "C2:confirmed",
        "A3:waitlisted 3", "B3:waitlisted 2", "C3:waitlisted 1", "C4:waitlisted 2").forEach(e -> {
          String[] parts = e.split(":");
          expected.put("Person " + parts[0], parts[1]);
        });
    Map<String, String> got = new java.util.LinkedHashMap<>();
    answers.forEach((name, f) -> got.put(name, f.result().status()
        + (f.result().waitlistPosition() == null ? "" : " " + f.result().waitlistPosition())));
    assertEquals(expected, got, "each event's waiting list follows arrival");
    assertEquals(List.of("Anna", "Person A1", "Person A2", "Person A3"), namesInArrivalOrder(a));
    assertEquals(List.of("Person B1", "Person B2", "Person B3"), namesInArrivalOrder(b));
    assertEquals(List.of("Person C1", "Person C2", "Person C3", "Person C4"), namesInArrivalOrder(c));
    assertEquals(List.of(1, 1, 2), Db.column(app.databaseUrl, "select seats_taken from event where id in ("
        + a + ", " + b + ", " + c + ") order by id"));
    assertEquals(List.of(11L), Db.column(app.databaseUrl, "select count(*) from outbox where event_id in (" + a + ", " + b
        + ", " + c + ") and kind in ('confirmed', 'waitlisted')"), "each sign-up's e-mail written with it, for its event");
  }

  @Test
  void aSignUpTheDatabaseRefusesDoesNotFailBatchMatesOfAnotherEvent() {
    long a = Events.published(app, organiser, 10, new JsonArray()).getLong("id");
    long b = Events.published(app, organiser, 10, new JsonArray()).getLong("id");
    SqlConnection lock = holdEvent(a);
    Future<RegistrationResult> anna = signUp(a, "Anna", List.of(), null);
    Future<RegistrationResult> bo = signUp(b, "Bo", List.of(), null);
    Future<RegistrationResult> refused = signUp(a, REFUSED_NAME, List.of(), "refused-across-key");
    Future<RegistrationResult> cecilia = signUp(b, "Cecilia", List.of(), "cecilia-across-key");
    Future<RegistrationResult> david = signUp(a, "David", List.of(), null);
    release(lock);
    await(Future.join(anna, bo, refused, cecilia, david).otherwiseEmpty());

    assertInstanceOf(PgException.class, refused.cause());
    assertEquals("confirmed", bo.result().status());
    assertEquals("confirmed", cecilia.result().status());
    assertEquals("confirmed", david.result().status());
    assertEquals(List.of("Anna", "David"), namesInArrivalOrder(a));
    assertEquals(List.of("Bo", "Cecilia"), namesInArrivalOrder(b));
    assertEquals(1, transactionsSpanningEvents(List.of(a, b)),
        "the refused batch was claimed in halves: Cecilia and David, apart from the refused one, still together");
    assertEquals(List.of(2, 2), Db.column(app.databaseUrl, "select seats_taken from event where id in (" + a + ", " + b
        + ") order by id"));
    assertEquals(List.of("cecilia-across-key"), Db.column(app.databaseUrl, "select idempotency_key from registration_request "
        + "where idempotency_key in ('refused-across-key', 'cecilia-across-key')"), "nothing of the refused sign-up is kept");
  }

  @Test
  void aFullSessionOfOneEventDoesNotFailBatchMatesOfAnother() {
    long a = Events.published(app, organiser, 10, new JsonArray().add(Events.session("Workshop", 10, 1))).getLong("id");
    long b = Events.published(app, organiser, 10, new JsonArray().add(Events.session("Workshop", 10, 5))).getLong("id");
    long workshopA = session(a);
    long workshopB = session(b);
    SqlConnection lock = holdEvent(a);
    Future<RegistrationResult> anna = signUp(a, "Anna", List.of(), null);
    Future<RegistrationResult> bo = signUp(a, "Bo", List.of(workshopA), null);
    Future<RegistrationResult> cecilia = signUp(a, "Cecilia", List.of(workshopA), "cecilia-full-key");
    Future<RegistrationResult> david = signUp(b, "David", List.of(workshopB), null);
    Future<RegistrationResult> eva = signUp(b, "Eva", List.of(), null);
    release(lock);
    await(Future.join(anna, bo, cecilia, david, eva).otherwiseEmpty());

    ValidationException full = assertInstanceOf(ValidationException.class, cecilia.cause());
    assertEquals(List.of("sessions"), List.copyOf(full.messages(se.hok.samla.web.Lang.EN).keySet()));
    assertEquals(List.of("confirmed", "confirmed", "confirmed", "confirmed"),
        List.of(anna, bo, david, eva).stream().map(f -> f.result().status()).toList());
    assertEquals(List.of("Anna", "Bo"), namesInArrivalOrder(a));
    assertEquals(List.of("David", "Eva"), namesInArrivalOrder(b));
    assertEquals(1, transactionsSpanningEvents(List.of(a, b)), "Bo, David and Eva kept together, without Cecilia");
    assertEquals(List.of(1, 1), Db.column(app.databaseUrl, "select seats_taken from event_session where id in ("
        + workshopA + ", " + workshopB + ") order by id"));
    assertEquals(List.of(0L), Db.column(app.databaseUrl,
        "select count(*) from registration_request where idempotency_key = 'cecilia-full-key'"));
  }

  @Test
  void twoHundredAnonymousSignUpsAtOnceSpreadOverFourEventsOfFiveSeats() {
    List<Long> events = IntStream.range(0, 4).mapToObj(i -> Events.published(app, organiser, 5, new JsonArray()).getLong("id"))
        .toList();
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    IntStream.range(0, 200).forEach(i -> all.add(app.client.post("/api/v1/events/" + events.get(i % 4) + "/registrations")
        .sendJsonObject(Events.person("Spridd " + i, "spridd" + i + "@example.org"))));
    await(Future.join(all));
    all.forEach(f -> assertEquals(202, f.result().statusCode(), f.result().bodyAsString()));

    for (long eventId : events) {
      assertFilledInArrivalOrder(eventId, 5, 50);
    }
    String in = events.stream().map(String::valueOf).reduce((x, y) -> x + ", " + y).orElseThrow();
    long transactions = (Long) Db.column(app.databaseUrl,
        "select count(distinct created_at) from registration where event_id in (" + in + ")").get(0);
    assertTrue(transactions < 200, "sign-ups shared transactions: " + transactions + " for 200");
  }

  @Test
  void aSignUpOnlyToBeAnsweredGoesBesideTheBatchesAndCutsNone() {
    long a = Events.published(app, organiser, 10, new JsonArray()).getLong("id");
    long b = Events.published(app, organiser, 10, new JsonArray()).getLong("id");
    SqlConnection lock = holdEvent(a);
    Future<RegistrationResult> anna = signUp(a, "Anna", List.of(), null);
    Future<RegistrationResult> bo = signUp(a, "Bo", List.of(), null);
    Future<RegistrationResult> answered = registrations.register(b, RegistrationInput.fromJson(
            Events.person("Bara Besvarad", "bara.besvarad@example.org")), null, RegistrationService.Source.WEB,
        RegistrationService.Effect.ANSWER_ONLY);
    Future<RegistrationResult> cecilia = signUp(b, "Cecilia", List.of(), null);
    assertEquals(RegistrationResult.NEUTRAL, await(answered), "answered while the batches wait for event A's lock");
    release(lock);
    await(Future.all(anna, bo, cecilia));

    assertEquals(1, transactionsSpanningEvents(List.of(a, b)), "Bo and Cecilia in one batch: the answered sign-up cut none");
    assertEquals(List.of("Anna", "Bo"), namesInArrivalOrder(a));
    assertEquals(List.of("Cecilia"), namesInArrivalOrder(b), "nothing of the answered sign-up is kept");
  }

  /** Exactly {@code seats} taken, the first {@code seats} in line confirmed and the rest waiting, one e-mail each. */
  private static void assertFilledInArrivalOrder(long eventId, int seats, int signUps) {
    assertEquals(List.of(seats), Db.column(app.databaseUrl, "select seats_taken from event where id = " + eventId));
    List<Object> statuses = Db.column(app.databaseUrl,
        "select status from registration where event_id = " + eventId + " order by waitlist_seq");
    assertEquals(signUps, statuses.size());
    assertTrue(statuses.subList(0, seats).stream().allMatch("confirmed"::equals), statuses.toString());
    assertTrue(statuses.subList(seats, signUps).stream().allMatch("waitlisted"::equals), statuses.toString());
    assertEquals(List.of((long) signUps), Db.column(app.databaseUrl, "select count(*) from outbox where event_id = "
        + eventId + " and kind in ('confirmed', 'waitlisted')"));
  }
}
