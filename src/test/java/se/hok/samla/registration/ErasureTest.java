package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * Erasure leaves nothing that names the person – after their own erasure, an organiser's removal and the retention
 * job: the person signs up with needs and free text, the e-mail really goes (the app's SMTP catcher), the registration
 * is erased, and a data-only dump of the whole database holds neither the address, nor the name, phone, role, free
 * text or idempotency key. What the follow-up counts stays.
 */
@WithSamla
class ErasureTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
  }

  /** What a person typed that names or describes them; every piece must be gone from the dump. */
  record Person(String name, String email, String phone, String role, String detail, String key) {
    static Person unique(String label) {
      String n = label + System.nanoTime();
      return new Person("Dorotea " + n, "dump." + n + "@example.org", "070-" + (1000000 + (System.nanoTime() % 8999999)),
          "Kassör " + n, "Anfall vid stress " + n, UUID.randomUUID().toString());
    }

    List<String> traces() {
      return List.of(name, email, phone, role, detail, key);
    }
  }

  static long event(String title, int capacity) {
    OffsetDateTime start = OffsetDateTime.now().plusDays(20);
    return PublishedEvent.by(app, organiser).title(title).kind("dialogmote").startsAt(start).endsAt(start.plusHours(2))
        .capacity(capacity).with("organiserEmail", "arrangor@example.org").with("registrationOpensAt", null).publishId();
  }

  /** Signs up through the web form (needs with free text), lets every e-mail go, and returns the manage link. */
  static String signUpOnTheWeb(long eventId, Person p) {
    PageSession person = PageSession.anonymous(app);
    String form = "/evenemang/" + eventId + "/anmalan";
    // The key as the form hands it out: a UUID.
    HttpResponse<Buffer> sent = person.post(form, form, MultiMap.caseInsensitiveMultiMap()
        .add("idempotencyKey", p.key()).add("name", p.name()).add("email", p.email()).add("phone", p.phone())
        .add("roleTitle", p.role()).add("need.annat", "on").add("needDetail.annat", p.detail())
        .add("need.teckensprakstolk", "on").add("diet", "vegansk").add("consent", "true").add("language", "sv"));
    assertEquals(303, sent.statusCode(), sent.bodyAsString());
    return settled(p);
  }

  /** Signs up through the API with an Idempotency-Key, lets every e-mail go, and returns the manage link. */
  static String signUpByApi(long eventId, Person p) {
    HttpResponse<Buffer> r = await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .putHeader("Idempotency-Key", p.key()).sendJsonObject(new JsonObject().put("name", p.name()).put("email", p.email())
            .put("phone", p.phone()).put("roleTitle", p.role()).put("consent", true).put("diet", new JsonArray().add("vegansk"))
            .put("needs", new JsonArray().add(new JsonObject().put("code", "annat").put("detail", p.detail()))
                .add(new JsonObject().put("code", "teckensprakstolk")))));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return settled(p);
  }

  /** The link from the person's e-mail, once every e-mail of the registration has gone (their address is in the outbox). */
  static String settled(Person p) {
    String token = SignUps.manageToken(app, p.email());
    SignUps.awaitMailSettled(app, id(p).toString());
    assertEquals(List.of(p.email()), Db.column(app.databaseUrl, "select distinct recipient from outbox where registration_id = '"
        + id(p) + "'"), "the e-mail went, and the outbox knows where");
    return token;
  }

  static UUID id(Person p) {
    return (UUID) Db.column(app.databaseUrl, "select id from registration where email = '" + p.email() + "'").get(0);
  }

  /** How many of the organiser's gathered "needs to book" e-mails list the registration. */
  static List<Object> alertsNaming(UUID id) {
    return Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'organiser_alert' and payload -> 'alerts' "
        + "@> '[{\"registration\": \"" + id + "\"}]'");
  }

  /**
   * The organiser marks the interpreter booked, with a note that names the person (as such notes do); the person is
   * e-mailed that it is booked.
   */
  static void bookedWithANote(long eventId, Person p) {
    JsonArray tasks = await(app.client.get("/api/v1/events/" + eventId + "/tasks").putHeader("Authorization", "Bearer " + organiser)
        .send()).bodyAsJsonObject().getJsonArray("tasks");
    long task = tasks.stream().map(JsonObject.class::cast).filter(t -> p.name().equals(t.getString("participant")))
        .findFirst().orElseThrow().getLong("id");
    HttpResponse<Buffer> r = await(app.client.put("/api/v1/events/" + eventId + "/tasks/" + task)
        .putHeader("Authorization", "Bearer " + organiser)
        .sendJsonObject(new JsonObject().put("state", "booked").put("note", "Tolk bokad åt " + p.name() + ", tel " + p.phone())));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(Db.dataDump(app.databaseUrl).contains("Tolk bokad åt " + p.name()), "before: the note is stored");
  }

  /** Nothing the person typed, in any table, in any letter case. */
  static void assertNothingLeft(Person p) {
    String dump = Db.dataDump(app.databaseUrl).toLowerCase(Locale.ROOT);
    assertTrue(dump.contains("copy public.registration ") && dump.contains("copy public.outbox "), "a dump of every table");
    for (String trace : p.traces()) {
      assertFalse(dump.contains(trace.toLowerCase(Locale.ROOT)), () -> "left in the database: " + trace);
    }
  }

  @Test
  void thePersonsOwnErasureLeavesNothingThatNamesThem() {
    long eventId = event("Dialogmöte om psykisk hälsa", 10);
    Person p = Person.unique("Själv");
    String token = signUpOnTheWeb(eventId, p);
    UUID id = id(p);
    // The manage page and the download were used: reading leaves nothing behind either.
    PageSession person = PageSession.anonymous(app);
    assertEquals(200, person.get("/anmalan/" + token + "/mina-uppgifter.json").statusCode());
    assertTrue(Db.dataDump(app.databaseUrl).contains(p.detail()), "before: the detail is stored");
    SignUps.gatherOrganiserAlerts(app);
    assertEquals(List.of(1L), alertsNaming(id), "before: the organiser's e-mail lists the registration and its needs");
    bookedWithANote(eventId, p);

    String erase = "/anmalan/" + token + "/radera";
    assertEquals(303, person.post(erase, erase, MultiMap.caseInsensitiveMultiMap()).statusCode());

    assertNothingLeft(p);
    assertEquals(List.of("cancelled"), Db.column(app.databaseUrl, "select status from registration where id = '" + id + "'"),
        "the registration still counts, as cancelled");
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from registration_need where registration_id = '" + id + "'"),
        "what they stated about themselves goes with them");
    assertEquals(List.of(0L), alertsNaming(id), "also from the organiser's gathered e-mail");
    assertEquals(404, person.get("/anmalan/" + token).statusCode(), "the link is dead");
  }

  @Test
  void theRetentionJobLeavesNothingThatNamesThemAndKeepsTheCounts() {
    long eventId = event("Workshop om demokrati", 10);
    Person p = Person.unique("Gallring");
    signUpByApi(eventId, p);
    UUID id = id(p);
    bookedWithANote(eventId, p);
    // Another registration's e-mail, sent 31 days ago, and a recent one (they changed their phone number since): the
    // old record of where mail went goes.
    Person other = Person.unique("Annan");
    String othersLink = signUpByApi(event("Seminarium om öppenhet", 10), other);
    Db.exec(app.databaseUrl, "update outbox set sent_at = now() - interval '31 days' where registration_id = '" + id(other)
        + "' and kind = 'confirmed'");
    assertEquals(200, await(app.client.patch("/api/v1/registrations/" + othersLink)
        .sendJsonObject(new JsonObject().put("phone", "070-1234567"))).statusCode());
    SignUps.awaitMailSettled(app, id(other).toString());
    Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '31 days 2 hours', ends_at = now() - interval '31 days' "
        + "where id = " + eventId);

    await(new Retention(app.running.database().pool(), 30, se.hok.samla.mail.Outbox.REGISTRATION_MAILS).runOnce());

    assertNothingLeft(p);
    assertEquals(List.of("annat", "teckensprakstolk"), Db.column(app.databaseUrl, "select need_code from registration_need "
        + "where registration_id = '" + id + "' order by 1"), "which needs there were stays, for the counts");
    assertEquals(List.of("booked|true"), Db.column(app.databaseUrl, "select state || '|' || (note is null) from organiser_task "
        + "where registration_id = '" + id + "'"), "the task's outcome stays for the counts, its note goes");
    assertEquals(List.of("confirmed|{vegansk}"), Db.column(app.databaseUrl, "select status || '|' || diet::text from registration "
        + "where id = '" + id + "'"));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from outbox where registration_id = '" + id + "'"),
        "no outbox row joins the codes to anything");
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from outbox where registration_id = '" + id(other)
        + "' and kind = 'confirmed'"), "sent e-mail older than 30 days is forgotten");
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from outbox where registration_id = '" + id(other)
        + "' and kind = 'changed' and sent_at is not null"), "recent e-mail is kept");
  }

  @Test
  void anOrganisersRemovalTellsThePersonThenLeavesNothingThatNamesThem() {
    long eventId = event("Remissmöte om kulturplanen", 10);
    Person p = Person.unique("Borttagen");
    String token = signUpOnTheWeb(eventId, p);
    String id = id(p).toString();
    bookedWithANote(eventId, p);

    PageSession staff = PageSession.staff(app, "organiser").assign(eventId, "organiser");
    String list = "/arrangor/evenemang/" + eventId + "/anmalningar";
    HttpResponse<Buffer> removed = staff.post(list, list + "/" + id + "/ta-bort", MultiMap.caseInsensitiveMultiMap());
    assertEquals(302, removed.statusCode(), removed.bodyAsString());

    // The person hears of it first – that e-mail needs the address – then the retention job erases.
    SignUps.awaitMailSettled(app, id);
    assertEquals(List.of(p.email()), Db.column(app.databaseUrl, "select recipient from outbox where registration_id = '" + id
        + "' and kind = 'cancelled'"));
    await(new Retention(app.running.database().pool(), 30, se.hok.samla.mail.Outbox.REGISTRATION_MAILS).runOnce());

    assertNothingLeft(p);
    assertEquals(List.of("cancelled"), Db.column(app.databaseUrl, "select status from registration where id = '" + id + "'"));
    assertEquals(404, PageSession.anonymous(app).get("/anmalan/" + token).statusCode(), "the link is dead");
  }
}
