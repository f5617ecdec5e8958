package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.DebianPostgres;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.tickets.Ticket;
import se.hok.samla.tickets.TicketService;

/**
 * Backup and restore as docs/operations.md has the operator do them: {@code pg_dump --format=custom} of a Samla's
 * database, {@code pg_restore} into an empty database, and Samla started on that one has everything: every row of
 * every table, the people's manage links, the tickets (the events' signing keys), the check-ins, the staff's
 * passwords and API keys, and new sign-ups after it. On Debian's PostgreSQL 15 with its own client tools, the
 * database owned by a role that is no superuser (migrations, dump and restore all run as that role).
 */
class BackupRestoreTest {
  static DebianPostgres pg;

  @BeforeAll
  static void startPostgres() {
    var missing = DebianPostgres.missing();
    if (missing.isPresent()) {
      System.err.println("\n*** BackupRestoreTest SKIPPED: " + missing.get() + " ***\n");
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
    pg = DebianPostgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void aDumpRestoredIntoAnEmptyDatabaseIsTheSameSamla() throws Exception {
    assertTrue(pg.version().startsWith("15."), pg.version());
    String password = "samla-" + UUID.randomUUID();
    String original = pg.createDatabase("samla_live", "samla", password);

    // A Samla in use: an event with a session, a venue; people registered (one with needs, one waiting), one checked in.
    long eventId;
    String organiser;
    String organiserEmail = "organiser@backup.example";
    String organiserPassword = "lingon-snö-regn-" + UUID.randomUUID();
    SignUps.Participant anna;
    SignUps.Participant bo;
    SignUps.Participant waiting;
    Ticket annasTicket;
    String before;
    try (TestApp live = TestApp.startOn(original, Map.of())) {
      Db.exec(live.databaseUrl, "insert into staff_user (email, name, password_hash, role) values ('" + organiserEmail
          + "', 'Olle Organisatör', '" + Db.argon2(organiserPassword) + "', 'organiser')");
      organiser = live.token(organiserEmail, organiserPassword);
      eventId = PublishedEvent.by(live, organiser).title("Dialogmöte före backup").capacity(2)
          .startsAt(java.time.OffsetDateTime.now().plusHours(2).truncatedTo(java.time.temporal.ChronoUnit.MINUTES)).publishId();
      anna = SignUps.participant(live, eventId, new JsonObject().put("name", "Anna Andersson")
          .put("email", "anna@backup.example").put("consent", true)
          .put("needs", new JsonArray().add(new JsonObject().put("code", "annat").put("detail", "Ledsagare"))));
      bo = SignUps.participant(live, eventId, new JsonObject().put("name", "Bo Berg").put("email", "bo@backup.example"));
      waiting = SignUps.participant(live, eventId, new JsonObject().put("name", "Cissi Ceder")
          .put("email", "cissi@backup.example"));
      assertEquals("waitlisted", waiting.status());
      TicketService tickets = new TicketService(live.vertx, live.running.database().pool());
      annasTicket = await(tickets.current(anna.id(), eventId, false));
      live.assign(eventId, organiser, "organiser");
      assertEquals("ok", scan(live, organiser, eventId, annasTicket.code()).getString("result"));
      SignUps.awaitMailSettled(live, anna.id().toString());
      SignUps.awaitMailSettled(live, waiting.id().toString());
      before = Db.dataDump(live.databaseUrl);
    }

    Path dump = Files.createTempFile("samla-backup-", ".dump");
    String restoredUrl;
    try {
      pg.dump(original, dump);
      assertTrue(Files.size(dump) > 10_000, "a dump of " + Files.size(dump) + " bytes");
      restoredUrl = pg.createDatabase("samla_restored", "samla", password);
      pg.restore(dump, restoredUrl);
    } finally {
      Files.deleteIfExists(dump);
    }
    assertEquals(before, Db.dataDump(restoredUrl), "every row of every table, and every sequence, as it was");

    try (TestApp restored = TestApp.startOn(restoredUrl, Map.of())) {
      HttpResponse<Buffer> ready = await(restored.client.get("/health/ready").send());
      assertEquals(200, ready.statusCode(), ready.bodyAsString());
      // Staff: the admin's and the organiser's passwords, and the organiser's API key from before.
      assertTrue(restored.adminToken().startsWith("samla_"));
      assertEquals(200, await(restored.client.get("/api/v1/events/" + eventId + "/registrations")
          .putHeader("Authorization", "Bearer " + organiser).send()).statusCode(), "the API key made before the backup");
      JsonArray registered = await(restored.client.get("/api/v1/events/" + eventId + "/registrations")
          .putHeader("Authorization", "Bearer " + restored.token(organiserEmail, organiserPassword)).send())
          .bodyAsJsonObject().getJsonArray("registrations");
      assertEquals(List.of("Anna Andersson", "Bo Berg", "Cissi Ceder"),
          registered.stream().map(r -> ((JsonObject) r).getString("name")).toList());
      // The people, through the links in their e-mails.
      JsonObject annaNow = await(restored.client.get("/api/v1/registrations/" + anna.token()).send()).bodyAsJsonObject();
      assertEquals("confirmed", annaNow.getString("status"));
      assertEquals("Ledsagare", annaNow.getJsonArray("needs").getJsonObject(0).getString("detail"));
      assertEquals("confirmed", await(restored.client.get("/api/v1/registrations/" + bo.token()).send())
          .bodyAsJsonObject().getString("status"));
      assertEquals("waitlisted", await(restored.client.get("/api/v1/registrations/" + waiting.token()).send())
          .bodyAsJsonObject().getString("status"));
      // The ticket still verifies with the event's key, and the door knows she came in.
      assertEquals("already_checked_in", scan(restored, organiser, eventId, annasTicket.code()).getString("result"));
      // Life goes on: Bo cancels, Cissi moves up; a newcomer waits (the sequences carry on from where they were).
      assertEquals(200, await(restored.client.delete("/api/v1/registrations/" + bo.token()).send()).statusCode());
      assertEquals("confirmed", await(restored.client.get("/api/v1/registrations/" + waiting.token()).send())
          .bodyAsJsonObject().getString("status"));
      SignUps.Participant newcomer = SignUps.participant(restored, eventId, new JsonObject().put("name", "Dan Dal")
          .put("email", "dan@backup.example"));
      assertEquals("waitlisted", newcomer.status());
      assertEquals(List.of(3L), Db.column(restoredUrl, "select count(*) from registration where event_id = " + eventId
          + " and status in ('confirmed', 'waitlisted')"));
    }
  }

  private static JsonObject scan(TestApp app, String token, long eventId, String code) {
    HttpResponse<Buffer> r = await(app.client.post("/api/v1/checkins").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("eventId", eventId).put("code", code).put("deviceId", "Entré")
            .put("idempotencyKey", UUID.randomUUID().toString())));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }
}
