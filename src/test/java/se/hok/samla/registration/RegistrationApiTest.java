package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;

/** Signing up through the API: duplicates, retries, every rule, the manage link, and who may see what. */
class RegistrationApiTest {
  static TestApp app;
  static String organiser;
  static JsonObject event;
  static long eventId;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    organiser = app.tokenFor("organiser");
    event = Events.published(app, organiser, 50, new JsonArray()
        .add(Events.session("Workshop A", 10, 20)).add(Events.session("Workshop B", 10, 20))
        .add(Events.session("Workshop C", 13, 20)));
    eventId = event.getLong("id");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static long session(int i) {
    return event.getJsonArray("sessions").getJsonObject(i).getLong("id");
  }

  static HttpResponse<Buffer> register(JsonObject body) {
    return await(app.client.post("/api/v1/events/" + eventId + "/registrations").sendJsonObject(body));
  }

  static void assertFieldError(HttpResponse<Buffer> r, int status, String field) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getJsonObject("fields", new JsonObject()).containsKey(field),
        "expected an error on " + field + ": " + r.bodyAsString());
  }

  @Test
  void aFullRegistrationIsStoredExactly() {
    JsonObject body = Events.person("Åsa Öberg-Nguyễn", "asa@example.org")
        .put("phone", "070-123 45 67").put("organisationName", "Hörselskadades förening <Halland>").put("sector", "ideburen")
        .put("roleTitle", "Ordförande").put("sessions", new JsonArray().add(session(0)).add(session(2)))
        .put("needs", new JsonArray().add(new JsonObject().put("code", "horslinga"))
            .add(new JsonObject().put("code", "specialkost").put("detail", "Nötallergi <svår>")))
        .put("diet", new JsonArray().add("vegetarisk")).put("companion", true).put("consent", true).put("language", "en");
    HttpResponse<Buffer> r = register(body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String manage = r.bodyAsJsonObject().getString("manageUrl");
    assertTrue(manage.startsWith(app.running.config().publicUrl() + "/anmalan/"));
    String token = manage.substring(manage.lastIndexOf('/') + 1);
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
  void theSameAddressTwiceRevealsNothingAndMailsTheLinkAgain() {
    assertEquals(201, register(Events.person("Bo", "bo@example.org")).statusCode());
    HttpResponse<Buffer> again = register(Events.person("Någon annan", "BO@example.org"));
    assertEquals(202, again.statusCode(), again.bodyAsString());
    assertFalse(again.bodyAsString().contains("manage"), "no manage link to a stranger");
    assertEquals(1L, Db.column(app.databaseUrl, "select count(*) from registration where lower(email) = 'bo@example.org'").get(0));
    assertEquals(1L, Db.column(app.databaseUrl, "select count(*) from outbox o join registration r on r.id = o.registration_id"
        + " where lower(r.email) = 'bo@example.org' and o.kind = 'manage_link'").get(0));
  }

  @Test
  void aRetriedRequestWithTheSameIdempotencyKeyCreatesOneRegistration() {
    List<Future<HttpResponse<Buffer>>> tries = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tries.add(app.client.post("/api/v1/events/" + eventId + "/registrations").putHeader("Idempotency-Key", "retry-42")
          .sendJsonObject(Events.person("Cecilia", "cecilia@example.org")));
    }
    await(Future.join(tries));
    List<Object> ids = tries.stream().map(f -> {
      assertEquals(201, f.result().statusCode(), f.result().bodyAsString());
      return f.result().bodyAsJsonObject().getString("id");
    }).distinct().map(o -> (Object) o).toList();
    assertEquals(1, ids.size(), "every retry answers with the same registration");
    assertEquals(1L, Db.column(app.databaseUrl, "select count(*) from registration where email = 'cecilia@example.org'").get(0));
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
    HttpResponse<Buffer> r = await(app.client.post("/api/v1/events/" + soonId + "/registrations")
        .sendJsonObject(Events.person("Fia", "fia@example.org").put("consent", true).put("needs", new JsonArray()
            .add(new JsonObject().put("code", "teckensprakstolk"))
            .add(new JsonObject().put("code", "specialkost").put("detail", "glutenfritt")))));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(List.of("teckensprakstolk"), r.bodyAsJsonObject().getJsonArray("urgentNeeds").getList(), "the participant is told");

    JsonObject summary = await(app.client.get("/api/v1/events/" + soonId + "/needs-summary")
        .putHeader("Authorization", "Bearer " + organiser).send()).bodyAsJsonObject();
    JsonObject interpreter = summary.getJsonArray("needs").stream().map(o -> (JsonObject) o)
        .filter(n -> n.getString("code").equals("teckensprakstolk")).findFirst().orElseThrow();
    assertEquals(1, interpreter.getInteger("count"));
    assertEquals(soon.atZoneSameInstant(java.time.ZoneId.of("Europe/Stockholm")).toLocalDate().minusDays(28).toString(),
        interpreter.getString("bookBy"));
    assertEquals(1, interpreter.getInteger("urgent"));
    assertEquals(List.of("glutenfritt"), summary.getJsonObject("diet").getJsonArray("allergies").getList());
    assertFalse(summary.encode().contains("Fia"), "the caterer's list has no names");
    gatherAlerts();
    assertEquals(1L, Db.column(app.databaseUrl, "select count(*) from outbox where event_id = " + soonId + " and kind = 'organiser_alert'").get(0));
  }

  /** What the app does every few seconds, now and without waiting for the hour between alerts. */
  static void gatherAlerts() {
    await(new se.hok.samla.mail.OrganiserAlerts(app.running.database().pool(), java.time.Duration.ZERO).gatherDue());
  }

  @Test
  void theOrganiserIsAlertedOnceForEachNewNeedNotAgainOnEveryChange() {
    HttpResponse<Buffer> r = register(Events.person("Ivar", "ivar@example.org").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "skrivtolk"))));
    String token = CapacityTest.token(r);
    String id = r.bodyAsJsonObject().getString("id");
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
    HttpResponse<Buffer> r = await(app.client.post("/api/v1/events/" + own.getLong("id") + "/registrations")
        .sendJsonObject(Events.person("Gun", "gun@example.org").put("sessions", new JsonArray().add(a))));
    String token = CapacityTest.token(r);
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
