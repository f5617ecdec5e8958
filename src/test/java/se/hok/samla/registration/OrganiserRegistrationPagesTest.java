package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * The organiser's registrations view as an organiser meets it: signed in through the login page, talking HTTP
 * (and a real browser for accessibility). Registrations are made through the public API, like participants do.
 */
@WithSamla
class OrganiserRegistrationPagesTest {
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  private static final String UNICODE_NAME = "Åsa Öberg-Nguy\u1EC5n";
  private static final String FORMULA_NAME = "=HYPERLINK(\"https://evil.example\",\"klicka\")";
  private static final String PASSWORD = "organiser-password-123";
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private static final List<WebClient> CLIENTS = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static TestApp app;
  private static String adminToken;
  private static String organiserEmail;
  private static WebClientSession organiser;

  @BeforeAll
  static void start() {
    adminToken = app.adminToken();
    organiserEmail = staffUser("organiser");
    organiser = signedIn(organiserEmail);
  }

  @AfterAll
  static void stop() {
    // Idle keep-alive connections would make the graceful shutdown wait out its grace period.
    CLIENTS.forEach(WebClient::close);
  }

  // ------------------------------------------------------------------------------------------------ the page

  @Test
  void pageListsRegistrationsWithNeedsBookByDatesAndTheWaitingListAndLogsTheReading() {
    OffsetDateTime start = startIn(40);
    long event = publishedEvent("Dialogmöte om tillgänglighet", 2, start);
    register(event, interpreterAndNutAllergy(UNICODE_NAME, "asa@example.org"));
    register(event, person("Bo Bengtsson", "bo@example.org").put("organisationName", "DHR Region Halland").put("sector", "ideburen"));
    register(event, person("Cecilia Waitlist", "cecilia@example.org").put("needs", new JsonArray().add(need("horslinga"))).put("consent", true));

    long before = auditRows(event);
    HttpResponse<Buffer> r = await(organiser.get(page(event)).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(before + 1, auditRows(event), "reading the registrations (health data) is logged");
    String html = r.bodyAsString();

    assertContains(html, "<h1>Anmälningar: Dialogmöte om tillgänglighet</h1>");
    assertContains(html, UNICODE_NAME);
    assertContains(html, "DHR Region Halland");
    assertContains(html, "Idéburen");
    assertContains(html, "Teckenspråkstolk");
    assertContains(html, "Specialkost/allergi: <em>nötallergi</em>");
    assertContains(html, "Kost: Vegetarisk");

    // Needs summary: counts, and the book-by date of a need with a lead time (28 days for interpreters).
    String bookBy = start.atZoneSameInstant(STOCKHOLM).toLocalDate().minusDays(28).toString();
    assertContains(html, "<strong>1 ×</strong> Teckenspråkstolk – boka senast <time datetime=\"" + bookBy + "\">" + bookBy + "</time>");
    assertContains(html, "<strong>1 ×</strong> Hörslinga/teleslinga");
    assertFalse(section(html, "behov", "att-gora").contains("Brådskande"), "nothing is late 40 days ahead");
    // The organiser's tasks: the need, who, and by when.
    String tasks = section(html, "att-gora", "kost");
    assertContains(tasks, UNICODE_NAME);
    assertContains(tasks, bookBy);
    assertContains(tasks, "Att boka");

    // Counts, and the waiting list in order with positions.
    assertContains(html, "2 av 2 (varav 0 ledsagare)");
    String waitlist = section(html, "vantelista", "lagg-till");
    assertContains(waitlist, "<td>1</td>");
    assertContains(waitlist, "Cecilia Waitlist");
    assertContains(waitlist, "Väntelista (plats 1)");
    assertContains(waitlist, "/flytta-upp");
    assertFalse(section(html, "anmalda", "vantelista").contains("Cecilia Waitlist"));
  }

  @Test
  void anInterpreterAskedForTooLateIsFlaggedUrgentInWords() {
    long event = publishedEvent("Workshop om lättläst", 10, startIn(10));
    register(event, interpreterAndNutAllergy("Dora Sen", "dora@example.org"));
    String html = await(organiser.get(page(event)).send()).bodyAsString();
    assertContains(section(html, "behov", "att-gora"),
        "<strong class=\"flag-urgent\">Brådskande: 1 anmälde behovet efter sista bokningsdagen</strong>");
    assertContains(section(html, "att-gora", "kost"), "Brådskande: anmält efter sista bokningsdagen");
  }

  @Test
  void thePageSpeaksEnglishToo() {
    long event = publishedEvent("Dialogue meeting", 5, startIn(40));
    register(event, interpreterAndNutAllergy("Kim English", "kim@example.org"));
    WebClientSession english = signedIn(organiserEmail);
    String html = await(english.get(page(event) + "?lang=en").send()).bodyAsString();
    assertContains(html, "<html lang=\"en\"");
    assertContains(html, "<h1>Registrations: Dialogue meeting</h1>");
    assertContains(html, "<strong>1 ×</strong> Sign-language interpreter – book by <time");
    assertContains(html, "Special diet/allergy: <em>nötallergi</em>");
    assertContains(html, "Diet: Vegetarian");
    assertFalse(html.contains("org."), "every text has an English version");
    String csv = await(english.get(page(event) + ".csv").send()).bodyAsString();
    assertTrue(csv.startsWith("\uFEFFName;E-mail;Organisation;Sector;Status;Place on the waiting list;Companion or personal assistant;Sessions\r\n"), csv);
    assertContains(await(english.get("/arrangor/evenemang/" + event + "/kost").send()).bodyAsString(), "<h1>Diet list: Dialogue meeting</h1>");
  }

  @Test
  void theEventFormLinksToTheRegistrations() {
    long event = publishedEvent("Seminarium om uppföljning", 10, startIn(30));
    String html = await(organiser.get("/arrangor/evenemang/" + event).send()).bodyAsString();
    assertContains(html, "<a href=\"/arrangor/evenemang/" + event + "/anmalningar\">Anmälningar, behov och kostlista</a>");
  }

  // ------------------------------------------------------------------------------------------------ diet list

  @Test
  void dietListHasCountsAndAllergiesButNoNames() {
    long event = publishedEvent("Samverkanskonferens", 10, startIn(35));
    register(event, interpreterAndNutAllergy(UNICODE_NAME, "asa2@example.org"));
    register(event, person("Erik Ek", "erik@example.org").put("diet", new JsonArray().add("vegetarisk").add("glutenfri"))
        .put("companion", true));

    HttpResponse<Buffer> r = await(organiser.get("/arrangor/evenemang/" + event + "/kost").send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String html = r.bodyAsString();
    assertContains(html, "Antal deltagare, inklusive ledsagare: <strong>3</strong>");
    assertContains(html, "<tr><th scope=\"row\">Vegetarisk</th><td>2</td></tr>");
    assertContains(html, "<tr><th scope=\"row\">Glutenfri</th><td>1</td></tr>");
    assertContains(html, "<li>nötallergi</li>");
    for (String name : List.of(UNICODE_NAME, "Åsa", "Erik Ek", "asa2@example.org", "erik@example.org")) {
      assertFalse(html.contains(name), "the caterer's list names nobody, but it has " + name);
    }
  }

  // ------------------------------------------------------------------------------------------------ actions

  @Test
  void removingAConfirmedPersonGivesTheSeatToTheFirstOnTheWaitingList() {
    long event = publishedEvent("Utbildning i föreningsekonomi", 2, startIn(20));
    String anna = register(event, person("Anna Först", "anna@example.org")).getString("id");
    register(event, person("Bertil Tvåa", "bertil@example.org"));
    assertEquals("waitlisted", register(event, person("Cilla Trea", "cilla@example.org")).getString("status"));
    register(event, person("David Fyra", "david@example.org"));

    HttpResponse<Buffer> removed = send(organiser, event, page(event) + "/" + anna + "/ta-bort", form());
    assertEquals(302, removed.statusCode(), removed.bodyAsString());
    assertEquals(page(event) + "?klart=borttagen", removed.getHeader("Location"));

    assertEquals("cancelled", apiStatus(event, "anna@example.org"));
    assertEquals("confirmed", apiStatus(event, "cilla@example.org"), "the first in line moves up");
    assertEquals("waitlisted", apiStatus(event, "david@example.org"));
    assertEquals(1, apiRegistration(event, "david@example.org").getInteger("waitlistPosition"));

    String html = await(organiser.get(removed.getHeader("Location")).send()).bodyAsString();
    assertContains(html, "Anmälan är borttagen");
    assertContains(section(html, "avbokade", "lagg-till"), "Anna Först");

    // Anna is told, then what named her is erased; the cancelled registration still counts.
    Mails.awaitOne(app, m -> Mails.recipient(m).contains("anna@example.org") && subject(m).startsWith("Din anmälan är avbokad"),
        "the cancellation to Anna");
    SignUps.awaitMailSettled(app, anna);
    await(new Retention(app.running.database().pool(), 30, se.hok.samla.mail.Outbox.REGISTRATION_MAILS).runOnce());
    assertEquals(List.of("Raderad|cancelled"), Db.column(app.databaseUrl, "select name || '|' || status from registration where id = '"
        + anna + "'"));
    assertEquals(0L, count("select count(*) from outbox where registration_id = '" + anna + "'"));
    assertContains(section(await(organiser.get(page(event)).send()).bodyAsString(), "avbokade", "lagg-till"), "Uppgifterna är raderade");
  }

  @Test
  void promotingWithoutAFreeSeatSaysWhyOnThePageAndChangesNothing() {
    long event = publishedEvent("Remissmöte om kulturplanen", 2, startIn(20));
    register(event, person("Ett Ett", "ett@example.org"));
    register(event, person("Två Två", "tva@example.org"));
    String waiting = register(event, person("Tre Tre", "tre@example.org")).getString("id");

    HttpResponse<Buffer> r = send(organiser, event, page(event) + "/" + waiting + "/flytta-upp", form());
    assertEquals(409, r.statusCode(), r.bodyAsString());
    String html = r.bodyAsString();
    assertContains(html, "<div class=\"notice notice-problem\" role=\"alert\">");
    assertContains(html, "Det finns inga lediga platser.");
    assertContains(html, "Tre Tre");
    assertEquals("waitlisted", apiStatus(event, "tre@example.org"));

    // Someone already confirmed cannot be moved up either: said on the page, not a server error.
    String confirmed = apiRegistration(event, "ett@example.org").getString("id");
    HttpResponse<Buffer> again = send(organiser, event, page(event) + "/" + confirmed + "/flytta-upp", form());
    assertEquals(409, again.statusCode());
    assertContains(again.bodyAsString(), "Personen står inte på väntelistan.");

    // A registration of another event, or no registration at all, is not found.
    assertEquals(404, send(organiser, event, page(event) + "/not-a-uuid/ta-bort", form()).statusCode());
  }

  @Test
  void manualAddKeepsTheFormOnErrorsThenConfirmsOrWaitlists() {
    long event = publishedEvent("Dialogmöte per telefon", 1, startIn(25));

    MultiMap bad = form().add("name", "").add("email", "inte-en-adress").add("need.teckensprakstolk", "on")
        .add("organisationName", "Ny förening").add("sector", "");
    HttpResponse<Buffer> invalid = send(organiser, event, page(event), bad);
    assertEquals(422, invalid.statusCode());
    String html = invalid.bodyAsString();
    assertContains(html, "class=\"error-summary\"");
    assertContains(html, "<a href=\"#name\">Namn: Skriv namnet på den som ska delta.</a>");
    assertContains(html, "<a href=\"#sector\">Sektor: Välj vilken sektor organisationen tillhör.</a>");
    assertContains(html, "id=\"needs-specialkost\" name=\"needDetail.specialkost\" value=\"\"");
    assertContains(html, "<a href=\"#email\">");
    assertContains(html, "<a href=\"#sector\">");
    assertContains(html, "<a href=\"#consent\">");
    assertContains(html, "value=\"inte-en-adress\"");
    assertContains(html, "value=\"Ny förening\"");
    assertContains(html, "id=\"need-teckensprakstolk\" name=\"need.teckensprakstolk\" value=\"on\" checked");
    assertEquals(0L, count("select count(*) from registration where event_id = " + event));

    MultiMap good = form().add("name", "Gösta Telefon").add("email", "gosta@example.org")
        .add("organisationName", "Ny förening").add("sector", "ideburen").add("companion", "false")
        .add("need.specialkost", "on").add("needDetail.specialkost", "laktosintolerant").add("diet", "laktosfri")
        .add("consent", "true").add("language", "sv");
    HttpResponse<Buffer> added = send(organiser, event, page(event), good);
    assertEquals(302, added.statusCode(), added.bodyAsString());
    String confirmedPage = await(organiser.get(added.getHeader("Location")).send()).bodyAsString();
    assertContains(confirmedPage, "Gösta Telefon är anmäld och har fått en plats.");
    assertContains(section(confirmedPage, "anmalda", "vantelista"), "Specialkost/allergi: <em>laktosintolerant</em>");
    assertEquals("confirmed", apiStatus(event, "gosta@example.org"));
    assertEquals("organiser", Db.column(app.databaseUrl,
        "select source from registration where email = 'gosta@example.org'").get(0));

    HttpResponse<Buffer> second = send(organiser, event, page(event), form()
        .add("name", "Hedda Dörr").add("email", "hedda@example.org"));
    assertEquals(302, second.statusCode(), second.bodyAsString());
    assertContains(await(organiser.get(second.getHeader("Location")).send()).bodyAsString(),
        "Hedda Dörr står på väntelistan, plats 1.");

    // The same address again: said plainly, the form kept.
    HttpResponse<Buffer> duplicate = send(organiser, event, page(event), form()
        .add("name", "Hedda Igen").add("email", "HEDDA@example.org"));
    assertEquals(422, duplicate.statusCode());
    assertContains(duplicate.bodyAsString(), "redan anmäld till evenemanget");
    assertContains(duplicate.bodyAsString(), "value=\"Hedda Igen\"");
  }

  // ------------------------------------------------------------------------------------------------ CSV

  @Test
  void csvHasNeedsOnlyWhenAskedForAndIsSafeForSpreadsheets() {
    long event = publishedEvent("Framtidsforum", 10, startIn(30));
    register(event, interpreterAndNutAllergy(UNICODE_NAME, "asa3@example.org")
        .put("organisationName", "Förening; med \"citat\"").put("sector", "ideburen"));
    register(event, person(FORMULA_NAME, "formel@example.org"));

    HttpResponse<Buffer> plain = await(organiser.get(page(event) + ".csv").send());
    assertEquals(200, plain.statusCode(), plain.bodyAsString());
    assertTrue(plain.getHeader("Content-Type").startsWith("text/csv"), plain.getHeader("Content-Type"));
    assertEquals("attachment; filename=\"anmalningar-evenemang-" + event + ".csv\"", plain.getHeader("Content-Disposition"));
    byte[] bytes = plain.body().getBytes();
    assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(bytes, 3), "UTF-8 BOM first");
    String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    String[] lines = text.split("\r\n");
    assertEquals("Namn;E-post;Organisation;Sektor;Status;Plats på väntelistan;Ledsagare eller personlig assistent;Pass", lines[0]);
    assertEquals(3, lines.length, text);
    assertContains(text, UNICODE_NAME + ";asa3@example.org;\"Förening; med \"\"citat\"\"\";Idéburen;Bekräftad;;Nej;");
    assertContains(text, "\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"klicka\"\")\";formel@example.org;");
    for (String health : List.of("Teckenspråkstolk", "nötallergi", "Vegetarisk", "Kost")) {
      assertFalse(text.contains(health), "no needs in the plain export, but found " + health);
    }

    HttpResponse<Buffer> withNeeds = await(organiser.get(page(event) + ".csv?needs=true").send());
    assertEquals(200, withNeeds.statusCode());
    assertEquals("attachment; filename=\"anmalningar-med-behov-evenemang-" + event + ".csv\"",
        withNeeds.getHeader("Content-Disposition"));
    String needsText = new String(withNeeds.body().getBytes(), StandardCharsets.UTF_8);
    assertTrue(needsText.startsWith("\uFEFF"));
    assertContains(needsText, "\uFEFFNamn;E-post;Organisation;Sektor;Status;Plats på väntelistan;Ledsagare eller personlig assistent;Pass;Kost;"
        + "Teckenspråkstolk;Specialkost/allergi\r\n");
    assertContains(needsText, ";Vegetarisk;Ja;nötallergi\r\n");
    assertContains(needsText, "\"'=HYPERLINK(");
  }

  @Test
  void csvCellsAreQuotedAndNeutralised() {
    assertEquals("", se.hok.samla.web.Csv.cell(null));
    assertEquals("Åsa", se.hok.samla.web.Csv.cell("Åsa"));
    assertEquals("\"a;b\"", se.hok.samla.web.Csv.cell("a;b"));
    assertEquals("\"say \"\"hi\"\"\"", se.hok.samla.web.Csv.cell("say \"hi\""));
    assertEquals("\"two\r\nlines\"", se.hok.samla.web.Csv.cell("two\r\nlines"));
    assertEquals("'+46 70", se.hok.samla.web.Csv.cell("+46 70"));
    assertEquals("'-1", se.hok.samla.web.Csv.cell("-1"));
    assertEquals("'@SUM(A1)", se.hok.samla.web.Csv.cell("@SUM(A1)"));
    assertEquals("'\tx", se.hok.samla.web.Csv.cell("\tx"));
  }

  // ------------------------------------------------------------------------------------------------ access

  @Test
  void onlyOrganisersAndAdminsMayUseAnyOfTheRoutes() {
    long event = publishedEvent("Evenemang för behörighetstest", 1, startIn(20));
    String reg = register(event, interpreterAndNutAllergy("Greta Gäst", "greta@example.org")).getString("id");
    register(event, person("Harald Väntar", "harald@example.org"));
    long audit = auditRows(event);

    for (String role : List.of("viewer", "checkin")) {
      WebClientSession staff = signedIn(staffUser(role));
      for (String path : List.of(page(event), page(event) + ".csv", page(event) + ".csv?needs=true",
          "/arrangor/evenemang/" + event + "/kost")) {
        HttpResponse<Buffer> r = await(staff.get(path).send());
        assertEquals(403, r.statusCode(), role + " GET " + path);
        assertContains(r.bodyAsString(), "Din roll har inte behörighet");
      }
      for (String path : List.of(page(event), page(event) + "/" + reg + "/ta-bort", page(event) + "/" + reg + "/flytta-upp")) {
        // A valid CSRF token (from the dashboard every staff member may see), so the refusal is the role's.
        HttpResponse<Buffer> r = send(staff, "/arrangor", path, form().add("name", "Smygare").add("email", "smyg@example.org"));
        assertEquals(403, r.statusCode(), role + " POST " + path);
        assertContains(r.bodyAsString(), "Din roll har inte behörighet");
      }
    }
    HttpResponse<Buffer> anonymous = await(app.client.get(page(event)).send());
    assertEquals(302, anonymous.statusCode());
    assertEquals("/login?next=%2Farrangor%2Fevenemang%2F" + event + "%2Fanmalningar", anonymous.getHeader("Location"));
    assertEquals(302, await(app.client.get(page(event) + ".csv?needs=true").send()).statusCode());

    assertEquals(audit, auditRows(event), "refused requests read nothing");
    assertEquals("confirmed", apiStatus(event, "greta@example.org"));
    assertEquals(0L, count("select count(*) from registration where email = 'smyg@example.org'"));
  }

  // ------------------------------------------------------------------------------------------------ accessibility

  @Test
  @Tag(Browser.TAG)
  void registrationsAndDietPagesPassAxe() {
    long event = publishedEvent("Tillgänglighetsgranskad workshop", 1, startIn(40));
    register(event, interpreterAndNutAllergy(UNICODE_NAME, "asa4@example.org").put("companion", false));
    register(event, person("Ivar Väntar", "ivar@example.org").put("needs", new JsonArray().add(need("rullstolsplats")))
        .put("consent", true));
    String cancelled = register(event, person("Jonna Slutar", "jonna@example.org")).getString("id");
    assertEquals(302, send(organiser, event, page(event) + "/" + cancelled + "/ta-bort", form()).statusCode());

    Browser browser = Browser.shared();
    browser.reset();
    WebDriver d = browser.driver();
    try {
      browser.open(app.url("/login"));
      d.findElement(By.id("email")).sendKeys(organiserEmail);
      d.findElement(By.id("password")).sendKeys(PASSWORD);
      d.findElement(By.cssSelector("form.form button[type=submit]")).click();
      browser.waitUntil(ExpectedConditions.urlToBe(app.url("/arrangor")));
    } catch (RuntimeException e) {
      fail("signing in failed at " + d.getCurrentUrl() + ": " + d.findElement(By.tagName("body")).getText());
    }
    browseTheRegistrationsPages(browser, event);
  }

  private static void browseTheRegistrationsPages(Browser browser, long event) {
    WebDriver d = browser.driver();
    open(browser, page(event), "Anmälningar: Tillgänglighetsgranskad workshop");
    browser.screenshot(SCREENSHOTS.resolve("organiser-registrations.png"));
    browser.assertAccessible("registrations page");

    // The manual-add form sent empty: the error state.
    d.findElement(By.cssSelector("form[action$='/anmalningar'] button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error-summary")));
    assertEquals("true", d.findElement(By.id("name")).getAttribute("aria-invalid"));
    browser.screenshot(SCREENSHOTS.resolve("organiser-registrations-errors.png"));
    browser.assertAccessible("registrations page with manual-add errors");

    // Corrected and sent again from the same browser: the form's token still holds.
    d.findElement(By.id("name")).sendKeys("Klara Telefon");
    d.findElement(By.id("email")).sendKeys("klara@example.org");
    d.findElement(By.cssSelector("form[action$='/anmalningar'] button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("resultat")));
    assertEquals("Klara Telefon står på väntelistan, plats 2. Evenemanget är fullt.", d.findElement(By.id("resultat")).getText());

    open(browser, "/arrangor/evenemang/" + event + "/kost", "Kostlista");
    browser.screenshot(SCREENSHOTS.resolve("organiser-diet-list.png"));
    browser.assertAccessible("diet list");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static void open(Browser browser, String path, String heading) {
    browser.open(app.url(path));
    try {
      browser.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), heading), Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      fail("expected the heading \"" + heading + "\" at " + path + " but the page says: "
          + browser.driver().findElement(By.tagName("body")).getText());
    }
  }

  private static OffsetDateTime startIn(int days) {
    return OffsetDateTime.now(STOCKHOLM).plusDays(days).truncatedTo(ChronoUnit.HOURS).withHour(9);
  }

  /** An event the admin made, with the signed-in organiser among its organisers. */
  private static long publishedEvent(String title, int capacity, OffsetDateTime start) {
    long id = PublishedEvent.by(app, adminToken).with("title", title).startsAt(start).capacity(capacity)
        .with("onlineUrl", "https://meet.example/hok").with("registrationOpensAt", null).publishId();
    app.assignEmail(id, organiserEmail, "organiser");
    return id;
  }

  private static JsonObject person(String name, String email) {
    return new JsonObject().put("name", name).put("email", email).put("consent", false).put("companion", false);
  }

  private static JsonObject interpreterAndNutAllergy(String name, String email) {
    return person(name, email)
        .put("needs", new JsonArray().add(need("teckensprakstolk"))
            .add(new JsonObject().put("code", "specialkost").put("detail", "nötallergi")))
        .put("consent", true)
        .put("diet", new JsonArray().add("vegetarisk"));
  }

  private static JsonObject need(String code) {
    return new JsonObject().put("code", code);
  }

  /** Signed up by an organiser through the API: the answer names the registration. */
  private static JsonObject register(long event, JsonObject body) {
    return SignUps.byOrganiser(app, adminToken, event, body);
  }

  private static JsonObject apiRegistration(long event, String email) {
    HttpResponse<Buffer> r = await(app.client.get("/api/v1/events/" + event + "/registrations")
        .putHeader("Authorization", "Bearer " + adminToken).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray list = r.bodyAsJsonObject().getJsonArray("registrations");
    for (int i = 0; i < list.size(); i++) {
      if (email.equals(list.getJsonObject(i).getString("email"))) {
        return list.getJsonObject(i);
      }
    }
    throw new AssertionError("no registration for " + email + " in " + list.encode());
  }

  private static String apiStatus(long event, String email) {
    return apiRegistration(event, email).getString("status");
  }

  private static String page(long event) {
    return "/arrangor/evenemang/" + event + "/anmalningar";
  }

  private static MultiMap form() {
    return MultiMap.caseInsensitiveMultiMap();
  }

  private static HttpResponse<Buffer> send(WebClientSession session, long event, String action, MultiMap fields) {
    return send(session, page(event), action, fields);
  }

  /** Like a browser: opens {@code formPage} for its CSRF token, then posts the fields to {@code action}. */
  private static HttpResponse<Buffer> send(WebClientSession session, String formPage, String action, MultiMap fields) {
    HttpResponse<Buffer> page = await(session.get(formPage).send());
    assertEquals(200, page.statusCode(), formPage + ": " + page.bodyAsString());
    return await(session.post(action).sendForm(MultiMap.caseInsensitiveMultiMap().addAll(fields).set("X-XSRF-TOKEN", csrf(page))));
  }

  private static long auditRows(long event) {
    return count("select count(*) from audit_log where action = 'registrations' and event_id = " + event);
  }

  private static String subject(jakarta.mail.internet.MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(String sql) {
    return ((Number) Db.column(app.databaseUrl, sql).get(0)).longValue();
  }

  /** The HTML between the element with id {@code from} and the one with id {@code to}. */
  private static String section(String html, String from, String to) {
    int start = html.indexOf("id=\"" + from + "\"");
    int end = html.indexOf("id=\"" + to + "\"", Math.max(start, 0));
    assertTrue(start >= 0 && end > start, "sections " + from + " … " + to + " on the page");
    return html.substring(start, end);
  }

  private static String staffUser(String role) {
    String email = role + "-" + System.nanoTime() + "@test.example";
    Db.exec(app.databaseUrl, "insert into staff_user (email, name, password_hash, role) values ('" + email
        + "', 'Test " + role + "', '" + Db.argon2(PASSWORD) + "', '" + role + "')");
    return email;
  }

  /** Signs in like a person: the login page (CSRF cookie and field), then the form. */
  private static WebClientSession signedIn(String email) {
    WebClient client = se.hok.samla.support.ContractCheck.on(app.vertx, WebClient.create(app.vertx, new WebClientOptions()
        .setDefaultHost("localhost").setDefaultPort(app.port()).setFollowRedirects(false)));
    CLIENTS.add(client);
    WebClientSession session = WebClientSession.create(client);
    HttpResponse<Buffer> r = send(session, "/login", "/login", form().add("email", email).add("password", PASSWORD));
    assertEquals(302, r.statusCode(), r.bodyAsString());
    return session;
  }

  private static String csrf(HttpResponse<Buffer> page) {
    return se.hok.samla.support.PageSession.csrf(page.bodyAsString());
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    return TestApp.await(future);
  }

  private static void assertContains(String haystack, String needle) {
    assertNotNull(haystack);
    assertTrue(haystack.contains(needle), "expected to find\n  " + needle + "\nin\n" + haystack);
  }
}
