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
      }
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
