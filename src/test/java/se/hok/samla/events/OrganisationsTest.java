package se.hok.samla.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;

/**
 * The parties and organisations on one page for organisers and admins: names typed at sign-up wait to be accepted or
 * merged into the organisation they mean; every organisation keeps its sector, signatory dates and contact person;
 * merging moves the registrations in one transaction, after a page that says what will happen.
 */
class OrganisationsTest {
  static TestApp app;
  static StaffAccount organiser;
  static StaffAccount viewer;
  static long event;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("SAMLA_SEND_MAIL", "false"));
    organiser = StaffAccount.create(app, "organiser");
    viewer = StaffAccount.create(app, "viewer");
    event = PublishedEvent.by(app, organiser.token()).title("Dialogmöte").publishId();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aPartyIsKeptWithItsSignatoryDatesAndContactPerson() {
    PageSession pages = organiser.session();
    HttpResponse<Buffer> created = pages.post("/arrangor/organisationer/ny", "/arrangor/organisationer",
        form("name", "Studieförbundet Exempel", "sector", "ideburen", "signatory", "true", "signatorySince", "2019-05-14",
            "signatoryUntil", "", "contactName", "Karin Kontakt", "contactEmail", "karin@example.org"));
    assertEquals(302, created.statusCode(), created.bodyAsString());
    String path = created.getHeader("Location").replaceAll("\\?.*", "");
    String list = pages.get("/arrangor/organisationer").bodyAsString();
    assertTrue(list.contains("<h1>Organisationer och parter</h1>"), list);
    assertTrue(list.contains("Studieförbundet Exempel</a></th>\n    <td>Idéburen</td>\n    <td>sedan 2019-05-14</td>\n"
        + "    <td>Karin Kontakt, karin@example.org</td>"), list);

    HttpResponse<Buffer> left = pages.post(path, path, form("name", "Studieförbundet Exempel", "sector", "ideburen",
        "signatory", "true", "signatorySince", "2019-05-14", "signatoryUntil", "2022-12-31", "contactName", "",
        "contactEmail", ""));
    assertEquals(302, left.statusCode(), left.bodyAsString());
    assertTrue(pages.get("/arrangor/organisationer").bodyAsString().contains("<td>2019-05-14 – 2022-12-31</td>"));

    // The public list gives the dates, never the contact person.
    String publicList = await(app.client.get("/api/v1/organisations?q=Exempel").send()).bodyAsString();
    assertTrue(publicList.contains("\"signatorySince\":\"2019-05-14\""), publicList);
    assertFalse(publicList.contains("karin"), publicList);
    // The working group reads parties in the follow-up, not the register with its contact persons.
    assertEquals(403, viewer.session().get("/arrangor/organisationer").statusCode());
    long id = Long.parseLong(path.replaceAll(".*/", ""));
    assertEquals(403, api(viewer, HttpMethod.GET, "/organisations/" + id, null).statusCode());
  }

  @Test
  void badInputIsAFieldErrorAndNothingIsSaved() {
    PageSession pages = organiser.session();
    long before = count();
    HttpResponse<Buffer> backwards = pages.post("/arrangor/organisationer/ny", "/arrangor/organisationer",
        form("name", "Baklänges förening", "sector", "ideburen", "signatory", "true", "signatorySince", "2020-01-01",
            "signatoryUntil", "2019-12-31", "contactName", "", "contactEmail", "inte-en-adress"));
    assertEquals(422, backwards.statusCode());
    String html = backwards.bodyAsString();
    assertTrue(html.contains("<a href=\"#signatoryUntil\">Part till och med: Datumet till och med kan inte vara före"
        + " datumet sedan.</a>"), html);
    assertTrue(html.contains("id=\"contactEmail-error\""));
    assertTrue(html.contains("value=\"Baklänges förening\""), "what was typed is kept");
    HttpResponse<Buffer> datesWithoutParty = pages.post("/arrangor/organisationer/ny", "/arrangor/organisationer",
        form("name", "Ingen part", "sector", "ovrig", "signatorySince", "2020-01-01"));
    assertEquals(422, datesWithoutParty.statusCode());
    assertTrue(datesWithoutParty.bodyAsString().contains("Kryssa i att organisationen är part, eller ta bort datumen."));
    HttpResponse<Buffer> english = await(app.client.post("/api/v1/organisations").putHeader("Authorization", "Bearer "
        + organiser.token()).putHeader("Accept-Language", "en").sendJsonObject(new JsonObject().put("name", "X")
        .put("sector", "ideburen").put("signatory", true).put("signatorySince", "2021-02-30")));
    assertEquals(422, english.statusCode());
    assertEquals("Enter the date as year-month-day, for example 2019-05-14.",
        english.bodyAsJsonObject().getJsonObject("fields").getString("signatorySince"));
    assertEquals(before, count(), "nothing saved");

    Db.exec(app.databaseUrl, "insert into organisation (name, sector) values ('Redan Här', 'ideburen')");
    HttpResponse<Buffer> taken = api(organiser, HttpMethod.POST, "/organisations",
        new JsonObject().put("name", "redan här").put("sector", "ideburen"));
    assertEquals(422, taken.statusCode());
    assertTrue(taken.bodyAsJsonObject().getJsonObject("fields").containsKey("name"));
  }

  @Test
  void aNameTypedAtSignUpIsAcceptedOrMergedIntoTheOrganisationItMeans() {
    JsonObject kept = api(organiser, HttpMethod.POST, "/organisations", new JsonObject().put("name", "Riksteatern Halland")
        .put("sector", "ideburen").put("signatory", true)).bodyAsJsonObject();
    long keptId = kept.getLong("id");
    // Two people sign up under a spelling of their own, which waits for an organiser.
    for (String email : List.of("a@example.org", "b@example.org")) {
      SignUps.anonymously(app, event, new JsonObject().put("name", "Deltagare").put("email", email)
          .put("organisationName", "Riksteatern i Halland").put("sector", "ideburen"));
    }
    long typed = ((Number) Db.column(app.databaseUrl, "select id from organisation where name = 'Riksteatern i Halland'")
        .get(0)).longValue();
    PageSession pages = organiser.session();
    String list = pages.get("/arrangor/organisationer").bodyAsString();
    assertTrue(list.contains("<th scope=\"row\">Riksteatern i Halland"), "waiting, on the same page: " + list);

    // Into itself: a field error, nothing changes.
    HttpResponse<Buffer> itself = pages.get("/arrangor/organisationer/" + typed + "/sla-ihop?med=" + typed);
    assertEquals(422, itself.statusCode());
    assertTrue(itself.bodyAsString().contains("En organisation kan inte slås ihop med sig själv."));
    HttpResponse<Buffer> itselfApi = api(organiser, HttpMethod.POST, "/organisations/" + typed + "/merge",
        new JsonObject().put("into", typed));
    assertEquals(422, itselfApi.statusCode());
    assertTrue(itselfApi.bodyAsJsonObject().getJsonObject("fields").containsKey("into"));

    // The confirmation says what will happen; only the POST does it.
    String confirm = pages.get("/arrangor/organisationer/" + typed + "/sla-ihop?med=" + keptId).bodyAsString();
    assertTrue(confirm.contains("2 anmälningar som anger Riksteatern i Halland flyttas till Riksteatern Halland."), confirm);
    assertTrue(confirm.contains("Det går inte att ångra."));
    assertEquals(List.of(2L), Db.column(app.databaseUrl, "select count(*) from registration where organisation_id = " + typed));
    HttpResponse<Buffer> merged = pages.post("/arrangor/organisationer/" + typed + "/sla-ihop?med=" + keptId,
        "/arrangor/organisationer/" + typed + "/sla-ihop", form("into", String.valueOf(keptId)));
    assertEquals(302, merged.statusCode(), merged.bodyAsString());
    assertEquals("/arrangor/organisationer/" + keptId + "?sammanslagen=2", merged.getHeader("Location"));
    assertTrue(pages.get(merged.getHeader("Location")).bodyAsString()
        .contains("Organisationerna är sammanslagna; 2 anmälningar flyttades hit."));
    assertEquals(List.of(2L), Db.column(app.databaseUrl, "select count(*) from registration where organisation_id = " + keptId));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from organisation where id = " + typed));
    assertEquals(404, pages.get("/arrangor/organisationer/" + typed).statusCode());

    // Another name is simply accepted, through the API.
    SignUps.anonymously(app, event, new JsonObject().put("name", "Deltagare").put("email", "c@example.org")
        .put("organisationName", "Föreningen Ny").put("sector", "ovrig"));
    long ny = ((Number) Db.column(app.databaseUrl, "select id from organisation where name = 'Föreningen Ny'").get(0)).longValue();
    assertEquals(false, api(organiser, HttpMethod.GET, "/organisations/" + ny, null).bodyAsJsonObject().getBoolean("accepted"));
    HttpResponse<Buffer> accepted = api(organiser, HttpMethod.POST, "/organisations/" + ny + "/accept", null);
    assertEquals(200, accepted.statusCode(), accepted.bodyAsString());
    assertEquals(true, accepted.bodyAsJsonObject().getBoolean("accepted"));
    assertEquals(1, accepted.bodyAsJsonObject().getInteger("registrations"));
    HttpResponse<Buffer> mergeApi = api(organiser, HttpMethod.POST, "/organisations/" + ny + "/merge",
        new JsonObject().put("into", keptId));
    assertEquals(200, mergeApi.statusCode(), mergeApi.bodyAsString());
    assertEquals(1, mergeApi.bodyAsJsonObject().getInteger("movedRegistrations"));
    assertEquals(3, mergeApi.bodyAsJsonObject().getJsonObject("kept").getInteger("registrations"));
    assertEquals(404, api(organiser, HttpMethod.POST, "/organisations/" + ny + "/merge", new JsonObject().put("into", keptId))
        .statusCode(), "merged already: it is gone");
  }

  @Test
  void theOrganisationPagesAreAccessibleInARealBrowser() {
    long org = api(organiser, HttpMethod.POST, "/organisations", new JsonObject().put("name", "ABF Exempel")
        .put("sector", "ideburen").put("signatory", true).put("signatorySince", "2019-05-14")).bodyAsJsonObject()
        .getLong("id");
    SignUps.anonymously(app, event, new JsonObject().put("name", "Deltagare").put("email", "d@example.org")
        .put("organisationName", "ABF-exempel").put("sector", "ideburen"));
    long pending = ((Number) Db.column(app.databaseUrl, "select id from organisation where name = 'ABF-exempel'").get(0))
        .longValue();
    Browser browser = Browser.shared();
    browser.reset();
    WebDriver d = browser.driver();
    browser.open(app.url("/login"));
    d.manage().deleteAllCookies();
    browser.open(app.url("/login"));
    d.findElement(By.id("email")).sendKeys(organiser.email());
    d.findElement(By.id("password")).sendKeys(organiser.password());
    d.findElement(By.cssSelector("form.form button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.urlToBe(app.url("/arrangor")));
    for (String[] page : List.of(
        new String[] {"/arrangor/organisationer", "Organisationer och parter"},
        new String[] {"/arrangor/organisationer/ny", "Lägg till organisation"},
        new String[] {"/arrangor/organisationer/" + org, "ABF Exempel"},
        new String[] {"/arrangor/organisationer/" + pending, "ABF-exempel"},
        new String[] {"/arrangor/organisationer/" + pending + "/sla-ihop?med=" + org, "Slå ihop organisationerna?"},
        new String[] {"/arrangor/organisationer?lang=en", "Organisations and parties"})) {
      browser.openAt(app.url(page[0]), page[1]);
      browser.assertAccessible(page[0]);
    }
    browser.open(app.url("/arrangor/organisationer/ny?lang=sv"));
    d.findElement(By.cssSelector("form.form button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error-summary")));
    browser.assertAccessible("organisation form with errors");
  }

  private static HttpResponse<Buffer> api(StaffAccount who, HttpMethod method, String path, JsonObject body) {
    var request = app.client.request(method, "/api/v1" + path).putHeader("Authorization", "Bearer " + who.token());
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static MultiMap form(String... pairs) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      form.add(pairs[i], pairs[i + 1]);
    }
    return form;
  }

  private static long count() {
    return ((Number) Db.column(app.databaseUrl, "select count(*) from organisation").get(0)).longValue();
  }
}
