package se.hok.samla;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.hok.samla.followup.FeedbackService;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * WCAG 2.1 1.4.10 Reflow: every page and state the axe tests cover, opened in Chromium at 320 × 640 CSS pixels (a phone,
 * or a desktop at 400 % zoom), in Swedish and in English, must not scroll sideways – only a data table may, inside its
 * own focusable, labelled region. On each page also: the text spacing of WCAG 1.4.12 at 320 px, and text alone made
 * twice as large (1.4.4) at 1280 px, neither making the page scroll sideways nor cutting text off. A failure names the
 * widest element, with its place in the page, so that it can be fixed without rerunning anything.
 * {@code -Dsamla.reflow.screenshots=true} saves every page as it looks at 320 px (target/screenshots/reflow).
 */
@WithSamla(env = "SAMLA_DEMO=true")
@Tag(Browser.TAG)
class ReflowTest {
  private static final String CONFERENCE = "Samverkanskonferens med tema delaktighet";
  private static final String CANCELLED = "Remissmöte om Region Hallands kulturplan";
  private static final int WIDTH = 320;
  private static final int HEIGHT = 640;
  private static final Path SCREENSHOTS = Path.of("target", "screenshots", "reflow");

  private static TestApp app;
  private static Browser browser;
  private static long conference;
  private static long cancelled;
  private static long past;
  private static String manageToken;
  private static String surveyPath;

