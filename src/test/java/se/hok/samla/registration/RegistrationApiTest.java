package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.mail.OrganiserAlerts;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * Signing up through the API: one answer for the public whatever happened, the link only by e-mail, retries that are
 * only retries, organisers' full answers, every rule, the manage link's life, and who may see what.
 */
@WithSamla
class RegistrationApiTest {
  static TestApp app;
  static String organiser;
  static JsonObject event;
  static long eventId;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
    event = Events.published(app, organiser, 50, new JsonArray()
        .add(Events.session("Workshop A", 10, 20)).add(Events.session("Workshop B", 10, 20))
        .add(Events.session("Workshop C", 13, 20)));
    eventId = event.getLong("id");
  }

  static long session(int i) {
    return event.getJsonArray("sessions").getJsonObject(i).getLong("id");
  }

  static HttpResponse<Buffer> register(JsonObject body) {
    return await(app.client.post("/api/v1/events/" + eventId + "/registrations").sendJsonObject(body));
  }

  /** A sign-up as the public, with an Idempotency-Key when one is given. */
  static HttpResponse<Buffer> signUp(long event, JsonObject body, String key) {
    var request = app.client.post("/api/v1/events/" + event + "/registrations");
    if (key != null) {
      request.putHeader("Idempotency-Key", key);
    }
    return await(request.sendJsonObject(body));
  }

  /** Everything stored about the registration of this address, as one line. */
  static String snapshot(String email) {
    return Db.column(app.databaseUrl, "select row_to_json(r)::text || coalesce((select json_agg(n)::text from registration_need n"
        + " where n.registration_id = r.id), '') from registration r where email = '" + email + "'").toString();
  }

  static void assertFieldError(HttpResponse<Buffer> r, int status, String field) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getJsonObject("fields", new JsonObject()).containsKey(field),
        "expected an error on " + field + ": " + r.bodyAsString());
  }

  @Test
  void aFullRegistrationIsStoredExactlyAndItsLinkComesOnlyByEmail() {
    JsonObject body = Events.person("Åsa Öberg-Nguyễn", "asa@example.org")
        .put("phone", "070-123 45 67").put("organisationName", "Hörselskadades förening <Halland>").put("sector", "ideburen")
        .put("roleTitle", "Ordförande").put("sessions", new JsonArray().add(session(0)).add(session(2)))
        .put("needs", new JsonArray().add(new JsonObject().put("code", "horslinga"))
            .add(new JsonObject().put("code", "specialkost").put("detail", "Nötallergi <svår>")))
        .put("diet", new JsonArray().add("vegetarisk")).put("companion", true).put("consent", true).put("language", "en");
    HttpResponse<Buffer> r = register(body);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    assertEquals(Set.of("outcome", "message"), r.bodyAsJsonObject().fieldNames(), "no id, no status, no link");
    assertNull(r.getHeader("Location"));

    String token = SignUps.manageToken(app, "asa@example.org");
    assertTrue(token.length() >= 22, "at least 128 bits");
    JsonObject mine = await(app.client.get("/api/v1/registrations/" + token).send()).bodyAsJsonObject();
    assertEquals("Åsa Öberg-Nguyễn", mine.getString("name"));
    assertEquals("Hörselskadades förening <Halland>", mine.getJsonObject("organisation").getString("name"));
    assertEquals("ideburen", mine.getJsonObject("organisation").getString("sector"));
    assertEquals(2, mine.getJsonArray("needs").size());
    assertEquals("Nötallergi <svår>", mine.getJsonArray("needs").getJsonObject(1).getString("detail"));
    assertTrue(mine.getBoolean("companion"));
    assertEquals(List.of(session(0), session(2)), mine.getJsonArray("sessions").getList().stream().map(o -> ((Number) o).longValue()).toList());
    assertEquals("en", mine.getString("language"));
  }

  @Test
  void aNewAWaitlistedAndARegisteredAddressGetTheSameAnswerAndOnlyTheAddressGetsTheLink() throws Exception {
    long small = Events.published(app, organiser, 1, new JsonArray()).getLong("id");
    HttpResponse<Buffer> fresh = signUp(small, Events.person("Bo", "bo@example.org"), null);
    String first = SignUps.manageToken(app, "bo@example.org");
    HttpResponse<Buffer> waitlisted = signUp(small, Events.person("Bea", "bea@example.org"), null);
    HttpResponse<Buffer> again = signUp(small, Events.person("Någon annan", "BO@example.org"), null);
    for (HttpResponse<Buffer> r : List.of(waitlisted, again)) {
      assertEquals(fresh.statusCode(), r.statusCode());
      assertEquals(fresh.bodyAsString(), r.bodyAsString(), "byte for byte the same answer");
      assertEquals(fresh.getHeader("Content-Type"), r.getHeader("Content-Type"));
    }
    assertEquals(202, fresh.statusCode());
    assertEquals(1L, Db.column(app.databaseUrl, "select count(*) from registration where lower(email) = 'bo@example.org'").get(0));
    assertEquals("Bo", Db.column(app.databaseUrl, "select name from registration where lower(email) = 'bo@example.org'").get(0),
        "the second sign-up changed nothing");

    // The address's owner gets the link again, and it replaces the links sent before it was asked for.
    MimeMessage resentMail = SignUps.awaitWithLink(app, "bo@example.org", 2).get(0);
    assertTrue(resentMail.getSubject().startsWith("Din länk till anmälan"), resentMail.getSubject());
    String resent = SignUps.link(resentMail).orElseThrow();
    assertEquals(404, await(app.client.get("/api/v1/registrations/" + first).send()).statusCode(), "the older link is replaced");
    assertEquals("Bo", await(app.client.get("/api/v1/registrations/" + resent).send()).bodyAsJsonObject().getString("name"));

    // Again and again within a quarter of an hour: the answer is the same, the link goes once.
    signUp(small, Events.person("Tredje försöket", "bo@example.org"), null);
    signUp(small, Events.person("Fjärde försöket", "bo@example.org"), null);
    assertEquals(1L, Db.column(app.databaseUrl, "select count(*) from outbox o join registration r on r.id = o.registration_id"
        + " where lower(r.email) = 'bo@example.org' and o.kind = 'manage_link'").get(0));
    assertEquals(200, await(app.client.get("/api/v1/registrations/" + resent).send()).statusCode(), "the latest link works");
  }

  @Test
  void aFullSessionRefusesANewAndARegisteredAddressAlike() {
    JsonObject own = Events.published(app, organiser, 10, new JsonArray().add(Events.session("Litet pass", 10, 1)));
    long id = own.getLong("id");
    long full = own.getJsonArray("sessions").getJsonObject(0).getLong("id");
    assertEquals(202, signUp(id, Events.person("Först", "forst.pass@example.org").put("sessions", new JsonArray().add(full)), null)
        .statusCode());
    assertEquals(202, signUp(id, Events.person("Finns", "finns.pass@example.org"), null).statusCode());
    HttpResponse<Buffer> fresh = signUp(id, Events.person("Ny", "ny.pass@example.org").put("sessions", new JsonArray().add(full)), null);
    HttpResponse<Buffer> known = signUp(id, Events.person("Finns", "finns.pass@example.org").put("sessions", new JsonArray().add(full)), null);
    assertEquals(422, fresh.statusCode(), fresh.bodyAsString());
    assertEquals(fresh.statusCode(), known.statusCode());
    assertEquals(fresh.bodyAsString(), known.bodyAsString());
  }

  @Test
  void aRetriedRequestWithTheSameIdempotencyKeyCreatesOneRegistrationAndIssuesNoLink() {
    List<Future<HttpResponse<Buffer>>> tries = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tries.add(app.client.post("/api/v1/events/" + eventId + "/registrations").putHeader("Idempotency-Key", "retry-42")
          .sendJsonObject(Events.person("Cecilia", "cecilia@example.org")));
    }
    await(Future.join(tries));
    String first = tries.get(0).result().bodyAsString();
    tries.forEach(f -> {
      assertEquals(202, f.result().statusCode(), f.result().bodyAsString());
      assertEquals(first, f.result().bodyAsString(), "every retry gets the first answer");
    });
    assertEquals(1L, Db.column(app.databaseUrl, "select count(*) from registration where email = 'cecilia@example.org'").get(0));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from outbox o join registration r on r.id = o.registration_id"
        + " where r.email = 'cecilia@example.org' and o.kind = 'manage_link'"), "a retry is not a second sign-up");
  }

  @Test
  void aKeySentAgainWithAnotherBodyIsRefusedAndChangesNothing() {
    assertEquals(202, signUp(eventId, Events.person("Signe Först", "signe@example.org").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "annat").put("detail", "Epilepsi"))), "signup-17").statusCode());
    // Her ticket goes first (sending it raises the calendar counter), so that what follows is all the replay's doing.
    SignUps.awaitMailSettled(app, Db.column(app.databaseUrl, "select id from registration where email = 'signe@example.org'")
        .get(0).toString());
    String before = snapshot("signe@example.org");
    // Mail to participants queued from here on (the app's jobs may meanwhile clear old sent rows and gather organisers'
    // alerts; neither is the replay's doing).
    String since = Db.column(app.databaseUrl, "select now()::text").get(0).toString();
    String mailedSince = "select count(*) from outbox where kind <> 'organiser_alert' and created_at > '" + since + "'";

    HttpResponse<Buffer> replay = signUp(eventId, Events.person("Främling", "framling@example.org"), "signup-17");
    assertEquals(409, replay.statusCode(), replay.bodyAsString());
    JsonObject body = replay.bodyAsJsonObject();
    assertEquals("idempotency_key_reused", body.getString("error"));
    assertTrue(body.getString("message").contains("redan"), body.getString("message"));
    assertTrue(body.getJsonObject("fields").containsKey("Idempotency-Key"), body.encode());
    assertFalse(replay.bodyAsString().contains("/anmalan/") || replay.bodyAsString().contains("Signe"), "nothing about the first");
    assertEquals(before, snapshot("signe@example.org"), "nothing changed");
    assertEquals(0L, Db.column(app.databaseUrl, "select count(*) from registration where email = 'framling@example.org'").get(0));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, mailedSince), "nothing mailed");

    // The same body in another order and letter case is the same request: the first answer again.
    HttpResponse<Buffer> same = signUp(eventId, new JsonObject().put("needs", new JsonArray()
            .add(new JsonObject().put("detail", "Epilepsi").put("code", "annat"))).put("consent", true)
        .put("email", "SIGNE@example.org ").put("name", " Signe Först"), "signup-17");
    assertEquals(202, same.statusCode(), same.bodyAsString());
    assertEquals(List.of(0L), Db.column(app.databaseUrl, mailedSince), "a replay mails nothing");

    // Erasing the registration clears its key: the key is free again.
    String token = SignUps.manageToken(app, "signe@example.org");
    assertEquals(204, await(app.client.delete("/api/v1/registrations/" + token + "?erase=true").send()).statusCode());
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from registration_request where idempotency_key = 'signup-17'"));
  }

  @Test
  void organisersSigningSomeoneUpGetTheRegistrationButNeverItsLink() {
    HttpResponse<Buffer> r = await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .putHeader("Authorization", "Bearer " + organiser).putHeader("Idempotency-Key", "telefon-1")
        .sendJsonObject(Events.person("Telefon Tora", "tora@example.org")));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("confirmed", body.getString("status"));
    assertNotNull(body.getString("id"));
    assertFalse(r.bodyAsString().contains("/anmalan/") || body.containsKey("manageUrl"), "the link is the participant's alone");

    HttpResponse<Buffer> again = await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .putHeader("Authorization", "Bearer " + organiser).putHeader("Idempotency-Key", "telefon-1")
        .sendJsonObject(Events.person("Telefon Tora", "tora@example.org")));
    assertEquals(201, again.statusCode());
    assertEquals(body.getString("id"), again.bodyAsJsonObject().getString("id"), "a replay names the same registration");

    HttpResponse<Buffer> twice = await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .putHeader("Authorization", "Bearer " + organiser).sendJsonObject(Events.person("Tora igen", "TORA@example.org")));
    assertFieldError(twice, 422, "email");
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from outbox o join registration r on r.id = o.registration_id"
        + " where r.email = 'tora@example.org' and o.kind = 'manage_link'"), "staff are told; the person is not mailed");

    assertEquals(403, await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .putHeader("Authorization", "Bearer " + app.tokenFor("viewer")).sendJsonObject(Events.person("V", "v@example.org")))
        .statusCode(), "a token that may not organise is refused, not taken for the public");
    assertEquals(401, await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .putHeader("Authorization", "Bearer not-a-token").sendJsonObject(Events.person("V", "v@example.org"))).statusCode());
    assertEquals(0L, Db.column(app.databaseUrl, "select count(*) from registration where email = 'v@example.org'").get(0));
  }

  @Test
  void aManageLinkWorksUntilThirtyDaysAfterTheEvent() {
    long own = Events.published(app, organiser, 10, new JsonArray()).getLong("id");
    String token = SignUps.participant(app, own, Events.person("Lina Länk", "lina@example.org")).token();
    Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '29 days 3 hours', ends_at = now() - interval '29 days' "
        + "where id = " + own);
    assertEquals(200, await(app.client.get("/api/v1/registrations/" + token).send()).statusCode());
    Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '31 days 3 hours', ends_at = now() - interval '31 days' "
        + "where id = " + own);
    assertEquals(404, await(app.client.get("/api/v1/registrations/" + token).send()).statusCode());
  }

  /** The sign-up's body is checked by its handler (the rush's hot path), as strictly as the contract says. */
  @Test
  void aBodyOfTheWrongShapeIs400WithTheField() {
    assertFieldError(register(new JsonObject().put("name", 7).put("email", "dan@example.org")), 400, "name");
    assertFieldError(register(Events.person("Dan", "dan@example.org").putNull("email")), 400, "email");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("sessions", new JsonArray().add("ett"))), 400,
        "sessions[0]");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("sessions", "1")), 400, "sessions");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("needs", new JsonArray()
        .add(new JsonObject().put("detail", "x")))), 400, "needs[0].code");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("sector", "kommunal")), 400, "sector");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("organisationId", "abc")), 400, "organisationId");
    HttpResponse<Buffer> longKey = await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .putHeader("Idempotency-Key", "k".repeat(201)).sendJsonObject(Events.person("Dan", "dan@example.org")));
    assertFieldError(longKey, 400, "Idempotency-Key");
    HttpResponse<Buffer> notJson = await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{not json")));
    assertEquals(400, notJson.statusCode(), notJson.bodyAsString());
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from registration where email = 'dan@example.org'"));
  }

  @Test
  void everyRuleGivesAFieldErrorNeverA500() {
    assertFieldError(register(Events.person("", "x@example.org")), 422, "name");
    assertFieldError(register(Events.person("x".repeat(201), "x@example.org")), 422, "name");
    assertFieldError(register(Events.person("Dan", "not-an-address")), 422, "email");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("phone", "ring mig")), 422, "phone");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("needs", new JsonArray()
        .add(new JsonObject().put("code", "horslinga")))), 422, "consent");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("consent", true).put("needs", new JsonArray()
        .add(new JsonObject().put("code", "telepati")))), 422, "needs");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("consent", true).put("needs", new JsonArray()
        .add(new JsonObject().put("code", "annat").put("detail", "x".repeat(2001))))), 422, "needs.annat");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("sessions", new JsonArray().add(999999))), 422, "sessions");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("sessions", new JsonArray().add(session(0)).add(session(1)))),
        422, "sessions");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("organisationName", "Ny förening")), 422, "sector");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("organisationId", 999999)), 422, "organisationId");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("diet", new JsonArray().add("köttätare"))), 400, "diet[0]");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("companion", "ja")), 400, "companion");
    assertFieldError(register(Events.person("Dan", "dan@example.org").put("language", "de")), 400, "language");
    assertFieldError(register(Events.person("Dan\u0000Nul", "dan@example.org")), 422, "name");
    assertEquals(400, await(app.client.get("/api/v1/organisations?q=a%00b").send()).statusCode(), "never a 500");
    assertEquals(0L, Db.column(app.databaseUrl, "select count(*) from registration where email = 'dan@example.org'").get(0));
  }

  @Test
  void onlyPublishedEventsInTheirWindowTakeSignUps() {
    assertEquals(404, await(app.client.post("/api/v1/events/987654/registrations")
        .sendJsonObject(Events.person("Eva", "eva@example.org"))).statusCode());
    assertEquals(404, signUp(987654, Events.person("Eva", "eva@example.org"), "nyckel-1").statusCode(), "with a key too");
    JsonObject draft = new JsonObject().put("title", "Utkast").put("kind", "workshop")
        .put("startsAt", Events.START.toString()).put("endsAt", Events.START.plusHours(2).toString())
        .put("onlineUrl", "https://example.org").put("capacity", 5);
    long draftId = await(app.client.post("/api/v1/events").putHeader("Authorization", "Bearer " + organiser)
        .sendJsonObject(draft)).bodyAsJsonObject().getLong("id");
    assertEquals(404, await(app.client.post("/api/v1/events/" + draftId + "/registrations")
        .sendJsonObject(Events.person("Eva", "eva@example.org"))).statusCode(), "drafts do not exist for the public");

    long notYet = PublishedEvent.by(app, organiser).with("title", "Utkast").kind("workshop").startsAt(Events.START)
        .endsAt(Events.START.plusHours(2)).capacity(5).with("onlineUrl", "https://example.org")
        .with("registrationOpensAt", OffsetDateTime.now().plusDays(3).toString()).publishId();
    HttpResponse<Buffer> early = await(app.client.post("/api/v1/events/" + notYet + "/registrations")
        .sendJsonObject(Events.person("Eva", "eva@example.org")));
    assertEquals(409, early.statusCode());
    assertEquals("registration_not_open", early.bodyAsJsonObject().getString("error"));

    long cancelled = Events.published(app, organiser, 5, new JsonArray()).getLong("id");
    await(app.client.post("/api/v1/events/" + cancelled + "/cancel").putHeader("Authorization", "Bearer " + organiser).send());
    HttpResponse<Buffer> late = await(app.client.post("/api/v1/events/" + cancelled + "/registrations")
        .sendJsonObject(Events.person("Eva", "eva@example.org")));
    assertEquals(409, late.statusCode());
    assertEquals("event_cancelled", late.bodyAsJsonObject().getString("error"));
  }

  @Test
  void needsWithALeadTimeBecomeOrganiserTasksAndLateOnesAreUrgent() {
    // An event in 10 days: an interpreter (28 days' notice) is already late; an allergy (7 days) is not.
    OffsetDateTime soon = OffsetDateTime.now().plusDays(10).withHour(9);
    long soonId = PublishedEvent.by(app, organiser).with("title", "Snart").kind("seminarium").startsAt(soon)
        .endsAt(soon.plusHours(2)).capacity(5).with("onlineUrl", "https://example.org")
        .with("registrationOpensAt", null).publishId();
    SignUps.anonymously(app, soonId, Events.person("Fia", "fia@example.org").put("consent", true).put("needs", new JsonArray()
        .add(new JsonObject().put("code", "teckensprakstolk"))
        .add(new JsonObject().put("code", "specialkost").put("detail", "glutenfritt"))));
    String told = Mails.text(SignUps.awaitWithLink(app, "fia@example.org", 1).get(0), "text/plain").replace("\r\n", "\n");
    assertTrue(told.contains("NÅGRA BEHOV KOM IN SENT"), "the participant is told, by e-mail: " + told);
    String late = told.substring(told.indexOf("NÅGRA BEHOV KOM IN SENT")).split("\n\n")[0];
    assertTrue(late.contains("Teckenspråkstolk"), late);
    assertFalse(late.contains("Specialkost"), "only the late one: " + late);
    JsonObject byStaff = SignUps.byOrganiser(app, organiser, soonId, Events.person("Frida", "frida@example.org").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "teckensprakstolk"))));
    assertEquals(List.of("teckensprakstolk"), byStaff.getJsonArray("urgentNeeds").getList(), "and so is an organiser who signs up");

    JsonObject summary = await(app.client.get("/api/v1/events/" + soonId + "/needs-summary")
        .putHeader("Authorization", "Bearer " + organiser).send()).bodyAsJsonObject();
    JsonObject interpreter = summary.getJsonArray("needs").stream().map(o -> (JsonObject) o)
        .filter(n -> n.getString("code").equals("teckensprakstolk")).findFirst().orElseThrow();
    assertEquals(2, interpreter.getInteger("count"));
    assertEquals(soon.atZoneSameInstant(java.time.ZoneId.of("Europe/Stockholm")).toLocalDate().minusDays(28).toString(),
        interpreter.getString("bookBy"));
    assertEquals(2, interpreter.getInteger("urgent"));
    assertEquals(List.of("glutenfritt"), summary.getJsonObject("diet").getJsonArray("allergies").getList());
    assertFalse(summary.encode().contains("Fia"), "the caterer's list has no names");
    // The organiser hears of each booking once: in one e-mail, or two if the app's job gathered Fia's before Frida
    // signed up (the first new need of a quiet event goes at once).
    gatherAlerts();
    assertEquals(List.of("Fia: specialkost", "Fia: teckensprakstolk", "Frida: teckensprakstolk"), Db.column(app.databaseUrl,
        "select r.name || ': ' || n.code from outbox o, jsonb_array_elements(o.payload -> 'alerts') a (alert),"
            + " jsonb_array_elements_text(a.alert -> 'needs') n (code), registration r"
            + " where o.event_id = " + soonId + " and o.kind = 'organiser_alert' and r.id = (a.alert ->> 'registration')::uuid"
            + " order by 1"));
  }

  /**
   * Tests gather on demand while the app's job runs every few seconds; a run on demand that passed by an event the job
   * holds at that instant (SKIP LOCKED) would return before the job's e-mail exists. It waits for it instead.
   */
  @Test
  void gatheringOnDemandWaitsForAGatheringInProgress() {
    long quiet = PublishedEvent.by(app, organiser).title("Tolkat samtal").publishId();
    // An alert went out a minute ago, so the app's job leaves the event alone for the hour; a test's run does not.
    Db.exec(app.databaseUrl, "insert into outbox (kind, event_id, payload, created_at) values ('organiser_alert', " + quiet
        + ", '{\"alerts\": []}', now() - interval '1 minute')");
    SignUps.byOrganiser(app, organiser, quiet, Events.person("Gun Tolk", "gun.tolk@example.org").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "skrivtolk"))));
    SqlConnection job = await(app.running.database().pool().getConnection());
    try {
      Transaction tx = await(job.begin());
      await(job.preparedQuery("select 1 from event where id = $1 for no key update").execute(Tuple.of(quiet)));
      Future<Integer> gathered = new OrganiserAlerts(app.running.database().pool(), Duration.ZERO).gatherAllNow();
      Db.awaitLockWaiters(app.databaseUrl, 1);
      assertFalse(gathered.isComplete(), "it waits for the event");
      await(tx.commit());
      assertTrue(await(gathered) >= 1, "its e-mail is among those gathered (other events of this class may have new needs too)");
    } finally {
      job.close();
    }
    assertEquals(List.of("[\"skrivtolk\"]"), Db.column(app.databaseUrl, "select a.alert ->> 'needs' from outbox o,"
        + " jsonb_array_elements(o.payload -> 'alerts') a (alert) where o.event_id = " + quiet));
  }

  /** What the app does every few seconds, now and without waiting for the hour between alerts. */
  static void gatherAlerts() {
    SignUps.gatherOrganiserAlerts(app);
  }

  @Test
  void theOrganiserIsAlertedOnceForEachNewNeedNotAgainOnEveryChange() {
    SignUps.Participant ivar = SignUps.participant(app, eventId, Events.person("Ivar", "ivar@example.org").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "skrivtolk"))));
    String token = ivar.token();
    String id = ivar.id().toString();
    // Alerts are gathered per event (OrganiserAlerts): one entry per registration's new needs in each e-mail.
    String entries = "from outbox o, jsonb_array_elements(o.payload->'alerts') with ordinality a(alert, n)"
        + " where o.kind = 'organiser_alert' and a.alert->>'registration' = '" + id + "'";
    String alerts = "select count(*) " + entries;
    gatherAlerts();
    assertEquals(List.of(1L), Db.column(app.databaseUrl, alerts));
    await(app.client.patch("/api/v1/registrations/" + token).sendJsonObject(new JsonObject().put("phone", "070-1111111")));
    gatherAlerts();
    assertEquals(List.of(1L), Db.column(app.databaseUrl, alerts), "a change that adds no need alerts nobody");
    await(app.client.patch("/api/v1/registrations/" + token).sendJsonObject(new JsonObject()
        .put("needs", new JsonArray().add(new JsonObject().put("code", "skrivtolk")).add(new JsonObject().put("code", "syntolkning")))));
    gatherAlerts();
    assertEquals(List.of(2L), Db.column(app.databaseUrl, alerts));
    assertEquals(List.of("syntolkning"), Db.column(app.databaseUrl, "select a.alert->'needs'->>0 " + entries
        + " order by o.id desc, a.n desc limit 1"), "only the new need");
    await(app.client.patch("/api/v1/registrations/" + token).sendJsonObject(new JsonObject()
        .put("needs", new JsonArray().add(new JsonObject().put("code", "syntolkning")))));
    assertEquals(List.of("syntolkning"), Db.column(app.databaseUrl, "select need_code from organiser_task where registration_id = '" + id + "'"),
        "the task for the need taken back is gone");
  }

  @Test
  void theManageLinkChangesCancelsAndErases() {
    JsonObject own = Events.published(app, organiser, 10, new JsonArray()
        .add(Events.session("Workshop A", 10, 5)).add(Events.session("Workshop B", 10, 5)));
    long a = own.getJsonArray("sessions").getJsonObject(0).getLong("id");
    long b = own.getJsonArray("sessions").getJsonObject(1).getLong("id");
    String token = SignUps.participant(app, own.getLong("id"), Events.person("Gun", "gun@example.org")
        .put("sessions", new JsonArray().add(a))).token();
    HttpResponse<Buffer> changed = await(app.client.patch("/api/v1/registrations/" + token).sendJsonObject(new JsonObject()
        .put("sessions", new JsonArray().add(b)).put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "rullstolsplats"))).put("companion", true)));
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    assertEquals(List.of(b), changed.bodyAsJsonObject().getJsonArray("sessions").getList().stream()
        .map(o -> ((Number) o).longValue()).toList());
    assertEquals(List.of(0, 2), Db.column(app.databaseUrl, "select seats_taken from event_session where id in (" + a + "," + b
        + ") order by id"), "old session seat given back, new one taken for two (with companion)");
    assertEquals(List.of(2), Db.column(app.databaseUrl, "select seats_taken from event where id = " + own.getLong("id")));
    assertEquals("Gun", changed.bodyAsJsonObject().getString("name"));

    assertFieldError(await(app.client.patch("/api/v1/registrations/" + token).sendJsonObject(new JsonObject()
        .put("sessions", new JsonArray().add(a).add(b)))), 422, "sessions");

    HttpResponse<Buffer> cancelled = await(app.client.delete("/api/v1/registrations/" + token).send());
    assertEquals("cancelled", cancelled.bodyAsJsonObject().getString("status"));
    assertEquals(409, await(app.client.patch("/api/v1/registrations/" + token).sendJsonObject(new JsonObject().put("companion", false)))
        .statusCode(), "a cancelled registration cannot be changed");
    assertEquals(List.of(0), Db.column(app.databaseUrl, "select seats_taken from event_session where id = " + b));
    assertEquals(List.of(0), Db.column(app.databaseUrl, "select seats_taken from event where id = " + own.getLong("id")));

    assertEquals(204, await(app.client.delete("/api/v1/registrations/" + token + "?erase=true").send()).statusCode());
    assertEquals(404, await(app.client.get("/api/v1/registrations/" + token).send()).statusCode(), "the link is gone too");
    assertEquals(0L, Db.column(app.databaseUrl, "select count(*) from registration where email = 'gun@example.org'").get(0));
    assertEquals(0L, Db.column(app.databaseUrl, "select count(*) from registration_need rn join registration r on r.id = rn.registration_id"
        + " where r.erased_at is not null").get(0), "needs erased");
    assertEquals(404, await(app.client.get("/api/v1/registrations/not-a-token").send()).statusCode());
  }

  @Test
  void organiserListsAreForOrganisersOnly() {
    register(Events.person("Hans", "hans@example.org").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "skrivtolk"))));
    assertEquals(401, await(app.client.get("/api/v1/events/" + eventId + "/registrations").send()).statusCode());
    for (String role : new String[] {"viewer", "checkin"}) {
      String token = app.tokenFor(role);
      assertEquals(403, await(app.client.get("/api/v1/events/" + eventId + "/registrations")
          .putHeader("Authorization", "Bearer " + token).send()).statusCode(), role);
      assertEquals(403, await(app.client.get("/api/v1/events/" + eventId + "/needs-summary")
          .putHeader("Authorization", "Bearer " + token).send()).statusCode(), role);
    }
    HttpResponse<Buffer> list = await(app.client.get("/api/v1/events/" + eventId + "/registrations")
        .putHeader("Authorization", "Bearer " + organiser).send());
    assertEquals(200, list.statusCode());
    assertTrue(list.bodyAsString().contains("Hans"));
    assertTrue(((Number) Db.column(app.databaseUrl, "select count(*) from audit_log where action = 'registrations' and event_id = "
        + eventId).get(0)).longValue() >= 1, "reading needs is logged");
  }
}
