package se.hok.samla.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** Organisers see what mail failed and why, and can send it again. */
@WithSamla(env = "SAMLA_SEND_MAIL=false")
class MailStatusPagesTest {
  static TestApp app;
  static long eventId;

  @BeforeAll
  static void start() {
    String organiser = app.tokenFor("organiser");
    OffsetDateTime start = OffsetDateTime.now().plusDays(30);
    eventId = PublishedEvent.by(app, organiser).with("title", "Seminarium om e-post").kind("seminarium").startsAt(start)
        .endsAt(start.plusHours(2)).capacity(5).with("onlineUrl", "https://example.org")
        .with("registrationOpensAt", null).publishId();
    await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .sendJsonObject(new JsonObject().put("name", "Maja Mejl").put("email", "maja@example.org")));
    // What the worker leaves behind when the mail server refused for a day.
    Db.exec(app.databaseUrl, "update outbox set failed_at = now(), outcome = 'failed', attempts = 12, "
        + "last_error = '550 mailbox unavailable' where event_id = " + eventId);
  }

  @Test
  void failedMailIsShownWithItsErrorAndCanBeSentAgain() {
    PageSession organiser = PageSession.staff(app, "organiser").assign(eventId, "organiser");
    String html = organiser.get("/arrangor/evenemang/" + eventId + "/e-post").bodyAsString();
    assertTrue(html.contains("Misslyckades"), html);
    assertTrue(html.contains("550 mailbox unavailable"));
    assertTrue(html.contains("maja@example.org"));
    Object mailId = Db.column(app.databaseUrl, "select id from outbox where event_id = " + eventId + " order by id").get(0);
    var r = organiser.post("/arrangor/evenemang/" + eventId + "/e-post", "/arrangor/evenemang/" + eventId + "/e-post/" + mailId
        + "/skicka-igen", MultiMap.caseInsensitiveMultiMap());
    assertEquals(302, r.statusCode());
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from outbox where resend_of = " + mailId
        + " and sent_at is null and failed_at is null"), "a fresh row for the worker");
    assertEquals(404, organiser.post("/arrangor/evenemang/" + eventId + "/e-post", "/arrangor/evenemang/" + eventId
        + "/e-post/999999/skicka-igen", MultiMap.caseInsensitiveMultiMap()).statusCode());
  }

  /** A new participant of the event, whose ticket mail is then the only outbox row of that registration. */
  static long mailOfNewParticipant(String email) {
    await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .sendJsonObject(new JsonObject().put("name", "Per Person").put("email", email)));
    return (Long) Db.column(app.databaseUrl, "select o.id from outbox o join registration r on r.id = o.registration_id "
        + "where r.email = '" + email + "'").get(0);
  }

  static String resend(PageSession organiser, long mailId) {
    var r = organiser.post("/arrangor/evenemang/" + eventId + "/e-post", "/arrangor/evenemang/" + eventId + "/e-post/" + mailId
        + "/skicka-igen", MultiMap.caseInsensitiveMultiMap());
    assertEquals(302, r.statusCode());
    return r.getHeader("Location");
  }

  static long rowsFor(String email) {
    return (Long) Db.column(app.databaseUrl, "select count(*) from outbox o join registration r on r.id = o.registration_id "
        + "where r.email = '" + email + "'").get(0);
  }

  @Test
  void aMailStillWaitingGoesOutNowAndOnlyOnce() {
    long mailId = mailOfNewParticipant("waiting@example.org");
    Db.exec(app.databaseUrl, "update outbox set available_at = now() + interval '40 minutes', attempts = 5, "
        + "last_error = '421 try later' where id = " + mailId);
    PageSession organiser = PageSession.staff(app, "organiser").assign(eventId, "organiser");
    String page = resend(organiser, mailId);
    assertTrue(page.endsWith("?skickat=nu"), page);
    assertTrue(resend(organiser, mailId).endsWith("?skickat=nu"), "a second click changes nothing either");
    assertEquals(1, rowsFor("waiting@example.org"), "no second mail");
    assertEquals(List.of(true), Db.column(app.databaseUrl, "select available_at <= now() from outbox where id = " + mailId));
    assertTrue(organiser.get(page).bodyAsString().contains("Nu skickas det inom kort"));
  }

  @Test
  void aMailBeingSentIsLeftAlone() {
    long mailId = mailOfNewParticipant("sending@example.org");
    Db.exec(app.databaseUrl, "update outbox set available_at = now() + interval '30 seconds', "
        + "leased_until = now() + interval '30 seconds', attempts = 1 where id = " + mailId);
    PageSession organiser = PageSession.staff(app, "organiser").assign(eventId, "organiser");
    assertTrue(resend(organiser, mailId).endsWith("?skickat=pagar"));
    assertEquals(1, rowsFor("sending@example.org"));
    assertEquals(List.of(false), Db.column(app.databaseUrl, "select available_at <= now() from outbox where id = " + mailId),
        "its lease stands: sending it now too would send it twice");
  }

  @Test
  void aMailAlreadySentSaysSoAndADoubleClickMakesOneCopy() {
    long mailId = mailOfNewParticipant("sent@example.org");
    Db.exec(app.databaseUrl, "update outbox set sent_at = now(), outcome = 'sent', message_id = '<outbox-" + mailId
        + "@test>' where id = " + mailId);
    PageSession organiser = PageSession.staff(app, "organiser").assign(eventId, "organiser");
    String page = resend(organiser, mailId);
    assertTrue(page.endsWith("?skickat=skickat"), page);
    assertTrue(organiser.get(page).bodyAsString().contains("Mejlet hade redan skickats"));
    assertTrue(resend(organiser, mailId).endsWith("?skickat=vantar"), "the copy is already waiting");
    assertEquals(2, rowsFor("sent@example.org"), "the mail and one copy");
  }

  @Test
  void aRelayThatFellSilentIsShownInWords() {
    long mailId = mailOfNewParticipant("silent@example.org");
    Db.exec(app.databaseUrl, "update outbox set attempts = 2, last_error = '" + MailWorker.CONNECTION_LOST
        + " the mail server closed the connection or did not answer within 30 s' where id = " + mailId);
    String html = PageSession.staff(app, "organiser").assign(eventId, "organiser")
        .get("/arrangor/evenemang/" + eventId + "/e-post").bodyAsString();
    assertTrue(html.contains("E-postservern svarade inte"), html);
  }

  /**
   * The organiser's "needs to book" e-mail goes to the organiser: listed, but never under the address of a participant
   * it is about (as one queued per registration, before they were gathered, would otherwise be).
   */
  @Test
  void theOrganisersNeedsToBookMailIsNotShownAsAParticipants() {
    long mailId = mailOfNewParticipant("tolk@example.org");
    Db.exec(app.databaseUrl, "insert into outbox (kind, event_id, registration_id, payload) select 'organiser_alert', "
        + "event_id, registration_id, '{\"needs\": [\"teckensprakstolk\"]}' from outbox where id = " + mailId);
    String html = PageSession.staff(app, "organiser").assign(eventId, "organiser")
        .get("/arrangor/evenemang/" + eventId + "/e-post").bodyAsString();
    assertEquals(1, html.split("<td>tolk@example.org</td>", -1).length - 1, "only the participant's own e-mail: " + html);
  }

  @Test
  void onlyOrganisersMaySeeIt() {
    assertEquals(403, PageSession.staff(app, "viewer").get("/arrangor/evenemang/" + eventId + "/e-post").statusCode());
    assertEquals(403, PageSession.staff(app, "checkin").get("/arrangor/evenemang/" + eventId + "/e-post").statusCode());
    assertEquals(302, PageSession.anonymous(app).get("/arrangor/evenemang/" + eventId + "/e-post").statusCode());
    // An organiser of another event, or of none: refused alike, whether the event exists or not.
    assertEquals(403, PageSession.staff(app, "organiser").get("/arrangor/evenemang/" + eventId + "/e-post").statusCode());
    assertEquals(403, PageSession.staff(app, "organiser").get("/arrangor/evenemang/987654/e-post").statusCode());
    assertEquals(404, PageSession.signedIn(app, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD)
        .get("/arrangor/evenemang/987654/e-post").statusCode());
  }

  @Test
  @Tag(Browser.TAG)
  void thePageIsAccessible() {
    Browser browser = Browser.shared();
    browser.reset();
    browser.open(app.url("/login"));
    browser.driver().findElement(org.openqa.selenium.By.id("email")).sendKeys(TestApp.ADMIN_EMAIL);
    browser.driver().findElement(org.openqa.selenium.By.id("password")).sendKeys(TestApp.ADMIN_PASSWORD + "\n");
    browser.waitUntil(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/arrangor"));
    browser.open(app.url("/arrangor/evenemang/" + eventId + "/e-post"));
    browser.assertAccessible("mail status page");
  }
}