  @BeforeAll
  static void start() {
    conference = idOf(CONFERENCE);
    cancelled = idOf(CANCELLED);
    String admin = app.adminToken();
    // People on the conference's lists: needs with details, a companion, a waiting list is not needed for width.
    for (int i = 0; i < 3; i++) {
      SignUps.byOrganiser(app, admin, conference, new JsonObject().put("name", "Deltagare Långnamnsdottir-Karlsson " + i)
          .put("email", "reflow-" + i + "@exempel-organisation-med-langt-namn.example.org").put("consent", true).put("companion", i == 0)
          .put("needs", new JsonArray().add(new JsonObject().put("code", "specialkost").put("detail", "Svår nötallergi, även spår av jordnötter"))
              .add(new JsonObject().put("code", "teckensprakstolk"))));
    }
    SignUps.anonymously(app, conference, new JsonObject().put("name", "Åsa Öberg").put("email", "reflow-self@example.org")
        .put("consent", true).put("needs", new JsonArray().add(new JsonObject().put("code", "horslinga"))));
    manageToken = SignUps.manageToken(app, "reflow-self@example.org");
    // An event held three hours ago, with one person checked in: the survey and the figures of a past event.
    OffsetDateTime start = OffsetDateTime.now().plusDays(10);
    past = PublishedEvent.by(app, admin).title("Dialogmöte om tillgänglighet i föreningslivet").kind("dialogmote")
        .startsAt(start).endsAt(start.plusHours(3)).capacity(50).with("onlineUrl", "https://example.org/mote")
        .with("organiserEmail", "arrangor@example.org").with("registrationOpensAt", null).publishId();
    String attendee = SignUps.byOrganiser(app, admin, past, new JsonObject().put("name", "Bo Besökare")
        .put("email", "reflow-attendee@example.org")).getString("id");
    Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '6 hours', ends_at = now() - interval '3 hours',"
        + " registration_opens_at = null, registration_closes_at = null where id = " + past);
    Db.exec(app.databaseUrl, "insert into checkin (event_id, registration_id, checked_in_at, device_id, method) values ("
        + past + ", '" + attendee + "', now() - interval '5 hours', 'test-door', 'manual')");
    surveyPath = TestApp.await(new FeedbackService(app.running.database().pool())
        .thankYouLink(java.util.UUID.fromString(attendee))).orElseThrow().path();
    browser = Browser.shared();
  }

  @Test
  void everyPageReflowsAt320CssPixelsInBothLanguages() {
    List<String> problems = new ArrayList<>();
    for (String lang : List.of("sv", "en")) {
      browser.reset();
      phone();
      // The language sticks (a cookie) from the first page on.
      visit(problems, lang, "calendar", "/?lang=" + lang);
      visit(problems, lang, "calendar filtered", "/?kind=samverkanskonferens");
      visit(problems, lang, "past events", "/tidigare");
      visit(problems, lang, "event page", "/evenemang/" + conference);
      visit(problems, lang, "cancelled event page", "/evenemang/" + cancelled);
      visit(problems, lang, "past event page", "/evenemang/" + past);
      visit(problems, lang, "privacy", "/integritet");
      visit(problems, lang, "accessibility statement", "/tillganglighet");
      visit(problems, lang, "sign-up form", "/evenemang/" + conference + "/anmalan");
      submitForm("form.form");
      waitFor(".error-summary");
      check(problems, lang, "sign-up form with errors");
      visit(problems, lang, "group sign-up form", "/evenemang/" + conference + "/anmalan/grupp");
      browser.driver().findElement(By.cssSelector("form.form button[value=send]")).click();
      waitFor(".error-summary");
      check(problems, lang, "group sign-up form with errors");
      visit(problems, lang, "receipt", "/evenemang/" + conference + "/anmalan/klar");
      visit(problems, lang, "manage page", "/anmalan/" + manageToken);
      WebDriver page = browser.driver();
      page.findElement(By.id("need-annat")).click();
      page.findElement(By.id("needs-annat")).sendKeys("Vilrum efter lunch");
      page.findElement(By.id("need-annat")).click();
      submitForm("form.form");
      waitFor(".error-summary");
      check(problems, lang, "manage page with errors");
      visit(problems, lang, "cancel confirmation", "/anmalan/" + manageToken + "/avboka");
      visit(problems, lang, "erase confirmation", "/anmalan/" + manageToken + "/radera");
      visit(problems, lang, "my data", "/anmalan/" + manageToken + "/mina-uppgifter");
      visit(problems, lang, "link that does not work", "/anmalan/ingen-sadan-lank-0000000000");
      visit(problems, lang, "feedback survey", surveyPath);
      submitForm("form.form");
      waitFor(".error-summary");
      check(problems, lang, "feedback survey with errors");
      visit(problems, lang, "not found", "/finns-inte");
      visit(problems, lang, "forgot password", "/losenord/glomt");
      visit(problems, lang, "login", "/login");
      WebDriver d = page;
      d.findElement(By.id("email")).sendKeys(TestApp.ADMIN_EMAIL);
      d.findElement(By.id("password")).sendKeys("not-the-password");
      submitForm("form.form");
      waitFor(".error-summary");
      check(problems, lang, "login with errors");
      signIn();
      check(problems, lang, "organiser overview");
      visit(problems, lang, "organiser overview, past events", "/arrangor?tidigare=1");
      visit(problems, lang, "new event", "/arrangor/evenemang/ny");
      submitForm("form.form");
      waitFor(".error-summary");
      check(problems, lang, "new event with errors");
      visit(problems, lang, "event form", "/arrangor/evenemang/" + conference);
      visit(problems, lang, "cancel event confirmation", "/arrangor/evenemang/" + conference + "/installa");
      visit(problems, lang, "registrations", "/arrangor/evenemang/" + conference + "/anmalningar");
      visit(problems, lang, "remove registration confirmation", "/arrangor/evenemang/" + conference + "/anmalningar/"
          + Db.column(app.databaseUrl, "select id from registration where email = 'reflow-0@exempel-organisation-med-langt-namn.example.org'").get(0)
          + "/ta-bort");
      visit(problems, lang, "diet list", "/arrangor/evenemang/" + conference + "/kost");
      visit(problems, lang, "event's staff", "/arrangor/evenemang/" + conference + "/personal");
      submitForm("form.form");
      waitFor(".error-summary");
      check(problems, lang, "event's staff with errors");
      visit(problems, lang, "event's mail", "/arrangor/evenemang/" + conference + "/e-post");
      visit(problems, lang, "feedback results", "/arrangor/evenemang/" + past + "/utvardering");
      visit(problems, lang, "venues", "/arrangor/lokaler");
      visit(problems, lang, "new organisation names", "/arrangor/organisationer");
      visit(problems, lang, "follow-up", "/uppfoljning");
      visit(problems, lang, "follow-up of an event", "/uppfoljning/evenemang/" + past);
      visit(problems, lang, "yearly follow-up", "/uppfoljning/ar/2023");
      visit(problems, lang, "staff", "/admin/personal");
      visit(problems, lang, "needs catalogue", "/admin/behov");
      visit(problems, lang, "audit log", "/admin/logg");
      visit(problems, lang, "own API keys", "/konto/nycklar");
      visit(problems, lang, "change password", "/konto/losenord");
      door(problems, lang);
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " page(s) do not reflow at " + WIDTH + " CSS px (screenshots in " + SCREENSHOTS + "):\n\n"
          + String.join("\n\n", problems));
    }
  }

  /**
   * The door, with a person found by name and scanned: the result is shown large. The conference is weeks ahead,
   * outside the door's hours, so it is a test scan (recorded, never counted), whose answer is as long as any.
   */
  private static void door(List<String> problems, String lang) {
    visitOnly("/arrangor/evenemang/" + conference + "/incheckning");
    browser.waitUntil(ExpectedConditions.attributeToBe(By.id("desk"), "data-ready", "true"), Duration.ofSeconds(30));
    WebDriver d = browser.driver();
    d.findElement(By.id("test-scan")).click();
    d.findElement(By.id("q")).sendKeys("Långnamnsdottir-Karlsson 0" + Keys.ENTER);
    browser.waitUntil(ExpectedConditions.elementToBeClickable(By.cssSelector("#search-results button"))).click();
    browser.waitUntil(ExpectedConditions.attributeToBe(By.id("result"), "data-result", "test"));
    check(problems, lang, "door with a result");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static void phone() {
    metrics(WIDTH, HEIGHT);
  }

  private static void metrics(int width, int height) {
    ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  private static void visitOnly(String path) {
    browser.open(app.url(path));
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
  }

  private static void visit(List<String> problems, String lang, String what, String path) {
    visitOnly(path);
    check(problems, lang, what);
  }

  private static void signIn() {
    WebDriver d = browser.driver();
    visitOnly("/login");
    d.findElement(By.id("email")).sendKeys(TestApp.ADMIN_EMAIL);
    d.findElement(By.id("password")).sendKeys(TestApp.ADMIN_PASSWORD);
    submitForm("form.form");
    browser.waitUntil(ExpectedConditions.urlToBe(app.url("/arrangor")));
  }

  private static void submitForm(String selector) {
    browser.driver().findElement(By.cssSelector(selector + " button[type=submit]")).click();
  }

  private static void waitFor(String selector) {
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(selector)));
  }

  /**
   * The page as it is now: at 320 px; then with WCAG 1.4.12's text spacing; then at 1280 px with text twice as large.
   * Adds a line per failure.
   */
  private static void check(List<String> problems, String lang, String what) {
    WebDriver d = browser.driver();
    String label = what + " (" + lang + ", " + d.getCurrentUrl().replace(app.url(""), "/").replaceAll("/+", "/") + ")";
    String title = d.getTitle();
    for (String error : List.of("Sidan finns inte", "Page not found", "Åtkomst nekad", "Access denied", "Något gick fel",
        "Something went wrong")) {
      if (title.startsWith(error) && !what.equals("not found")) {
        problems.add(label + ": an error page instead (" + title + ")");
        return;
      }
    }
    String tag = (lang + "-" + what).replaceAll("[^a-zA-Z0-9]+", "-");
    String plain = overflow();
    if (plain != null || Boolean.getBoolean("samla.reflow.screenshots")) {
      browser.screenshot(SCREENSHOTS.resolve(tag + ".png"));
    }
    if (plain != null) {
      problems.add(label + ": " + plain);
    }
    js("var s = document.createElement('style'); s.id = 'wcag-1-4-12'; s.textContent = '* { line-height: 1.5 !important;"
        + " letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';"
        + " document.head.appendChild(s);");
    String spaced = overflow();
    js("document.getElementById('wcag-1-4-12').remove();");
    if (spaced != null && plain == null) {
      browser.screenshot(SCREENSHOTS.resolve(tag + "-spacing.png"));
      problems.add(label + ", with the text spacing of WCAG 1.4.12: " + spaced);
    }
    metrics(1280, 900);
    js("var s = document.createElement('style'); s.id = 'text-200'; s.textContent = 'html { font-size: 225% !important; }';"
        + " document.head.appendChild(s);");
    String zoomed = overflow();
    js("document.getElementById('text-200').remove();");
    phone();
    if (zoomed != null) {
      problems.add(label + ", at 1280 px with text at 200 %: " + zoomed);
    }
  }

  /**
   * Null when the page does not scroll sideways and no text is cut off; else what is too wide: the element reaching
   * furthest right (outside any region that scrolls by itself), with its path and a piece of its markup.
   */
  private static String overflow() {
    return (String) js("""
        var vw = document.documentElement.clientWidth;
        var sw = document.documentElement.scrollWidth;
        function scrolls(e) {
          for (var p = e.parentElement; p && p !== document.body; p = p.parentElement) {
            var o = getComputedStyle(p).overflowX;
            if (o === 'auto' || o === 'scroll') { return true; }
          }
          return false;
        }
        function path(e) {
          var parts = [];
          for (var n = e; n && n !== document.body; n = n.parentElement) {
            var s = n.tagName.toLowerCase();
            if (n.id) { s += '#' + n.id; }
            if (n.classList.length) { s += '.' + Array.prototype.join.call(n.classList, '.'); }
            parts.unshift(s);
          }
          return parts.join(' > ');
        }
        var problems = [];
        if (sw > vw) {
          var worst = null, right = vw;
          document.querySelectorAll('body *').forEach(function (e) {
            var r = e.getBoundingClientRect();
            if (r.width > 0 && r.right > right + 0.5 && !scrolls(e)) { worst = e; right = r.right; }
          });
          // Text that runs out of its box (a long word that does not wrap) reaches further than the box itself.
          var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          var range = document.createRange();
          for (var t = walker.nextNode(); t; t = walker.nextNode()) {
            if (!t.textContent.trim() || scrolls(t.parentElement)) { continue; }
            range.selectNodeContents(t);
            var tr = range.getBoundingClientRect();
            if (tr.width > 0 && tr.right > right + 0.5) { worst = t.parentElement; right = tr.right; }
          }
          if (!worst) {
            // Something inside a scrolling region that escapes it (positioned against an ancestor outside it).
            document.querySelectorAll('body *').forEach(function (e) {
              var r = e.getBoundingClientRect();
              if (r.width > 0 && r.right > right + 0.5) { worst = e; right = r.right; }
            });
          }
          var what = worst ? path(worst) + ' reaches ' + Math.round(right) + ' px: '
              + worst.outerHTML.replace(/\\s+/g, ' ').substring(0, 200) : '(no element found)';
          problems.push('the page is ' + sw + ' px wide in a ' + vw + ' px window; widest: ' + what);
        }
        // Text cut off: a box that hides what does not fit, and has more than fits.
        document.querySelectorAll('body *').forEach(function (e) {
          var cs = getComputedStyle(e);
          if ((cs.overflowX === 'hidden' || cs.overflowX === 'clip' || cs.overflowY === 'hidden' || cs.overflowY === 'clip')
              && e.clientWidth > 1 && e.clientHeight > 1 && e.textContent.trim() !== ''
              && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)) {
            problems.push('text cut off in ' + path(e) + ' (' + e.scrollWidth + '×' + e.scrollHeight + ' in '
                + e.clientWidth + '×' + e.clientHeight + ')');
          }
        });
        // A region that scrolls by itself must be reachable and named: focusable, with a label.
        document.querySelectorAll('body *').forEach(function (e) {
          var o = getComputedStyle(e).overflowX;
          if ((o === 'auto' || o === 'scroll') && e.scrollWidth > e.clientWidth + 1 && e.tagName !== 'TEXTAREA'
              && !(e.tabIndex >= 0 && e.getAttribute('role') === 'region'
                   && (e.getAttribute('aria-labelledby') || e.getAttribute('aria-label')))) {
            problems.push('a region scrolls sideways but is not a focusable, labelled region: ' + path(e));
          }
        });
        return problems.length ? problems.join('; ') : null;
        """);
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser.driver()).executeScript(script);
  }

  private static long idOf(String title) {
    return ((Number) Db.column(app.databaseUrl,
        "select id from event where title_sv = '" + title.replace("'", "''") + "'").get(0)).longValue();
  }
}
