package se.hok.samla.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import se.hok.samla.mail.OrganiserAlerts;

/**
 * Signing people up the two ways there are: as the public (the answer says nothing; the manage link comes only by
 * e-mail, to the address) and as an organiser with an API token (the answer is the registration, never a link).
 * A test that acts as the participant gets the link where the participant does: from the e-mail.
 */
public final class SignUps {
  /** A manage link in an e-mail, as the participant sees it. */
  public static final Pattern MANAGE_LINK = Pattern.compile("/anmalan/([A-Za-z0-9_-]{20,})");

  private SignUps() {}

  /** A registration as its participant knows it: from the e-mail, and what the link then shows. */
  public record Participant(UUID id, String email, String token, String status) {}

  /** Signs up through the API as the public; asserts the one neutral answer. */
  public static void anonymously(TestApp app, long eventId, JsonObject body) {
    HttpResponse<Buffer> r = await(app.client.post("/api/v1/events/" + eventId + "/registrations").sendJsonObject(body));
    assertEquals(202, r.statusCode(), r.bodyAsString());
  }

  /**
   * Signs up as the public, lets the e-mail go, and takes the manage link from the e-mail that arrives for it (the
   * body's address must be one this test class uses for nothing else at the same time).
   */
  public static Participant participant(TestApp app, long eventId, JsonObject body) {
    String email = body.getString("email");
    int before = withLink(app, email).size();
    anonymously(app, eventId, body);
    String token = tokenOf(awaitWithLink(app, email, before + 1).get(0));
    JsonObject mine = await(app.client.get("/api/v1/registrations/" + token).send()).bodyAsJsonObject();
    return new Participant(UUID.fromString(mine.getString("id")), email, token, mine.getString("status"));
  }

  /** Signs up as an organiser (201): the registration's id, status, waiting-list place and late needs. */
  public static JsonObject byOrganiser(TestApp app, String organiserToken, long eventId, JsonObject body) {
    HttpResponse<Buffer> r = await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .putHeader("Authorization", "Bearer " + organiserToken).sendJsonObject(body));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** The manage link in the newest e-mail to the address that carries one, once waiting mail has gone. */
  public static String manageToken(TestApp app, String email) {
    return tokenOf(awaitWithLink(app, email, 1).get(0));
  }

  /** Sends what is in the outbox now, as the mail worker does on its next round, so a test need not wait for it. */
  public static void sendMail(TestApp app) {
    await(app.running.mailWorker().runOnce());
  }

  /**
   * Gathers the organiser's "needs to book" e-mails now, as the app's job does every few seconds (without its pause
   * between two e-mails of one event), so a test need not wait for it. The job may have gathered some already, or be
   * gathering at this instant (then this waits for it): what is certain afterwards is that every new need is in an
   * e-mail, not how many e-mails there are.
   */
  public static void gatherOrganiserAlerts(TestApp app) {
    await(new OrganiserAlerts(app.running.database().pool(), Duration.ZERO).gatherAllNow());
  }

  /** The e-mails to the address with a manage link, newest first, once at least {@code atLeast} have arrived. */
  public static List<MimeMessage> awaitWithLink(TestApp app, String email, int atLeast) {
    sendMail(app);
    for (int i = 0; i < 150; i++) {
      List<MimeMessage> found = withLink(app, email);
      if (found.size() >= atLeast) {
        return found;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no e-mail with a manage link to " + email);
  }

  /** Waits (up to 15 s) until no e-mail of the registration is waiting to be sent: each has gone, been skipped or given up. */
  public static void awaitMailSettled(TestApp app, String registrationId) {
    awaitNoMailWaiting(app, "registration_id = '" + registrationId + "'", "e-mail of " + registrationId);
  }

  /**
   * Waits (up to 15 s) until no e-mail of the event is waiting to be sent. One pass of the sender is not enough: the
   * app's own timer may hold some rows at that instant (they are leased, so the pass leaves them), and send them a
   * moment later.
   */
  public static void awaitEventMailSettled(TestApp app, long eventId) {
    awaitNoMailWaiting(app, "event_id = " + eventId, "e-mail of event " + eventId);
  }

  private static void awaitNoMailWaiting(TestApp app, String which, String what) {
    String waiting = "select count(*) from outbox where " + which + " and sent_at is null and failed_at is null";
    for (int i = 0; i < 150 && (Long) Db.column(app.databaseUrl, waiting).get(0) > 0; i++) {
      sendMail(app);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertEquals(0L, Db.column(app.databaseUrl, waiting).get(0), () -> what + " still waiting: "
        + Db.column(app.databaseUrl, "select kind || ', attempt ' || attempts || ', ' || coalesce(last_error, 'no error') "
            + "from outbox where " + which + " and sent_at is null and failed_at is null"));
  }

  /** The token of the manage link in an e-mail, if it has one. */
  public static Optional<String> link(MimeMessage m) {
    Matcher found = MANAGE_LINK.matcher(Mails.text(m, "text/plain"));
    return found.find() ? Optional.of(found.group(1)) : Optional.empty();
  }

  private static String tokenOf(MimeMessage m) {
    return link(m).orElseThrow();
  }

  private static List<MimeMessage> withLink(TestApp app, String email) {
    return Mails.to(app, email).stream().filter(m -> link(m).isPresent()).toList();
  }
}
