package se.hok.samla.events;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.hok.samla.support.Browser;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * The pages of issue 19 as people meet them, in headless Chromium, checked by axe-core against WCAG 2.1 A and AA:
 * the manage page with its ticket, handing over (with its errors, and the last look), the organiser's note on the
 * event form, the cancel page (with its errors), writing to the participants (with its errors) and the online
 * attendance list.
 */
@WithSamla
@Tag(Browser.TAG)
class NoticePagesAccessibilityTest {
  static TestApp app;
  static Browser browser;
  static long eventId;
  static String token;

  @BeforeAll
  static void start() {
    browser = Browser.shared();
    OffsetDateTime start = OffsetDateTime.now().plusDays(20).withHour(9).withMinute(0).withSecond(0).withNano(0);
    eventId = PublishedEvent.by(app, app.adminToken()).title("Framtidsforum om tillgänglighet").atVenue()
        .startsAt(start).endsAt(start.plusHours(5)).sessions(new JsonArray()
            .add(new JsonObject().put("title", "Verkstad").put("startsAt", start.plusHours(1).toString())
                .put("endsAt", start.plusHours(2).toString()).put("capacity", 20).put("room", "Sal 3")))
        .publishId();
    token = SignUps.participant(app, eventId, new JsonObject().put("name", "Ylva Ytterberg")
        .put("email", "ylva@example.org")).token();
  }

  @AfterAll
  static void stop() {
    browser.reset();
  }

  @Test
  void theParticipantsPagesAreAccessible() {
    browser.reset();
    List<String> failures = new ArrayList<>();
    open("/anmalan/" + token, "Din anmälan");
    assertTrue(browser.driver().findElements(By.cssSelector("img[src$='/biljett.png'][alt*='HÖK-']")).size() == 1,
        "the QR code with its reference as its text");
    check(failures, "manage page with the ticket");
    open("/anmalan/" + token + "/lamna-over", "Lämna över din plats");
    browser.driver().findElement(By.id("email")).sendKeys("ylva@example.org");
    submit("Fortsätt");
    waitFor(".error-summary");
    check(failures, "handing over, with its errors");
    browser.driver().findElement(By.id("name")).sendKeys("Åsa Åberg");
    browser.driver().findElement(By.id("email")).clear();
    browser.driver().findElement(By.id("email")).sendKeys("asa.aberg@example.org");
    submit("Fortsätt");
    waitForHeading("Kontrollera och lämna över");
    check(failures, "handing over: the last look");
    report(failures);
  }

  @Test
  void theOrganisersPagesAreAccessible() {
    browser.reset();
    signIn();
    List<String> failures = new ArrayList<>();
    open("/arrangor/evenemang/" + eventId, "Redigera evenemang");
    assertTrue(!browser.driver().findElements(By.id("changeNote")).isEmpty(), "the note to the participants");
    check(failures, "event form with the note to the participants");
    open("/arrangor/evenemang/" + eventId + "/installa", "Ställa in evenemanget");
    submit("Ja, ställ in evenemanget och meddela deltagarna");
    waitFor(".error-summary");
    check(failures, "cancel page, with its errors");
    open("/arrangor/evenemang/" + eventId + "/e-post", "E-post");
    submit("Skicka meddelandet");
    waitFor(".error-summary");
    check(failures, "mail page: writing to the participants, with its errors");
    open("/arrangor/evenemang/" + eventId + "/narvaro", "Närvaro");
    check(failures, "online attendance list");
    report(failures);
  }

  static void signIn() {
    open("/login", "Logga in");
    browser.driver().findElement(By.id("email")).sendKeys(TestApp.ADMIN_EMAIL);
    browser.driver().findElement(By.id("password")).sendKeys(TestApp.ADMIN_PASSWORD);
    browser.driver().findElement(By.id("password")).submit();
    browser.waitUntil(ExpectedConditions.not(ExpectedConditions.urlToBe(app.url("/login"))));
  }

  static void submit(String label) {
    browser.driver().findElement(By.xpath("//button[normalize-space(.)='" + label + "']")).click();
  }

  static void open(String path, String heading) {
    browser.open(app.url(path));
    waitForHeading(heading);
  }

  static void waitForHeading(String heading) {
    browser.awaitHeading(heading);
  }

  static void waitFor(String css) {
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
  }

  static void check(List<String> failures, String description) {
    try {
      browser.assertAccessible(description);
    } catch (AssertionError e) {
      failures.add(e.getMessage());
    }
  }

  static void report(List<String> failures) {
    if (!failures.isEmpty()) {
      fail(String.join("\n\n", failures));
    }
  }
}
