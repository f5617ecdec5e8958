package se.hok.samla.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** The events API as a client sees it: who may do what, every validation rule, the life of an event. */
@WithSamla
class EventApiTest {
  static TestApp app;
  static String organiser;
  static long venueId;
  static final OffsetDateTime START = OffsetDateTime.now(ZoneId.of("Europe/Stockholm"))
      .plusDays(40).truncatedTo(ChronoUnit.HOURS).withHour(9);

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
    Db.exec(app.databaseUrl, "insert into action_plan_year (year, theme, focus_area) values (2027, 'Delaktighet', 'Tillgänglighet')");
    HttpResponse<Buffer> venue = send(post("/api/v1/venues", organiser), new JsonObject()
        .put("name", "Hallandsgården").put("address", "Storgatan 1, Halmstad")
        .put("accessibility", new JsonObject().put("hearingLoop", true).put("stepFreeEntrance", true)));
    assertEquals(201, venue.statusCode(), venue.bodyAsString());
    venueId = venue.bodyAsJsonObject().getLong("id");
  }

  static JsonObject validEvent() {
    return new JsonObject()
        .put("title", "Dialogmöte om demokrati")
        .put("kind", "dialogmote")
        .put("startsAt", START.toString())
        .put("endsAt", START.plusHours(3).toString())
        .put("venueId", venueId)
        .put("capacity", 40)
        .put("registrationOpensAt", START.minusDays(30).toString())
        .put("registrationClosesAt", START.minusDays(2).toString())
        .put("description", "Vi samtalar om demokrati i Halland.")
        .put("year", 2027)
        .put("sessions", new JsonArray()
            .add(new JsonObject().put("title", "Workshop A").put("startsAt", START.plusHours(1).toString())
                .put("endsAt", START.plusHours(2).toString()).put("capacity", 20))
            .add(new JsonObject().put("title", "Workshop B").put("startsAt", START.plusHours(1).toString())
                .put("endsAt", START.plusHours(2).toString()).put("capacity", 20)));
  }

  static HttpRequest<Buffer> post(String path, String token) {
    HttpRequest<Buffer> r = app.client.post(path);
    if (token != null) {
      r.putHeader("Authorization", "Bearer " + token);
    }
    return r;
  }

  static HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) {
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  static JsonObject created(JsonObject body) {
    HttpResponse<Buffer> r = send(post("/api/v1/events", organiser), body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static void assertFieldError(HttpResponse<Buffer> r, int status, String field) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertNotNull(body.getString("error"), "machine-readable code");
    assertFalse(body.getString("message").isBlank(), "a message for people");
    assertTrue(body.getJsonObject("fields", new JsonObject()).containsKey(field),
        "expected an error on " + field + " in " + body.encode());
  }

  @Test
  void organiserCreatesAndPublishesAnEventThatThenAppearsPublicly() {
    JsonObject event = created(validEvent());
    long id = event.getLong("id");
    assertEquals("draft", event.getString("status"));
    assertEquals(2, event.getJsonArray("sessions").size());
    assertEquals("Hallandsgården", event.getJsonObject("venue").getString("name"));
    assertTrue(event.getJsonObject("venue").getJsonObject("accessibility").getBoolean("hearingLoop"));
    assertEquals("Delaktighet", event.getString("theme"));
    assertEquals(START.toInstant(), OffsetDateTime.parse(event.getString("startsAt")).toInstant());

    assertEquals(404, await(app.client.get("/api/v1/events/" + id).send()).statusCode(), "a draft is not public");
    assertFalse(publicIds().contains(id));

    HttpResponse<Buffer> published = send(post("/api/v1/events/" + id + "/publish", organiser), null);
    assertEquals(200, published.statusCode(), published.bodyAsString());
    assertEquals("published", published.bodyAsJsonObject().getString("status"));
    assertEquals(200, send(post("/api/v1/events/" + id + "/publish", organiser), null).statusCode(), "publishing twice is harmless");

    HttpResponse<Buffer> pub = await(app.client.get("/api/v1/events/" + id).send());
    assertEquals(200, pub.statusCode());
    assertEquals(40, pub.bodyAsJsonObject().getInteger("seatsLeft"));
    assertTrue(publicIds().contains(id));
    assertTrue(ids(await(app.client.get("/api/v1/events?kind=dialogmote&year=2027").send())).contains(id));
    assertFalse(ids(await(app.client.get("/api/v1/events?kind=workshop").send())).contains(id));
  }

  @Test
  void updateReplacesFactsAndKeepsSessionsById() {
    JsonObject event = created(validEvent());
    long id = event.getLong("id");
    JsonArray sessions = event.getJsonArray("sessions");
    JsonObject kept = sessions.getJsonObject(0);
    JsonObject change = validEvent().put("title", "Dialogmöte om tillit").put("capacity", 60)
        .put("sessions", new JsonArray().add(new JsonObject().put("id", kept.getLong("id")).put("title", "Workshop A, större")
            .put("startsAt", kept.getString("startsAt")).put("endsAt", kept.getString("endsAt")).put("capacity", 30)));
    HttpResponse<Buffer> r = await(app.client.put("/api/v1/events/" + id)
        .putHeader("Authorization", "Bearer " + organiser).sendJsonObject(change));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject updated = r.bodyAsJsonObject();
    assertEquals("Dialogmöte om tillit", updated.getString("title"));
    assertEquals(60, updated.getInteger("capacity"));
    assertEquals(1, updated.getJsonArray("sessions").size());
    assertEquals(kept.getLong("id"), updated.getJsonArray("sessions").getJsonObject(0).getLong("id"));
    assertEquals("Workshop A, större", updated.getJsonArray("sessions").getJsonObject(0).getString("title"));
  }

  @Test
  void cancelledEventsCannotBePublishedOrChanged() {
    long id = created(validEvent()).getLong("id");
    HttpResponse<Buffer> cancelled = send(post("/api/v1/events/" + id + "/cancel", organiser), null);
    assertEquals(200, cancelled.statusCode());
    assertEquals("cancelled", cancelled.bodyAsJsonObject().getString("status"));
    HttpResponse<Buffer> publish = send(post("/api/v1/events/" + id + "/publish", organiser), null);
    assertEquals(409, publish.statusCode(), publish.bodyAsString());
    assertEquals("event_cancelled", publish.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> put = await(app.client.put("/api/v1/events/" + id)
        .putHeader("Authorization", "Bearer " + organiser).sendJsonObject(validEvent()));
    assertEquals(409, put.statusCode());
  }

  @Test
  void strangersAndWrongRolesAreRefusedBeforeAnythingElse() {
    assertEquals(401, send(post("/api/v1/events", null), validEvent()).statusCode());
    assertEquals(401, send(post("/api/v1/events", null), new JsonObject()).statusCode(), "401 comes before validation");
    assertEquals(401, send(post("/api/v1/events", "samla_not-a-real-token"), validEvent()).statusCode());
    HttpResponse<Buffer> basic = await(app.client.post("/api/v1/events").putHeader("Authorization", "Basic YTpi").sendJsonObject(validEvent()));
    assertEquals(401, basic.statusCode());
    assertEquals("Bearer", basic.getHeader("WWW-Authenticate"));
    for (String role : new String[] {"viewer", "checkin"}) {
      String token = app.tokenFor(role);
      HttpResponse<Buffer> r = send(post("/api/v1/events", token), validEvent());
      assertEquals(403, r.statusCode(), role);
      assertEquals("forbidden", r.bodyAsJsonObject().getString("error"));
      assertEquals(403, send(post("/api/v1/events/1/publish", token), null).statusCode(), role);
      assertEquals(403, send(post("/api/v1/venues", token), new JsonObject().put("name", "x").put("address", "y")).statusCode());
    }
    assertEquals(201, send(post("/api/v1/events", app.adminToken()), validEvent()).statusCode(), "admins may organise");
  }

  @Test
  void tokensNeedTheRightPasswordAndAnActiveAccount() {
    HttpResponse<Buffer> wrong = await(app.client.post("/api/v1/auth/token")
        .sendJsonObject(new JsonObject().put("email", TestApp.ADMIN_EMAIL).put("password", "wrong password!")));
    assertEquals(401, wrong.statusCode());
    HttpResponse<Buffer> unknown = await(app.client.post("/api/v1/auth/token")
        .sendJsonObject(new JsonObject().put("email", "nobody@test.example").put("password", "whatever-123")));
    assertEquals(401, unknown.statusCode());
    HttpResponse<Buffer> missing = await(app.client.post("/api/v1/auth/token").sendJsonObject(new JsonObject().put("email", "x")));
    assertFieldError(missing, 400, "password");

    String token = app.tokenFor("organiser");
    Db.exec(app.databaseUrl, "update staff_user set active = false where id = (select staff_user_id from api_token order by id desc limit 1)");
    assertEquals(401, send(post("/api/v1/events", token), validEvent()).statusCode(), "a closed account's token stops working");
    assertEquals(1, Db.column(app.databaseUrl, "select count(*) from api_token where token_hash = sha256(convert_to('" + token + "', 'UTF8'))").get(0) instanceof Long l ? l.intValue() : -1,
        "the token is stored only as its SHA-256");
  }

  @Test
  void everyRuleGivesAFieldErrorNeverA500() {
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().put("endsAt", START.minusHours(1).toString())), 422, "endsAt");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().put("capacity", -1)), 422, "capacity");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().put("kind", "fest")), 400, "kind");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent()
        .put("registrationClosesAt", START.minusDays(40).toString())), 422, "registrationClosesAt");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().put("capacity", "many")), 400, "capacity");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().put("startsAt", "next tuesday")), 422, "startsAt");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().put("title", "")), 422, "title");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().put("title", "x".repeat(201))), 422, "title");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().put("venueId", 999999)), 422, "venueId");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().put("year", 1999)), 422, "year");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().putNull("venueId")), 422, "venueId");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().putNull("venueId").put("onlineUrl", "javascript:alert(1)")), 422, "onlineUrl");
    assertFieldError(send(post("/api/v1/events", organiser), validEvent().put("organiserEmail", "not an address")), 422, "organiserEmail");
    JsonObject badSession = validEvent();
    badSession.getJsonArray("sessions").getJsonObject(1).put("endsAt", START.plusHours(5).toString());
    assertFieldError(send(post("/api/v1/events", organiser), badSession), 422, "sessions[1].endsAt");
    JsonObject bigSession = validEvent();
    bigSession.getJsonArray("sessions").getJsonObject(0).put("capacity", 41);
    assertFieldError(send(post("/api/v1/events", organiser), bigSession), 422, "sessions[0].capacity");
    JsonObject missing = validEvent();
    missing.remove("startsAt");
    assertFieldError(send(post("/api/v1/events", organiser), missing), 400, "startsAt");
  }

  @Test
  void severalMistakesAreReportedTogether() {
    HttpResponse<Buffer> r = send(post("/api/v1/events", organiser), validEvent()
        .put("title", " ").put("capacity", -5).put("endsAt", START.minusHours(2).toString()));
    assertEquals(422, r.statusCode());
    JsonObject fields = r.bodyAsJsonObject().getJsonObject("fields");
    assertTrue(fields.containsKey("title") && fields.containsKey("capacity") && fields.containsKey("endsAt"), fields.encode());
    assertTrue(fields.getString("endsAt").contains("Sluttiden"), "Swedish by default: " + fields.getString("endsAt"));
    HttpResponse<Buffer> en = await(app.client.post("/api/v1/events").putHeader("Authorization", "Bearer " + organiser)
        .putHeader("Accept-Language", "en").sendJsonObject(validEvent().put("capacity", -5)));
    assertEquals("Enter a number between 0 and 100,000.", en.bodyAsJsonObject().getJsonObject("fields").getString("capacity"));
  }

  @Test
  void malformedAndOversizedBodiesAreRefusedClearly() {
    HttpResponse<Buffer> malformed = await(post("/api/v1/events", organiser).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"title\": \"oops\",")));
    assertEquals(400, malformed.statusCode(), malformed.bodyAsString());
    assertNotNull(malformed.bodyAsJsonObject().getString("error"));

    HttpResponse<Buffer> notJson = await(post("/api/v1/events", organiser).putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("hello")));
    assertTrue(notJson.statusCode() == 400 || notJson.statusCode() == 415, notJson.statusCode() + " " + notJson.bodyAsString());

    String huge = "{\"title\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}";
    HttpResponse<Buffer> tooBig = await(post("/api/v1/events", organiser).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(huge)));
    assertEquals(413, tooBig.statusCode());
    assertEquals("payload_too_large", tooBig.bodyAsJsonObject().getString("error"));
  }

  @Test
  void unknownIdsAreNotFound() {
    assertEquals(404, await(app.client.get("/api/v1/events/987654").send()).statusCode());
    // An organiser is refused an event that does not exist just as one that is not theirs (no probing of ids);
    // an admin, who may see every event, is told it is not there.
    assertEquals(403, send(post("/api/v1/events/987654/publish", organiser), null).statusCode());
    assertEquals(404, send(post("/api/v1/events/987654/publish", app.adminToken()), null).statusCode());
    HttpResponse<Buffer> put = await(app.client.put("/api/v1/events/987654")
        .putHeader("Authorization", "Bearer " + app.adminToken()).sendJsonObject(validEvent()));
    assertEquals(404, put.statusCode());
    HttpResponse<Buffer> text = await(app.client.get("/api/v1/events/abc").send());
    assertFieldError(text, 400, "id");
    assertEquals(404, await(app.client.get("/api/v1/nothing-here").send()).statusCode());
  }

  @Test
  void organisationsAndOpenApiDocumentArePublic() {
    Db.exec(app.databaseUrl, "insert into organisation (name, sector, signatory) values ('DHR Region Halland', 'ideburen', true)");
    JsonArray orgs = await(app.client.get("/api/v1/organisations?q=dhr").send()).bodyAsJsonObject().getJsonArray("organisations");
    assertEquals("DHR Region Halland", orgs.getJsonObject(0).getString("name"));
    assertEquals("ideburen", orgs.getJsonObject(0).getString("sector"));
    String doc = await(app.client.get("/openapi.yaml").send()).bodyAsString();
    assertTrue(doc.startsWith("openapi: 3.1"));
    assertTrue(doc.contains(app.running.config().publicUrl() + "/api/v1"), "served with this installation's URL");
  }

  static java.util.List<Long> publicIds() {
    return ids(await(app.client.get("/api/v1/events").send()));
  }

  static java.util.List<Long> ids(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("events").stream().map(o -> ((JsonObject) o).getLong("id")).toList();
  }
}
