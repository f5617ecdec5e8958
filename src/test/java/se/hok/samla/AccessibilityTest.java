package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * Every page a visitor or an organiser meets, checked by axe-core against WCAG 2.1 A and AA in headless Chromium,
 * plus signing in with the keyboard alone. A failure lists each violation (rule, element, markup, how to fix).
 */
@WithSamla(env = "SAMLA_DEMO=true")
@Tag(Browser.TAG)
class AccessibilityTest {
  private static final String CONFERENCE = "Samverkanskonferens med tema delaktighet";
  private static final String ONLINE = "Digitalt nätverk om diskriminering: första träffen";
  private static final String CANCELLED = "Remissmöte om Region Hallands kulturplan";
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private static TestApp app;
  private static Browser browser;

  @BeforeAll
  static void start() {
    browser = Browser.shared();
  }

  @BeforeEach
  void clean() {
    browser.reset();
  }

  // ------------------------------------------------------------------------------------------------ public pages

  @Test
  void calendarInSwedish() {
    open("/", "Kommande evenemang");
    assertEquals("sv", htmlLang());
    browser.screenshot(SCREENSHOTS.resolve("calendar.png"));
    browser.assertAccessible("calendar (sv)");
  }

  @Test
  void calendarInEnglish() {
    open("/?lang=en", "Upcoming events");
    assertEquals("en", htmlLang());
    browser.assertAccessible("calendar (en)");
  }

  @Test
  void calendarFiltered() {
    Object year = Db.column(app.databaseUrl, "select extract(year from starts_at at time zone 'Europe/Stockholm')::int"
        + " from event where title_sv = '" + CONFERENCE + "'").get(0);
    open("/?kind=samverkanskonferens&year=" + year, "Kommande evenemang");
    assertTrue(browser.driver().getPageSource().contains(CONFERENCE), "the filter keeps the conference");
    browser.assertAccessible("calendar filtered by kind and year");
  }

  @Test
  void pastEvents() {
    open("/tidigare", "Tidigare evenemang");
    browser.assertAccessible("past events");
  }

  @Test
  void eventPageWithSessions() {
    open("/evenemang/" + idOf(CONFERENCE), CONFERENCE);
    assertTrue(browser.driver().findElements(By.cssSelector("ul.sessions li")).size() >= 5, "sessions listed");
    browser.assertAccessible("upcoming event page with sessions (" + CONFERENCE + ")");
  }

  @Test
  void onlineEventPage() {
    open("/evenemang/" + idOf(ONLINE), ONLINE);
    browser.assertAccessible("online event page (" + ONLINE + ")");
  }

  @Test
  void cancelledEventPage() {
    open("/evenemang/" + idOf(CANCELLED), CANCELLED);
    browser.assertAccessible("cancelled event page (" + CANCELLED + ")");
  }

  @Test
  void privacyPage() {
    open("/integritet", "Integritet och personuppgifter");
    browser.assertAccessible("privacy page");
  }

  @Test
  void accessibilityStatement() {
    open("/tillganglighet", "Tillgänglighetsredogörelse för Samla");
    browser.assertAccessible("accessibility statement (sv)");
    open("/tillganglighet?lang=en", "Accessibility statement for Samla");
    browser.assertAccessible("accessibility statement (en)");
  }

  @Test
  void loginPage() {
    open("/login", "Logga in som arrangör");
    browser.assertAccessible("login page");
  }

