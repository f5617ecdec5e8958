package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** Personal data goes a set time after the event; the anonymous facts the working group counts stay. */
@WithSamla
class RetentionTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
  }

  /**
   * A published event with one registration (with needs), then moved to have ended {@code daysAgo} days ago; its manage
   * link from the e-mail, when {@code withLink}.
   */
  static String registrationAt(int daysAgo, String email, boolean withLink) {
    OffsetDateTime start = OffsetDateTime.now().plusDays(20);
    long id = PublishedEvent.by(app, organiser).with("title", "Dialogmöte").kind("dialogmote").startsAt(start)
        .endsAt(start.plusHours(2)).capacity(10).with("onlineUrl", "https://example.org")
        .with("registrationOpensAt", null).publishId();
    Db.exec(app.databaseUrl, "insert into organisation (name, sector) values ('Org " + email + "', 'ideburen')");
    JsonObject person = new JsonObject()
        .put("name", "Ingrid Isaksson").put("email", email).put("phone", "070-1234567").put("roleTitle", "Kassör")
        .put("organisationName", "Org " + email).put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "specialkost").put("detail", "celiaki")));
    String token = withLink ? SignUps.participant(app, id, person).token() : null;
    if (!withLink) {
      SignUps.anonymously(app, id, person);
    }
    Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '" + daysAgo + " days 2 hours', "
        + "ends_at = now() - interval '" + daysAgo + " days', registration_opens_at = null, registration_closes_at = null "
        + "where id = " + id);
    return token;
  }

  static String registrationAt(int daysAgo, String email) {
    return registrationAt(daysAgo, email, true);
  }

  @Test
  void personalDataIsErasedAfterTheRetentionPeriodAndTheCountsStay() {
    String old = registrationAt(31, "old@example.org");
    String recent = registrationAt(5, "recent@example.org");
    Retention retention = new Retention(app.running.database().pool(), 30, se.hok.samla.mail.Outbox.REGISTRATION_MAILS);

    assertTrue(await(retention.runOnce()) >= 1);
    assertEquals(0, await(retention.runOnce()), "nothing twice");

    String mine = "(select r.id from registration r join organisation o on o.id = r.organisation_id"
        + " where o.name = 'Org old@example.org')";
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from registration where email = 'old@example.org'"));
    assertEquals(List.of("Raderad"), Db.column(app.databaseUrl, "select name from registration where id in " + mine));
    assertEquals(List.of(List.of()).size(), Db.column(app.databaseUrl, "select 1 from registration where id in " + mine
        + " and phone is null and role_title is null and consent_at is null").size());
    assertEquals(List.of("specialkost"), Db.column(app.databaseUrl, "select need_code from registration_need where registration_id in "
        + mine), "which need stays, for the counts");
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from registration_need where detail is not null"
        + " and registration_id in " + mine), "its free text goes");
    assertEquals(List.of("confirmed"), Db.column(app.databaseUrl, "select status from registration where id in " + mine));
    assertEquals(404, await(app.client.get("/api/v1/registrations/" + old).send()).statusCode(), "the manage link is gone");
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from manage_token where registration_id in " + mine));

    assertEquals(200, await(app.client.get("/api/v1/registrations/" + recent).send()).statusCode());
    assertEquals(List.of("recent@example.org"), Db.column(app.databaseUrl, "select email from registration where email = 'recent@example.org'"));
  }

  @Test
  void twoInstancesRunningAtOnceEraseEachRegistrationOnce() {
    for (int i = 0; i < 30; i++) {
      registrationAt(40, "many" + i + "@example.org", false);
    }
    Retention a = new Retention(app.running.database().pool(), 30, se.hok.samla.mail.Outbox.REGISTRATION_MAILS);
    Retention b = new Retention(app.running.database().pool(), 30, se.hok.samla.mail.Outbox.REGISTRATION_MAILS);
    Future<Integer> ra = a.runOnce();
    Future<Integer> rb = b.runOnce();
    await(Future.join(ra, rb));
    // The app's own hourly job may take part too (it first runs 5 s after start), so the two runs here erase
    // at most the 30; what matters is that none is left and none was counted twice.
    assertTrue(ra.result() + rb.result() <= 30, ra.result() + " + " + rb.result());
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from registration where email like 'many%'"));
  }
}
