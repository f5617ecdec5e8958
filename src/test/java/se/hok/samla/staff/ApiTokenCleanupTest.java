package se.hok.samla.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;

/** Door pages issue an API token each time they open; expired ones must not pile up. */
class ApiTokenCleanupTest {
  @Test
  void expiredTokensAreDeletedAndLiveOnesStillWork() {
    try (TestApp app = TestApp.start(Map.of("SAMLA_SEND_MAIL", "false"))) {
      StaffService staff = new StaffService(app.vertx, app.running.database().pool());
      app.tokenFor("checkin");
      long id = (Long) Db.column(app.databaseUrl, "select staff_user_id from api_token limit 1").get(0);
      String live = await(staff.issueToken(id, Duration.ofHours(16)));
      String expired = await(staff.issueToken(id, Duration.ofSeconds(-1)));
      assertTrue(await(staff.byToken(expired)).isEmpty(), "an expired token never signs anyone in");
      long before = (Long) Db.column(app.databaseUrl, "select count(*) from api_token").get(0);

      assertEquals(1, await(staff.deleteExpiredTokens()));

      assertEquals(List.of(before - 1), Db.column(app.databaseUrl, "select count(*) from api_token"));
      assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from api_token where expires_at < now()"));
      assertTrue(await(staff.byToken(live)).isPresent(), "a live token still works");
    }
  }
}