  @Test
  void loginPageWithErrors() {
    open("/login", "Logga in som arrangör");
    WebDriver d = browser.driver();
    d.findElement(By.id("email")).sendKeys(TestApp.ADMIN_EMAIL);
    d.findElement(By.id("password")).sendKeys("not-the-password");
    d.findElement(By.cssSelector("form.form button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error-summary")));
    assertEquals("true", d.findElement(By.id("email")).getDomAttribute("aria-invalid"));
    browser.assertAccessible("login page with errors (wrong password)");
  }

  @Test
  void forgotPasswordPage() {
    open("/losenord/glomt", "Glömt lösenordet?");
    browser.assertAccessible("forgot-password page");
  }

  @Test
  void notFoundPage() {
    open("/finns-inte", "Sidan finns inte");
    browser.assertAccessible("404 page");
  }

  // ------------------------------------------------------------------------------------------------ organiser

  @Test
  void organiserSignsInWithTheKeyboardAndTheBackOfficeIsAccessible() {
    WebDriver d = browser.driver();
    if (!signInWithTheKeyboard()) {
      // Known race (see PublicPagesTest.signedInSessionIsStoredBeforeTheRedirect): the redirect after signing in can
      // arrive before the session is stored. Not what this test is about, so try once more.
      System.err.println("[AccessibilityTest] signed-in session lost after the redirect; signing in again");
      browser.reset();
      assertTrue(signInWithTheKeyboard(), "signing in with the keyboard leads to the organiser dashboard");
    }

    List<String> failures = new ArrayList<>();
    check(failures, "organiser dashboard");

    open("/arrangor/evenemang/ny", "Nytt evenemang");
    check(failures, "new-event form");

    // Sent empty: the error state.
    d.findElement(By.cssSelector("form.form > button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error-summary")));
    assertEquals(1, d.findElements(By.cssSelector(".error-summary a[href='#title']")).size(),
        "the error summary links to the title field");
    browser.screenshot(SCREENSHOTS.resolve("event-form-errors.png"));
    check(failures, "new-event form with errors (sent empty)");
    // WCAG 2.4.4 (A): each link's purpose must be clear from its text (and list item). Five links all saying
    // "Fyll i det här fältet." leave a screen-reader user guessing which field each one is about.
    List<WebElement> links = d.findElements(By.cssSelector(".error-summary a"));
    List<String> texts = links.stream().map(WebElement::getText).toList();
    if (new HashSet<>(texts).size() != texts.size()) {
      failures.add("new-event form with errors: the error summary has links to different fields with the same text"
          + " (WCAG 2.4.4 Link Purpose, 3.3.1 Error Identification); name the field in each link:\n"
          + links.stream().map(a -> "  - " + a.getDomAttribute("href") + " \"" + a.getText() + "\"")
              .collect(Collectors.joining("\n")));
    }

    open("/arrangor/evenemang/" + idOf(CONFERENCE), "Redigera evenemang");
    check(failures, "edit form of an event with sessions");

    open("/arrangor?tidigare=1", "Arrangörens översikt");
    check(failures, "organiser overview, past events");

    open("/arrangor/evenemang/" + idOf(CONFERENCE) + "/installa", "Ställa in evenemanget");
    check(failures, "the page that asks before an event is cancelled");

    String someone = se.hok.samla.support.SignUps.byOrganiser(app, app.adminToken(), idOf(CONFERENCE),
        new io.vertx.core.json.JsonObject().put("name", "Axel Axesson").put("email", "axel.axe@example.org")).getString("id");
    open("/arrangor/evenemang/" + idOf(CONFERENCE) + "/anmalningar/" + someone + "/ta-bort", "Ta bort en anmälan");
    check(failures, "the page that asks before a registration is removed");

    open("/arrangor/lokaler", "Lokaler");
    check(failures, "venues page");

    open("/admin/personal", "Personal");
    check(failures, "staff page");

    open("/arrangor/evenemang/" + idOf(CONFERENCE) + "/personal", "Personal för evenemanget");
    check(failures, "the event's staff page");
    d.findElement(By.cssSelector("form.form > button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error-summary")));
    check(failures, "the event's staff page with errors (no person chosen)");

    open("/konto/nycklar", "Mina API-nycklar");
    check(failures, "own API keys");

    open("/admin/logg", "Granskningslogg");
    check(failures, "audit log");

    open("/konto/losenord", "Byt lösenord");
    check(failures, "change-password page");

    open("/arrangor/organisationer", "Organisationer och parter");
    check(failures, "organisations page (new names, parties)");

    if (!failures.isEmpty()) {
      fail(failures.size() + " organiser page problem(s):\n\n" + String.join("\n\n", failures));
    }
  }

  /**
   * From the top of the login page with the keyboard alone: Tab to the skip link, Enter, Tab to the e-mail field,
   * type, Tab to the password, type, Enter. True when the organiser dashboard shows.
   */
  private static boolean signInWithTheKeyboard() {
    WebDriver d = browser.driver();
    open("/login", "Logga in som arrangör");
    tab();
    assertTrue(String.valueOf(activeElement().getDomAttribute("class")).contains("skip-link"),
        "the first Tab stop is the skip link, was " + describe(activeElement()));
    new Actions(d).sendKeys(Keys.ENTER).perform();
    assertEquals("main", activeElement().getDomAttribute("id"), "the skip link moves focus to the main content");
    tab();
    assertEquals("email", activeElement().getDomAttribute("id"),
        "after the skip link, Tab reaches the e-mail field; was " + describe(activeElement()));
    new Actions(d).sendKeys(TestApp.ADMIN_EMAIL).perform();
    tab();
    assertEquals("password", activeElement().getDomAttribute("id"), "Tab goes from e-mail to password");
    new Actions(d).sendKeys(TestApp.ADMIN_PASSWORD).sendKeys(Keys.ENTER).perform();
    browser.waitUntil(ExpectedConditions.not(ExpectedConditions.urlToBe(app.url("/login"))));
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
    return d.getCurrentUrl().equals(app.url("/arrangor"))
        && d.findElement(By.tagName("h1")).getText().contains("Arrangörens översikt");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** Opens a page and makes sure it is the page meant (so axe never judges an error page by mistake). */
  private static void open(String path, String heading) {
    browser.open(app.url(path));
    waitForHeading(heading);
  }

  private static void waitForHeading(String heading) {
    try {
      browser.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), heading),
          Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      fail("expected a page with the heading \"" + heading + "\" at " + browser.driver().getCurrentUrl()
          + " but the page says: " + browser.driver().findElement(By.tagName("body")).getText());
    }
  }

  private static void check(List<String> failures, String description) {
    try {
      browser.assertAccessible(description);
    } catch (AssertionError e) {
      failures.add(e.getMessage());
    }
  }

  private static void tab() {
    new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
  }

  private static WebElement activeElement() {
    return browser.driver().switchTo().activeElement();
  }

  private static String describe(WebElement e) {
    return "<" + e.getTagName() + " id=\"" + e.getDomAttribute("id") + "\" class=\"" + e.getDomAttribute("class") + "\">";
  }

  private static String htmlLang() {
    return (String) ((JavascriptExecutor) browser.driver()).executeScript("return document.documentElement.lang");
  }

  private static long idOf(String title) {
    return ((Number) Db.column(app.databaseUrl,
        "select id from event where title_sv = '" + title.replace("'", "''") + "'").get(0)).longValue();
  }
}
