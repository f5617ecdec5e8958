package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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
import se.hok.samla.support.Mails;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * The main flows with the keyboard alone, in headless Chromium: Tab moves, Space ticks, the arrow keys choose, Enter
 * sends – no clicks. Each step asserts where the focus lands and what a screen reader is told: the error summary that
 * takes the focus, its links that land on the field with its question in view, the door's live region.
 */
@WithSamla
@Tag(Browser.TAG)
class KeyboardFlowsTest {
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");

  private static TestApp app;
  private static Browser browser;
  private static String organiserToken;
  private static long event;

  @BeforeAll
  static void start() {
    organiserToken = app.adminToken();
    OffsetDateTime day = OffsetDateTime.now(STOCKHOLM).plusDays(40).truncatedTo(ChronoUnit.DAYS).withHour(9);
    event = PublishedEvent.by(app, organiserToken).title("Workshop om delaktighet").startsAt(day).endsAt(day.plusHours(7))
        .capacity(30).sessions(new JsonArray()
            .add(session("Workshop A", day.plusHours(1)))
            .add(session("Workshop B", day.plusHours(1))))
        .with("organiserEmail", "hok@example.org").atVenue().publishId();
    browser = Browser.shared();
  }

  @BeforeEach
  void clean() {
    browser.reset();
  }

  // ------------------------------------------------------------------------------------------------ signing up

  @Test
  void signingUpWithTwoNeedsAndACompanionAndCorrectingMistakesThroughTheErrorSummary() {
    WebDriver d = browser.driver();
    int seatsBefore = (Integer) Db.column(app.databaseUrl, "select seats_taken from event where id = " + event).get(0);
    browser.open(app.url("/evenemang/" + event + "/anmalan"));
    assertTrue(d.findElements(By.cssSelector("input[name='need.ledsagare']")).isEmpty(),
        "the companion is asked once: not also among the needs");

    tabTo("name");
    type("Kim Tangent");
    tabTo("email");
    type("kim.tangent");  // no @: a mistake
    tabTo("session-0-none");  // the slot's radio group is one Tab stop, on its checked "none"
    keys(Keys.ARROW_UP);  // … and the arrow keys choose: Workshop B
    tabTo("needs");  // the first need: Hörslinga
    keys(Keys.SPACE);
    tabTo("need-teckensprakstolk");
    keys(Keys.SPACE);
    assertFalse(d.findElement(By.id("needs-annat")).isDisplayed(), "a need's detail box shows only once it is ticked");
    tabTo("need-specialkost");
    keys(Keys.SPACE);  // ticked: its box appears, the next Tab stop
    tab();
    assertEquals("needs-specialkost", active().getDomAttribute("id"));
    type("Svår nötallergi");
    shiftTab();
    keys(Keys.SPACE);  // the allergy written down, its need unticked again: a mistake too – and the text stays in view
    assertTrue(d.findElement(By.id("needs-specialkost")).isDisplayed(), "a box with text is never hidden");
    tabTo("companion");
    keys(Keys.SPACE);
    tabTo("consent");
    keys(Keys.SPACE);
    tabUntil(e -> "button".equals(e.getTagName()) && "submit".equals(e.getDomAttribute("type")), "the submit button");
    keys(Keys.ENTER);

    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error-summary")));
    assertTrue(d.getTitle().startsWith("Fel: "), "the title says there are errors: " + d.getTitle());
    WebElement summary = d.findElement(By.cssSelector(".error-summary"));
    assertEquals(summary, active(), "the error summary has the focus when the page loads, and is read out first");
    List<String> links = summary.findElements(By.tagName("a")).stream().map(a -> a.getDomAttribute("href")).toList();
    assertEquals(List.of("#email", "#needs-specialkost"), links, "one link per mistake, in the form's order");
    String detailError = d.findElement(By.id("needs-specialkost-error")).getText();
    assertTrue(detailError.contains("inte kryssat i behovet"), "the message is repeated at the box: " + detailError);
    assertEquals("Svår nötallergi", d.findElement(By.id("needs-specialkost")).getDomProperty("value"), "nothing typed is lost");

    // The first link: to the address, its label in view.
    tab();
    assertEquals("#email", active().getDomAttribute("href"));
    keys(Keys.ENTER);
    assertEquals("email", active().getDomAttribute("id"), "the link moves the focus to the field");
    assertInView(d.findElement(By.cssSelector("label[for=email]")), "the e-mail field's label");
    assertTrue(d.findElement(By.id("email-error")).getText().contains("namn@exempel.se"), "what to do, at the field");
    selectAll();
    type("kim.tangent@example.org");

    // Back to the summary's second link: to the allergy box, its label in view, the text still there.
    shiftTabUntil(e -> "#needs-specialkost".equals(e.getDomAttribute("href")), "the summary's link to the allergy box");
    keys(Keys.ENTER);
    assertEquals("needs-specialkost", active().getDomAttribute("id"));
    assertInView(d.findElement(By.cssSelector("label[for=needs-specialkost]")), "the allergy box's label");
    // The need it belongs to is the Tab stop just before it: tick it.
    shiftTab();
    assertEquals("need-specialkost", active().getDomAttribute("id"), "the need's checkbox is right above its box");
    keys(Keys.SPACE);
    tabUntil(e -> "button".equals(e.getTagName()) && "submit".equals(e.getDomAttribute("type")), "the submit button");
    keys(Keys.ENTER);

    browser.waitUntil(ExpectedConditions.textToBe(By.tagName("h1"), "Tack – kolla din e-post"));
    String email = "kim.tangent@example.org";
    assertEquals(List.of("horslinga|", "specialkost|Svår nötallergi", "teckensprakstolk|"), Db.column(app.databaseUrl,
        "select n.need_code || '|' || coalesce(n.detail, '') from registration_need n join registration r"
            + " on r.id = n.registration_id where r.email = '" + email + "' order by 1"));
    assertEquals(List.of(true), Db.column(app.databaseUrl, "select companion from registration where email = '" + email + "'"));
    assertEquals(List.of(seatsBefore + 2), Db.column(app.databaseUrl, "select seats_taken from event where id = " + event),
        "the companion has a seat of their own");

    // The receipt page says nothing (anyone may type any address); the e-mail lists exactly what was registered.
    String mail = Mails.text(SignUps.awaitWithLink(app, email, 1).get(0), "text/plain");
    for (String registered : List.of("Workshop B", "Hörslinga/teleslinga", "Teckenspråkstolk", "Specialkost/allergi: Svår nötallergi",
        "Ledsagare eller personlig assistent", "Ja, med egen plats", "Kim Tangent")) {
      assertTrue(mail.contains(registered), registered + " in the confirmation:\n" + mail);
    }
  }

