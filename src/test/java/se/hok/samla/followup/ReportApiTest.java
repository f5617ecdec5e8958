package se.hok.samla.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** The follow-up API against {@link FollowUpFixture}: who may call it, and its figures. */
@WithSamla(env = "SAMLA_RETENTION_DAYS=3650")
class ReportApiTest {
  private static TestApp app;
  private static FollowUpFixture f;
  private static String viewer;
  private static String door;

  @BeforeAll
  static void start() {
    f = FollowUpFixture.load(app.databaseUrl);
    viewer = app.tokenFor("viewer");
    door = app.tokenFor("checkin");
  }

  private static HttpResponse<Buffer> get(String path, String token) {
    var request = app.client.get(path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(request.send());
  }

  @Test
  void turnoutIsForTheWorkingGroupOnly() {
    String path = "/api/v1/events/" + f.e1 + "/turnout";
    HttpResponse<Buffer> stranger = get(path, null);
    assertEquals(401, stranger.statusCode());
    assertEquals("unauthorized", stranger.bodyAsJsonObject().getString("error"));
    assertEquals(401, get(path, "not-a-token").statusCode());
    assertEquals(403, get(path, door).statusCode());
    assertEquals("forbidden", get(path, door).bodyAsJsonObject().getString("error"));
    assertEquals(200, get(path, viewer).statusCode());
    assertEquals(200, get(path, app.tokenFor("organiser")).statusCode());
    assertEquals(200, get(path, app.adminToken()).statusCode());
  }

  @Test
  void aViewersTokenReadsButChangesNothing() {
    HttpResponse<Buffer> create = await(app.client.post("/api/v1/events").putHeader("Authorization", "Bearer " + viewer)
        .sendJsonObject(new JsonObject().put("title", "Nej").put("kind", "workshop")));
    assertEquals(403, create.statusCode());
    HttpResponse<Buffer> cancel = await(app.client.post("/api/v1/events/" + f.e1 + "/cancel")
        .putHeader("Authorization", "Bearer " + viewer).send());
    assertEquals(403, cancel.statusCode());
    assertEquals(List.of("published"), se.hok.samla.support.Db.column(app.databaseUrl,
        "select status from event where id = " + f.e1));
  }

  @Test
  void turnoutHasTheEventsFigures() {
    HttpResponse<Buffer> r = get("/api/v1/events/" + f.e1 + "/turnout", viewer);
    assertEquals("application/json; charset=utf-8", r.getHeader("Content-Type"));
    JsonObject t = r.bodyAsJsonObject();
    assertEquals(f.e1, t.getLong("eventId"));
    assertEquals(11, t.getInteger("registered"));
    assertEquals(7, t.getInteger("confirmed"));
    assertEquals(1, t.getInteger("waitlisted"));
    assertEquals(3, t.getInteger("cancelled"));
    assertEquals(new JsonObject().put("withinOneDay", 1).put("oneToSevenDays", 1).put("earlier", 1),
        t.getJsonObject("cancellations"));
    assertEquals(4, t.getInteger("attended"));
    assertEquals(1, t.getInteger("walkIns"));
    assertEquals(true, t.getBoolean("attendanceRecorded"));
    assertEquals(3, t.getInteger("noShows"));
    assertEquals(3.0 / 7, t.getDouble("noShowRate"), 1e-9);
    assertEquals(4.0 / 7, t.getDouble("attendanceRate"), 1e-9);
    JsonArray sessions = t.getJsonArray("sessions");
    assertEquals(2, sessions.size());
    JsonObject s1 = sessions.getJsonObject(0);
    assertEquals(f.s1, s1.getLong("id"));
    assertEquals("Pass 1: Planering", s1.getString("title"));
    assertEquals(20, s1.getInteger("capacity"));
    assertEquals(2, s1.getInteger("booked"));
    assertEquals(1, s1.getInteger("attended"));
    assertEquals(1, sessions.getJsonObject(1).getInteger("attended"), "kim was admitted to S2 only");

    JsonObject empty = get("/api/v1/events/" + f.draft + "/turnout", viewer).bodyAsJsonObject();
    assertEquals(1, empty.getInteger("attended"));
    JsonObject noOne = get("/api/v1/events/" + f.e3 + "/turnout", viewer).bodyAsJsonObject();
    assertEquals(0.0, noOne.getDouble("noShowRate"));
  }

  @Test
  void anEventHeldWithoutCheckInHasUnknownAttendanceNotOnlyNoShows() {
    HttpResponse<Buffer> r = get("/api/v1/events/" + f.e4 + "/turnout", viewer);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject t = r.bodyAsJsonObject();
    assertEquals(3, t.getInteger("confirmed"));
    assertEquals(0, t.getInteger("attended"));
    assertEquals(false, t.getBoolean("attendanceRecorded"));
    for (String unknown : List.of("noShows", "noShowRate", "attendanceRate")) {
      assertTrue(t.containsKey(unknown), unknown + " is there, as null: " + t);
      assertNull(t.getValue(unknown), unknown + " is unknown, not 3 no-shows (100 %): " + t);
    }
  }

  @Test
  void anEventWithoutRegistrationsHasNoNoShowRate() {
    long id = ((Number) se.hok.samla.support.Db.column(app.databaseUrl, "insert into event (kind, title_sv, starts_at,"
        + " ends_at, online_url, capacity, status) values ('workshop', 'Tomt', now() + interval '1 day',"
        + " now() + interval '2 days', 'https://example.org/t', 10, 'published') returning id").get(0)).longValue();
    JsonObject t = get("/api/v1/events/" + id + "/turnout", viewer).bodyAsJsonObject();
    assertEquals(0, t.getInteger("registered"));
    assertNull(t.getValue("noShowRate"));
    assertEquals(List.of(), t.getJsonArray("sessions").getList());
  }

  @Test
  void unknownEventsAndBadIdsAreClearErrors() {
    HttpResponse<Buffer> missing = get("/api/v1/events/987654/turnout", viewer);
    assertEquals(404, missing.statusCode());
    assertEquals("not_found", missing.bodyAsJsonObject().getString("error"));
    assertEquals(400, get("/api/v1/events/abc/turnout", viewer).statusCode());
  }

  @Test
  void participationIsPerOrganisationAndSector() {
    String path = "/api/v1/reports/participation?year=2023";
    assertEquals(401, get(path, null).statusCode());
    assertEquals(403, get(path, door).statusCode());
    HttpResponse<Buffer> r = get(path, viewer);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject p = r.bodyAsJsonObject();
    assertEquals(2023, p.getInteger("year"));
    assertEquals("Långsiktighet", p.getString("theme"));
    assertEquals("Uthållig samverkan", p.getString("focusArea"));
    JsonObject totals = p.getJsonObject("totals");
    assertEquals(4, totals.getInteger("events"));
    assertEquals(1, totals.getInteger("eventsWithoutRecordedAttendance"), "E4 was held without check-in");
    assertEquals(15, totals.getInteger("confirmed"), "E4's 3 confirmed registrations count as confirmed");
    assertEquals(9, totals.getInteger("attendances"));
    assertEquals(1, totals.getInteger("walkIns"));
    assertEquals(9.0 / (15 - 3), totals.getDouble("attendanceRate"), 1e-9,
        "confirmed attended / confirmed of the events with recorded attendance: E4 is left out, not 9 / 15");
    assertEquals(3, totals.getInteger("organisations"));
    assertEquals(6, totals.getInteger("people"));
    assertEquals(1, totals.getInteger("unlinkedAttendances"));
    assertEquals(new JsonObject().put("dialogmote", 2).put("workshop", 1).put("seminarium", 1),
        p.getJsonObject("eventsByKind"));

    JsonArray sectors = p.getJsonArray("sectors");
    assertEquals(3, sectors.size());
    assertEquals(new JsonObject().put("sector", "offentlig").put("organisations", 1).put("attendances", 3)
        .put("events", 2), sectors.getJsonObject(1));

    JsonArray orgs = p.getJsonArray("organisations");
    assertEquals(3, orgs.size());
    JsonObject beta = orgs.getJsonObject(2);
    assertEquals(f.beta, beta.getLong("id"));
    assertEquals("Beta kommun", beta.getString("name"));
    assertEquals("offentlig", beta.getString("sector"));
    assertEquals(true, beta.getBoolean("signatory"));
    assertEquals(2, beta.getInteger("events"));
    assertEquals(new JsonArray().add("workshop").add("seminarium"), beta.getJsonArray("kinds"));
    assertEquals(3, beta.getInteger("attendances"));

    JsonArray silent = p.getJsonArray("signatoriesWithoutParticipation");
    assertEquals(List.of("Delta förbund", "Epsilon råd"),
        silent.stream().map(o -> ((JsonObject) o).getString("name")).toList());

    JsonObject breadth = p.getJsonObject("breadth");
    assertEquals(3, breadth.getInteger("organisationsTwoOrMoreKinds"));
    assertEquals(3, breadth.getInteger("organisationsTwoOrMoreEvents"));
    assertEquals(6, breadth.getInteger("people"));
    assertTrue(breadth.containsKey("peopleTwoOrMoreKinds"));
    assertNull(breadth.getValue("peopleTwoOrMoreKinds"), "1 person: below 3, so not given (the pages' \"< 3\")");
    assertNull(breadth.getValue("peopleTwoOrMoreEvents"), "1 person");

    JsonObject y2022 = get("/api/v1/reports/participation?year=2022", viewer).bodyAsJsonObject();
    assertEquals(2, y2022.getJsonObject("totals").getInteger("attendances"));
    assertEquals(0, y2022.getJsonObject("totals").getInteger("eventsWithoutRecordedAttendance"));
    assertNull(y2022.getValue("focusArea"));
  }

  @Test
  void aBadYearIsAFieldErrorAndAYearOutsideThePlanIsNotFound() {
    HttpResponse<Buffer> letters = get("/api/v1/reports/participation?year=abc", viewer);
    assertEquals(400, letters.statusCode());
    assertNotNull(letters.bodyAsJsonObject().getJsonObject("fields").getString("year"), letters.bodyAsString());
    HttpResponse<Buffer> missing = get("/api/v1/reports/participation", viewer);
    assertEquals(400, missing.statusCode());
    assertEquals(400, get("/api/v1/reports/participation?year=1800", viewer).statusCode());
    HttpResponse<Buffer> english = await(app.client.get("/api/v1/reports/participation?year=abc")
        .putHeader("Authorization", "Bearer " + viewer).putHeader("Accept-Language", "en").send());
    assertEquals(400, english.statusCode());
    HttpResponse<Buffer> notPlanned = get("/api/v1/reports/participation?year=2030", viewer);
    assertEquals(404, notPlanned.statusCode());
    assertEquals("not_found", notPlanned.bodyAsJsonObject().getString("error"));
  }

  /** The answers, unknown figures (null) included, are what the contract says: the API is built from it. */
  @Test
  void theAnswersMatchTheContract() {
    OpenAPIContract contract = se.hok.samla.support.ContractCheck.contract();
    ResponseValidator validator = ResponseValidator.create(app.vertx, contract);
    for (String[] call : List.of(
        new String[] {"eventTurnout", "/api/v1/events/" + f.e1 + "/turnout"},
        new String[] {"eventTurnout", "/api/v1/events/" + f.e4 + "/turnout"},
        new String[] {"participationReport", "/api/v1/reports/participation?year=2023"})) {
      HttpResponse<Buffer> r = get(call[1], viewer);
      assertEquals(200, r.statusCode(), call[1]);
      try {
        await(validator.validate(ValidatableResponse.create(200, r.body(), "application/json"), call[0]));
      } catch (RuntimeException e) {
        throw new AssertionError(call[1] + " does not match the contract: " + e.getMessage() + "\n" + r.bodyAsString(),
            e);
      }
    }
  }

  @Test
  void theContractDescribesBothOperations() {
    String contract = await(app.client.get("/openapi.yaml").send()).bodyAsString();
    for (String s : List.of("operationId: eventTurnout", "operationId: participationReport", "/reports/participation:",
        "/events/{id}/turnout:")) {
      org.junit.jupiter.api.Assertions.assertTrue(contract.contains(s), s);
    }
  }
}
