package se.hok.samla.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.TestApp;

/** The demo's past events come with participants, so the follow-up shows realistic figures out of the box. */
class DemoFollowUpTest {
  @Test
  void theDemoYearsHaveAttendanceWalkInsCancellationsRatingsAndSilentSignatories() {
    try (TestApp app = TestApp.start(Map.of("SAMLA_DEMO", "true"))) {
      String token = app.tokenFor("viewer");
      for (int year = 2020; year <= 2024; year++) {
        JsonObject p = await(app.client.get("/api/v1/reports/participation?year=" + year)
            .putHeader("Authorization", "Bearer " + token).send()).bodyAsJsonObject();
        JsonObject totals = p.getJsonObject("totals");
        assertTrue(totals.getInteger("events") >= 3, year + ": " + totals);
        assertTrue(totals.getInteger("attendances") > 30, year + ": " + totals);
        assertTrue(totals.getInteger("walkIns") > 0, year + ": " + totals);
        double rate = totals.getDouble("attendanceRate");
        assertTrue(rate > 0.6 && rate < 0.95, year + ": a realistic attendance rate, " + rate);
        assertTrue(p.getJsonArray("sectors").size() >= 3, year + ": several sectors");
        assertTrue(p.getJsonArray("signatoriesWithoutParticipation").size() > 0, year + ": someone sat the year out");
        assertTrue(p.getJsonObject("breadth").getInteger("organisationsTwoOrMoreKinds") > 0, year + ": breadth");
        JsonObject byBreadth = p.getJsonObject("people").getJsonObject("ratingsByBreadth");
        assertTrue(byBreadth.getJsonObject("twoOrMoreKinds").getDouble("mean")
            > byBreadth.getJsonObject("oneKind").getDouble("mean"), year + ": as the survey found, those who took part in"
            + " several kinds of activity are more positive: " + byBreadth);
      }
      // The action plan 2020–2024 with its activities, the events that carried them out, and the parties' dates.
      io.vertx.core.json.JsonArray periods = await(app.client.get("/api/v1/plan").putHeader("Authorization", "Bearer "
          + token).send()).bodyAsJsonObject().getJsonArray("periods");
      JsonObject plan = periods.getJsonObject(0);
      assertEquals("Handlingsplan 2020–2024", plan.getString("name"));
      assertEquals(5, plan.getJsonArray("years").size());
      JsonObject y2020 = plan.getJsonArray("years").getJsonObject(0);
      assertEquals("Kunskapsdelning", y2020.getString("theme"));
      assertTrue(y2020.getJsonArray("activities").stream().anyMatch(a -> ((JsonObject) a).getString("title")
          .equals("Dialogmöten mellan Region Hallands psykiatri och idéburna aktörer")), y2020.encodePrettily());
      JsonObject p2020 = await(app.client.get("/api/v1/reports/participation?year=2020")
          .putHeader("Authorization", "Bearer " + token).send()).bodyAsJsonObject();
      java.util.List<String> statuses = p2020.getJsonArray("plan").stream()
          .map(r -> ((JsonObject) r).getString("status")).toList();
      assertTrue(statuses.contains("held") && statuses.contains("not-held") && statuses.contains("outside"),
          "2020: activities held, not held (the website) and an event outside the plan (the inspelsafton): " + statuses);
      assertTrue(p2020.getJsonObject("people").getInteger("people") > 20, "the keys count the demo's people, whose"
          + " addresses retention erases: " + p2020.getJsonObject("people"));
      assertEquals(java.util.List.of(27L), se.hok.samla.support.Db.column(app.databaseUrl,
          "select count(*) from organisation where signatory and signatory_since <= '2019-05-14'"), "27 signed in May 2019");
      assertEquals(java.util.List.of(30L), se.hok.samla.support.Db.column(app.databaseUrl,
          "select count(*) from organisation where signatory and signatory_since <= '2020-10-31'"), "30 by October 2020");

      long events = (Long) se.hok.samla.support.Db.column(app.databaseUrl,
          "select count(*) from event where status = 'published' and starts_at < now()").get(0);
      long rated = (Long) se.hok.samla.support.Db.column(app.databaseUrl,
          "select count(distinct event_id) from feedback").get(0);
      assertEquals(events, rated, "every past event has ratings");
      long late = (Long) se.hok.samla.support.Db.column(app.databaseUrl, "select count(*) from registration r join event e"
          + " on e.id = r.event_id where r.status = 'cancelled' and r.cancelled_at > e.starts_at - interval '1 day'").get(0);
      assertTrue(late > 0, "some cancel late");
      long upcoming = (Long) se.hok.samla.support.Db.column(app.databaseUrl,
          "select count(*) from registration r join event e on e.id = r.event_id where e.starts_at > now()").get(0);
      assertEquals(0L, upcoming, "upcoming events are left for people to sign up to");
    }
  }
}