  // ------------------------------------------------------------------------------------------------ the manage link

  @Test
  void changingAndCancellingThroughTheManageLink() {
    String email = "tangent.andra@example.org";
    SignUps.anonymously(app, event, new JsonObject().put("name", "Tove Tangent").put("email", email));
    String token = SignUps.manageToken(app, email);
    WebDriver d = browser.driver();
    browser.open(app.url("/anmalan/" + token));
    browser.waitUntil(ExpectedConditions.textToBe(By.tagName("h1"), "Din anmälan"));

    tabTo("diet");  // the first kind of food: vegetarian
    keys(Keys.SPACE);
    tabUntil(e -> "Spara ändringarna".equals(e.getText().strip()), "Spara ändringarna");
    // The next Tab stop after "Spara" never does anything irreversible: it leads to a page that asks first.
    tab();
    WebElement next = active();
    assertEquals("a", next.getTagName(), "after Spara comes a link, not a button that acts: " + next.getText());
    shiftTab();
    keys(Keys.ENTER);

    WebElement saved = waitFor(".notice-success[role=status]");
    assertEquals("Dina ändringar är sparade.", saved.getText());
    assertEquals(List.of("{vegetarisk}"), Db.column(app.databaseUrl, "select diet::text from registration where email = '" + email + "'"));

    tabUntil(e -> "Avboka anmälan".equals(e.getText().strip()), "Avboka anmälan");
    keys(Keys.ENTER);
    browser.waitUntil(ExpectedConditions.textToBe(By.tagName("h1"), "Vill du avboka?"));
    assertTrue(d.findElement(By.id("confirm-text")).getText().contains("e-post"), "says who is e-mailed");
    assertEquals(List.of("confirmed"), Db.column(app.databaseUrl, "select status from registration where email = '" + email + "'"),
        "nothing happens before the deliberate choice");
    tabUntil(e -> e.getText().strip().startsWith("Ja, avboka"), "the button that cancels");
    keys(Keys.ENTER);
    WebElement cancelled = waitFor(".notice-success[role=status]");
    assertTrue(cancelled.getText().startsWith("Din anmälan är avbokad."), cancelled.getText());
    assertEquals(List.of("cancelled"), Db.column(app.databaseUrl, "select status from registration where email = '" + email + "'"));
  }

  // ------------------------------------------------------------------------------------------------ the door

