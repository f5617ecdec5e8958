package se.hok.samla.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.hok.samla.followup.Attendance.Person;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** The survey and the results pages, checked by axe-core (WCAG 2.1 A/AA) in headless Chromium, sent without JavaScript help. */
@WithSamla
@Tag(Browser.TAG)
class FeedbackAccessibilityTest {
  static TestApp app;
  static Browser browser;
  static Attendance attendance;

  @BeforeAll
  static void start() {
    browser = Browser.shared();
    attendance = new Attendance(app);
  }

  @AfterAll
  static void stop() {
    browser.reset();
  }

  @BeforeEach
  void clean() {
    browser.reset();
    // reset() deletes the cookies of the page it is on; a class before this one may have left it elsewhere
    // (chrome://…) with cookies of its own app on localhost (another port, same cookie jar): delete them here.
    browser.open(app.url("/integritet"));
    browser.driver().manage().deleteAllCookies();
  }

  @Test
  void theSurveyItsErrorsAndTheClosedPage() {
    long id = attendance.eventEnded("Dialogmöte om tillgänglighet", 3);
    Person p = attendance.register(id, "Alva Axe", "alva.axe@example.org");
    attendance.endedHoursAgo(id, 3);
    attendance.checkIn(id, p);
    String path = attendance.surveyPath(p);
    WebDriver d = browser.driver();
    List<String> failures = new ArrayList<>();

    open(path, "Vad tyckte du om Dialogmöte om tillgänglighet?");
    check(failures, "survey form");

    // Sent with a text but no rating: the error state, with the text kept.
    d.findElement(By.id("improve")).sendKeys("Större text på skyltarna");
    d.findElement(By.cssSelector("form.form button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error-summary")));
    assertEquals("Större text på skyltarna", d.findElement(By.id("improve")).getDomProperty("value"));
    assertEquals(1, d.findElements(By.cssSelector(".error-summary a[href='#rating']")).size());
    check(failures, "survey form with errors");

    // Answered: the saved notice.
    d.findElement(By.id("rating-4")).click();
    d.findElement(By.cssSelector("form.form button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".notice-success")));
    check(failures, "survey form after saving");

    open(path + "?lang=en", "What did you think of");
    check(failures, "survey form (en)");

    Db.exec(app.databaseUrl, "update event set feedback_closes_at = now() - interval '1 minute' where id = " + id);
    open(path + "?lang=sv", "Enkäten är stängd");
    check(failures, "closed survey");

    open("/utvardering/finns-inte", "Länken till enkäten fungerar inte");
    check(failures, "unknown survey link");

    if (!failures.isEmpty()) {
      fail(String.join("\n\n", failures));
    }
  }

  @Test
  void theResultsPage() {
    long id = attendance.eventEnded("Workshop om demokrati", 3);
    Person p = attendance.register(id, "Bea Resultat", "bea.axe@example.org");
    attendance.endedHoursAgo(id, 3);
    attendance.checkIn(id, p);
    String path = attendance.surveyPath(p);
    PageSession person = PageSession.anonymous(app);
    assertEquals(303, person.post(path, path, MultiMap.caseInsensitiveMultiMap().add("rating", "4")
        .add("mostValuable", "Samtalen\nmed andra").add("improve", "").add("futureInterest", "Kvalitet")).statusCode());

    PageSession organiser = PageSession.staff(app, "organiser").assign(id, "organiser");
    String session = null;
    for (var c : organiser.client.cookieStore().get(false, "localhost", "/")) {
      if (c.name().equals("samla_session")) {
        session = c.value();
      }
    }
    // The organiser's session, signed in over HTTP, handed to the browser (on the page clean() left open).
    browser.driver().manage().addCookie(new Cookie("samla_session", session, "/"));
    List<String> failures = new ArrayList<>();
    open("/arrangor/evenemang/" + id + "/utvardering", "Utvärdering: Workshop om demokrati");
    check(failures, "results page");

    WebDriver d = browser.driver();
    // What a browser without a date picker sends when someone types the date their own way.
    ((JavascriptExecutor) d).executeScript("var f = document.getElementById('lastDay'); f.type = 'text'; f.value = '31/12';");
    d.findElement(By.cssSelector("form.form button[type=submit]")).click();
    try {
      browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error-summary")));
    } catch (RuntimeException e) {
      fail("no error summary at " + d.getCurrentUrl() + ": " + d.getPageSource());
    }
    check(failures, "results page with an error in the last day");
    if (!failures.isEmpty()) {
      fail(String.join("\n\n", failures));
    }
  }

  private static void open(String path, String heading) {
    browser.open(app.url(path));
    try {
      browser.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), heading), Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      fail("expected the heading \"" + heading + "\" at " + browser.driver().getCurrentUrl() + " but the page says: "
          + browser.driver().findElement(By.tagName("body")).getText());
    }
  }

  private static void check(List<String> failures, String description) {
    try {
      browser.assertAccessible(description);
    } catch (AssertionError e) {
      failures.add(e.getMessage());
    }
  }

}
