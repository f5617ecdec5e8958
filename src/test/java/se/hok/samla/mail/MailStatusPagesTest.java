package se.hok.samla.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;

/** Organisers see what mail failed and why, and can send it again. */
class MailStatusPagesTest {
  static TestApp app;
  static long eventId;

  @BeforeAll
  static void start() {
    app = TestApp.start(java.util.Map.of("SAMLA_SEND_MAIL", "false"));
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

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void failedMailIsShownWithItsErrorAndCanBeSentAgain() {
    PageSession organiser = PageSession.staff(app, "organiser").assign(eventId, "organiser");
    String html = organiser.get("/arrangor/evenemang/" + eventId + "/e-post").bodyAsString();
    assertTrue(html.contains("Misslyckades"), html);
    assertTrue(html.contains("550 mailbox unavailable"));
    assertTrue(html.contains("maja@example.org"));
    Object mailId = Db.column(app.databaseUrl, "select id from outbox where event_id = " + eventId).get(0);
    var r = organiser.post("/arrangor/evenemang/" + eventId + "/e-post", "/arrangor/evenemang/" + eventId + "/e-post/" + mailId
        + "/skicka-igen", MultiMap.caseInsensitiveMultiMap());
    assertEquals(302, r.statusCode());
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from outbox where event_id = " + eventId
        + " and sent_at is null and failed_at is null"), "a fresh row for the worker");
    assertEquals(404, organiser.post("/arrangor/evenemang/" + eventId + "/e-post", "/arrangor/evenemang/" + eventId
        + "/e-post/999999/skicka-igen", MultiMap.caseInsensitiveMultiMap()).statusCode());
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
  void thePageIsAccessible() {
    try (Browser browser = Browser.start()) {
      browser.open(app.url("/login"));
      browser.driver().findElement(org.openqa.selenium.By.id("email")).sendKeys(TestApp.ADMIN_EMAIL);
      browser.driver().findElement(org.openqa.selenium.By.id("password")).sendKeys(TestApp.ADMIN_PASSWORD + "\n");
      browser.waitUntil(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/arrangor"));
      browser.open(app.url("/arrangor/evenemang/" + eventId + "/e-post"));
      browser.assertAccessible("mail status page");
    }
  }
}