  @Test
  void atTheDoorByTypedTicketNumberAndByNameThenUndo() {
    // The door opens 12 hours before the start: an event later today.
    OffsetDateTime soon = OffsetDateTime.now(STOCKHOLM).plusHours(2).truncatedTo(ChronoUnit.MINUTES);
    long event = PublishedEvent.by(app, organiserToken).title("Dialogmöte vid dörren").startsAt(soon)
        .endsAt(soon.plusHours(3)).capacity(30).atVenue().publishId();
    JsonObject vera = SignUps.byOrganiser(app, organiserToken, event, new JsonObject().put("name", "Vera Nummer")
        .put("email", "vera.nummer@example.org"));
    SignUps.byOrganiser(app, organiserToken, event, new JsonObject().put("name", "Nils Namnsson")
        .put("email", "nils.namnsson@example.org"));
    SignUps.awaitMailSettled(app, vera.getString("id"));
    String reference = (String) Db.column(app.databaseUrl, "select reference from ticket where registration_id = '"
        + vera.getString("id") + "' and revoked_at is null").get(0);

    signIn();
    WebDriver d = browser.driver();
    browser.open(app.url("/arrangor/evenemang/" + event + "/incheckning"));
    browser.waitUntil(ExpectedConditions.attributeToBe(By.id("desk"), "data-ready", "true"), Duration.ofSeconds(30));
    WebElement result = d.findElement(By.id("result"));
    assertEquals("assertive", result.getDomAttribute("aria-live"), "the result is announced");
    js("window.connectionChanges = 0; new MutationObserver(function () { window.connectionChanges++; })"
        + ".observe(document.getElementById('connection'), { childList: true, subtree: true, characterData: true });");

    // The ticket number, as the person says it, typed the way people type it.
    assertEquals("code", active().getDomAttribute("id"), "the code field has the focus when the door opens");
    type(reference.toLowerCase().replace("-", " ") + Keys.ENTER);
    browser.waitUntil(ExpectedConditions.attributeToBe(result, "data-result", "ok"));
    assertTrue(result.getText().contains("Välkommen") && result.getText().contains("Vera Nummer"), result.getText());
    assertEquals("code", active().getDomAttribute("id"), "the focus stays in the code field, ready for the next");

    // By name: Tab to the search, type, Enter; Tab to the person's button, Enter.
    tabTo("q");
    type("Namnsson" + Keys.ENTER);
    browser.waitUntil(ExpectedConditions.textToBe(By.id("search-status"), "1 träff"));
    tabUntil(e -> "button".equals(e.getTagName()) && e.getText().contains("Checka in") && e.getText().contains("Nils Namnsson"),
        "Checka in Nils Namnsson");
    keys(Keys.ENTER);
    browser.waitUntil(ExpectedConditions.textToBePresentInElement(result, "Nils Namnsson"));
    assertTrue(result.getText().contains("Välkommen"), result.getText());
    assertEquals("q", active().getDomAttribute("id"), "back in the search, ready for the next name");

    // Undo the last one.
    shiftTabUntil(e -> "undo".equals(e.getDomAttribute("id")), "Ångra senaste incheckningen");
    keys(Keys.ENTER);
    browser.waitUntil(ExpectedConditions.textToBePresentInElement(result, "ångrades"));
    assertEquals("Incheckningen av Nils Namnsson ångrades", result.getText().strip());
    assertEquals("code", active().getDomAttribute("id"), "after undoing, the focus goes to the code field");
    assertEquals(List.of(1L, 0L), Db.column(app.databaseUrl, "select count(*) filter (where c.undone_at is null) from checkin c"
        + " join registration r on r.id = c.registration_id where r.name in ('Vera Nummer', 'Nils Namnsson')"
        + " group by r.name order by r.name desc"));
    assertEquals(0L, ((Number) js("return window.connectionChanges;")).longValue(),
        "the connection line stayed silent: it speaks only when the connection changes");
  }

  // ------------------------------------------------------------------------------------------------ cancelling an event

