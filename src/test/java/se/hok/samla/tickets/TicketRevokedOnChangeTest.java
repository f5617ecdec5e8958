package se.hok.samla.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.events.EventService;
import se.hok.samla.mail.MailRenderer;
import se.hok.samla.mail.MailWorker;
import se.hok.samla.mail.TicketMailFiles;
import se.hok.samla.registration.RegistrationService;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.support.DoorVerdict;
import se.hok.samla.support.DoorVerdict.Verdict;

/**
 * Changing sessions revokes the old ticket in the change's own transaction: a scan right after the change is turned
 * away, before any e-mail has gone out; the "changed" e-mail then carries a new ticket that is valid. The mail worker
 * is run by hand here (the app's own worker is off), so "before any e-mail" is certain, not a race.
 */
@WithSamla(env = "SAMLA_SEND_MAIL=false")
class TicketRevokedOnChangeTest {
  static TestApp app;
  static MailWorker worker;
  static TicketService tickets;

  @BeforeAll
  static void start() {
    var pool = app.running.database().pool();
    RegistrationService registrations = new RegistrationService(pool, Clock.systemDefaultZone(), se.hok.samla.mail.Outbox.REGISTRATION_MAILS);
    tickets = new TicketService(app.vertx, pool);
    MailRenderer renderer = new MailRenderer(registrations, new EventService(pool, se.hok.samla.mail.Outbox.EVENT_MAILS),
        new TicketMailFiles(app.vertx, tickets, registrations, "localhost"), app.url(""));
    worker = new MailWorker(app.vertx, pool, app.running.mailClient(), renderer, "Samla <noreply@test.example>",
        "localhost", new MailWorker.Timing(Duration.ofMillis(100), Duration.ofMinutes(5), Duration.ofSeconds(30),
            Duration.ofHours(1), Duration.ofHours(24), 20));
  }

  @Test
  void changingSessionsRevokesTheOldCodeAtOnceAndTheChangedMailBringsAValidOne() throws Exception {
    String organiser = app.tokenFor("organiser");
    OffsetDateTime start = OffsetDateTime.now().plusDays(30).withHour(9).withMinute(0).withSecond(0).withNano(0);
    JsonObject published = PublishedEvent.by(app, organiser).with("title", "Dialogmöte").kind("samverkanskonferens").atVenue()
        .startsAt(start).endsAt(start.plusHours(7)).capacity(10).with("onlineUrl", "https://example.org/mote")
        .sessions(new JsonArray()
            .add(new JsonObject().put("title", "Workshop A").put("startsAt", start.withHour(10).toString())
                .put("endsAt", start.withHour(11).toString()).put("capacity", 5))
            .add(new JsonObject().put("title", "Workshop B").put("startsAt", start.withHour(10).toString())
                .put("endsAt", start.withHour(11).toString()).put("capacity", 5)))
        .publish();
    long eventId = published.getLong("id");
    JsonArray sessions = published.getJsonArray("sessions");
    long a = sessions.getJsonObject(0).getLong("id");
    long b = sessions.getJsonObject(1).getLong("id");

    SignUps.anonymously(app, eventId, new JsonObject().put("name", "Björn Ek").put("email", "bjorn@example.org")
        .put("sessions", new JsonArray().add(a)));

    // The confirmation goes out with the first ticket, and the link to the registration.
    await(worker.runOnce());
    MimeMessage confirmation = only("bjorn@example.org", 1);
    String oldCode = qrCode(confirmation);
    assertEquals(Verdict.VALID, DoorVerdict.of(app, oldCode));
    String manage = "/api/v1/registrations/" + SignUps.link(confirmation).orElseThrow();
    JsonObject mine = await(app.client.get(manage).send()).bodyAsJsonObject();
    assertEquals("confirmed", mine.getString("status"));

    // The person moves to the other workshop: the old code is dead from the commit on, no e-mail needed for that.
    HttpResponse<Buffer> changed = await(app.client.patch(manage)
        .sendJsonObject(new JsonObject().put("sessions", new JsonArray().add(b))));
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'changed' and sent_at is null "
        + "and registration_id = '" + mine.getString("id") + "'"), "the changed mail is not sent yet");
    only("bjorn@example.org", 1);  // no mail since the confirmation
    assertEquals(Verdict.REVOKED, DoorVerdict.of(app, oldCode), "the old code right after the change");

    // The changed e-mail issues the new ticket.
    await(worker.runOnce());
    MimeMessage changedMail = only("bjorn@example.org", 2);
    String newCode = qrCode(changedMail);
    assertNotEquals(oldCode, newCode);
    assertEquals(Verdict.VALID, DoorVerdict.of(app, newCode), "the new code from the changed mail");
    assertEquals(Verdict.REVOKED, DoorVerdict.of(app, oldCode), "the old code stays revoked");
  }

  @Test
  void aChangeTheTicketDoesNotCoverLeavesTheCodeValidUntilTheMail() throws Exception {
    OffsetDateTime start = OffsetDateTime.now().plusDays(20);
    long eventId = PublishedEvent.by(app, app.tokenFor("organiser")).with("title", "Seminarium").kind("samverkanskonferens").atVenue()
        .startsAt(start).endsAt(start.plusHours(2)).capacity(10).with("onlineUrl", "https://example.org/seminarium")
        .with("registrationOpensAt", null).publishId();
    SignUps.anonymously(app, eventId, new JsonObject().put("name", "Cecilia Ek").put("email", "cecilia@example.org"));
    await(worker.runOnce());
    MimeMessage confirmation = only("cecilia@example.org", 1);
    String code = qrCode(confirmation);

    assertEquals(200, await(app.client.patch("/api/v1/registrations/" + SignUps.link(confirmation).orElseThrow())
        .sendJsonObject(new JsonObject().put("phone", "070-123 45 67"))).statusCode());
    assertEquals(Verdict.VALID, DoorVerdict.of(app, code), "a new phone number does not change who may enter");
  }

  /** The newest mail to the address, once exactly {@code count} have arrived. */
  static MimeMessage only(String address, int count) {
    List<MimeMessage> to = Mails.to(app, address);
    assertEquals(count, to.size(), "mails to " + address);
    return to.get(0);
  }

  static String qrCode(Part p) throws Exception {
    var image = ImageIO.read(new java.io.ByteArrayInputStream(Mails.bytes(p, "image/png")));
    String code = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
        .getText();
    assertTrue(code.matches("[A-Z2-7]+"), code);
    return code;
  }
}
