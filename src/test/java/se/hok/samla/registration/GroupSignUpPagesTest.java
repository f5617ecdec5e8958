package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * The public form for signing several people up: without JavaScript (plain form posts), with its errors per person in
 * Swedish through the error summary, and in a real browser (axe-core; "Lägg till en person" keeps what was typed).
 */
@WithSamla
class GroupSignUpPagesTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
  }


  static long event() {
    OffsetDateTime start = OffsetDateTime.now().plusDays(30);
    return PublishedEvent.by(app, organiser).title("Workshop för föreningar").kind("workshop").startsAt(start)
        .endsAt(start.plusHours(3)).capacity(30).atVenue().with("registrationOpensAt", null).publishId();
  }

  static List<Object> registered(long eventId) {
    return Db.column(app.databaseUrl, "select name || '|' || coalesce(email, '-') from registration where event_id = "
        + eventId + " order by waitlist_seq");
  }

  @Test
  void theFormSignsPeopleUpWithoutJavaScriptAndSkipsEmptyPeople() {
    long eventId = event();
    String path = "/evenemang/" + eventId + "/anmalan/grupp";
    PageSession contact = PageSession.anonymous(app);
    String form = contact.get(path).bodyAsString();
    assertTrue(form.contains("Person 3") && !form.contains("Person 4"), "three people to begin with");
    assertTrue(contact.get("/evenemang/" + eventId + "/anmalan").bodyAsString().contains(path), "linked from the sign-up form");

    String kontakt = "gun.kontakt." + System.nanoTime() + "@example.org";
    HttpResponse<Buffer> sent = contact.post(path, path, MultiMap.caseInsensitiveMultiMap()
        .add("idempotencyKey", java.util.UUID.randomUUID().toString()).add("rows", "3").add("language", "sv")
        .add("contact.name", "Gun Kontakt").add("contact.email", kontakt)
        .add("people[0].name", "Harriet Utan").add("people[0].email", "")
        .add("people[0].need.horslinga", "on")
        .add("people[1].name", "").add("people[1].email", "")
        .add("people[2].name", "Ingvar Egen").add("people[2].email", "ingvar." + System.nanoTime() + "@example.org")
        .add("consent", "true").add("action", "send"));
    assertEquals(303, sent.statusCode(), sent.bodyAsString());
    assertEquals("/evenemang/" + eventId + "/anmalan/klar", sent.getHeader("Location"));
    List<Object> people = registered(eventId);
    assertEquals(2, people.size(), people.toString());
    assertEquals("Harriet Utan|-", people.get(0));
    SignUps.sendMail(app);
    String mail = Mails.text(Mails.await(app, kontakt, 1).get(0), "text/plain");
    assertTrue(mail.contains("Harriet Utan") && !mail.contains("Ingvar Egen"), mail);
  }

  @Test
  void mistakesComeBackPerPersonInSwedishWithWhatWasTyped() {
    long eventId = event();
    String path = "/evenemang/" + eventId + "/anmalan/grupp";
    PageSession contact = PageSession.anonymous(app);
    contact.get(path);
    HttpResponse<Buffer> sent = contact.post(path, path, MultiMap.caseInsensitiveMultiMap()
        .add("rows", "3").add("contact.name", "Gun").add("contact.email", "gun@example.org")
        .add("people[0].name", "Jonna Dubbel").add("people[1].name", "jonna dubbel")
        .add("people[2].name", "Karin").add("people[2].email", "karin-at-example").add("action", "send"));
    assertEquals(422, sent.statusCode());
    String html = PageSession.unescape(sent.bodyAsString());
    assertTrue(html.contains("href=\"#people-1-name\">Person 2, Namn: Den här personen finns redan som person 1"), html);
    assertTrue(html.contains("href=\"#people-2-email\">Person 3, E-postadress: Ange en e-postadress"), html);
    assertTrue(html.contains("value=\"karin-at-example\""), "what was typed is kept");
    assertEquals(List.of(), registered(eventId), "nothing saved");

    HttpResponse<Buffer> none = contact.post(path, path, MultiMap.caseInsensitiveMultiMap()
        .add("rows", "3").add("contact.name", "Gun").add("contact.email", "gun@example.org").add("action", "send"));
    assertEquals(422, none.statusCode());
    assertTrue(PageSession.unescape(none.bodyAsString()).contains("href=\"#people\">Personer att anmäla: Fyll i minst en person"));
  }

  @Test
  @Tag(Browser.TAG)
  void inABrowserTheFormAndItsErrorsAreAccessibleAndAddingAPersonKeepsWhatWasTyped() {
    long eventId = event();
    Browser browser = Browser.shared();
    browser.reset();
    List<String> failures = new ArrayList<>();
    try {
      WebDriver d = browser.driver();
      browser.open(app.url("/evenemang/" + eventId + "/anmalan/grupp?lang=sv"));
      browser.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Anmäl flera personer"));
      check(browser, failures, "group form");
      d.findElement(By.id("contact-name")).sendKeys("Lena Kontakt");
      d.findElement(By.id("people-0-name")).sendKeys("Maj Utan");
      d.findElement(By.cssSelector("button[name=action][value=add]")).click();
      browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("people-3-name")), Duration.ofSeconds(5));
      assertEquals("Maj Utan", d.findElement(By.id("people-0-name")).getDomProperty("value"));
      assertEquals("Lena Kontakt", d.findElement(By.id("contact-name")).getDomProperty("value"));
      assertEquals("people-1-name", d.switchTo().activeElement().getDomAttribute("id"), "focus on the new person");
      d.findElement(By.cssSelector("button[name=action][value=send]")).click();
      browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error-summary")), Duration.ofSeconds(5));
      assertEquals(1, d.findElements(By.cssSelector(".error-summary a[href='#contact-email']")).size());
      check(browser, failures, "group form with errors");
    } finally {
      browser.reset();
    }
    if (!failures.isEmpty()) {
      fail(String.join("\n\n", failures));
    }
  }

  private static void check(Browser browser, List<String> failures, String description) {
    try {
      browser.assertAccessible(description);
    } catch (AssertionError e) {
      failures.add(e.getMessage());
    }
  }
}