  @Test
  void cancellingAnEventTakesAPageThatSaysWhoIsToldAndADeliberateChoice() {
    long doomed = PublishedEvent.by(app, organiserToken).title("Seminarium som ställs in").capacity(10).publishId();
    SignUps.byOrganiser(app, organiserToken, doomed, new JsonObject().put("name", "Inger Inställd").put("email", "inger@example.org"));
    signIn();
    WebDriver d = browser.driver();
    browser.open(app.url("/arrangor/evenemang/" + doomed));
    tabUntil(e -> "button".equals(e.getTagName()) && "Spara".equals(e.getText().strip()), "Spara");
    tab();
    WebElement next = active();
    assertFalse("button".equals(next.getTagName()), "the next Tab stop after Spara is no button: " + next.getText());
    assertTrue(next.getDomAttribute("href").endsWith("/arrangor/evenemang/" + doomed + "/installa"), next.getDomAttribute("href"));
    keys(Keys.ENTER);

    browser.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Ställa in evenemanget"));
    String consequences = d.findElement(By.id("cancel-consequences")).getText();
    assertTrue(consequences.contains("1 med plats och 0 på väntelistan"), consequences);
    assertEquals(List.of("published"), Db.column(app.databaseUrl, "select status from event where id = " + doomed),
        "nothing is cancelled by opening the page");
    tabUntil(e -> "reason".equals(e.getDomAttribute("id")), "the reason");
    active().sendKeys("Föreläsaren är sjuk.");
    tabUntil(e -> e.getText().strip().startsWith("Ja, ställ in evenemanget"), "the button that cancels");
    keys(Keys.ENTER);
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".notice-warning[role=status]")));
    assertEquals(List.of("cancelled"), Db.column(app.databaseUrl, "select status from event where id = " + doomed));
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'event_cancelled' and event_id = " + doomed));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static JsonObject session(String title, OffsetDateTime start) {
    return new JsonObject().put("title", title).put("startsAt", start.toString()).put("endsAt", start.plusHours(1).toString())
        .put("capacity", 30);
  }

  private static void signIn() {
    WebDriver d = browser.driver();
    browser.open(app.url("/login"));
    d.findElement(By.id("email")).sendKeys(TestApp.ADMIN_EMAIL);
    d.findElement(By.id("password")).sendKeys(TestApp.ADMIN_PASSWORD + Keys.ENTER);
    browser.waitUntil(ExpectedConditions.urlToBe(app.url("/arrangor")));
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser.driver()).executeScript(script);
  }

  private static WebElement active() {
    return browser.driver().switchTo().activeElement();
  }

  private static void keys(CharSequence... keys) {
    new Actions(browser.driver()).sendKeys(keys).perform();
  }

  private static void type(String text) {
    keys(text);
  }

  private static void tab() {
    keys(Keys.TAB);
  }

  private static void shiftTab() {
    new Actions(browser.driver()).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
  }

  /** Everything in the field selected (Ctrl+A), so that what is typed next replaces it. */
  private static void selectAll() {
    new Actions(browser.driver()).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).perform();
  }

  private static void tabTo(String id) {
    tabUntil(e -> id.equals(e.getDomAttribute("id")), "#" + id);
  }

  /**
   * How far Tab goes looking for a control before the test gives up: the event form alone has about 120 stops (a
   * date-and-time field is seven), and a page past this would be too long to work by keyboard anyway.
   */
  private static final int TAB_STOPS_AT_MOST = 250;

  private static void tabUntil(Predicate<WebElement> target, String what) {
    List<String> passed = new ArrayList<>();
    for (int i = 0; i < TAB_STOPS_AT_MOST; i++) {
      tab();
      WebElement now = active();
      if (target.test(now)) {
        return;
      }
      passed.add(now.getTagName() + "#" + now.getDomAttribute("id") + "'" + now.getText().strip() + "'");
    }
    fail("Tab never reached " + what + " on " + browser.driver().getCurrentUrl() + ", passing " + passed);
  }

  private static void shiftTabUntil(Predicate<WebElement> target, String what) {
    for (int i = 0; i < TAB_STOPS_AT_MOST; i++) {
      shiftTab();
      if (target.test(active())) {
        return;
      }
    }
    fail("Shift+Tab never reached " + what + " on " + browser.driver().getCurrentUrl());
  }

  private static WebElement waitFor(String selector) {
    try {
      return browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(selector)));
    } catch (RuntimeException e) {
      throw new AssertionError("no " + selector + " at " + browser.driver().getCurrentUrl() + ": "
          + browser.driver().findElement(By.tagName("main")).getText(), e);
    }
  }

  /** Wholly inside the window: a person sees it without scrolling. */
  private static void assertInView(WebElement e, String what) {
    String where = (String) ((JavascriptExecutor) browser.driver()).executeScript(
        "var r = arguments[0].getBoundingClientRect(); return r.top >= -1 && r.bottom <= window.innerHeight ? null"
            + " : 'top ' + r.top + ', bottom ' + r.bottom + ' in a window ' + window.innerHeight + ' high';", e);
    assertTrue(where == null, what + " is in view: " + where);
  }
}
