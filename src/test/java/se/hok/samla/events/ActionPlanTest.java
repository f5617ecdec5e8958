package se.hok.samla.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneId;
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
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;

/**
 * The action plan in Samla: the working group (viewers) and admins keep periods, years and planned activities, on the
 * pages and through the API; organisers read the plan and link their events to its activities; only admins close a
 * period. Bad input is a field error in Swedish or English, and nothing is saved.
 */
class ActionPlanTest {
  static TestApp app;
  static StaffAccount group;
  static StaffAccount organiser;
  static StaffAccount admin;
  static StaffAccount door;
  static long period;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("SAMLA_SEND_MAIL", "false"));
    group = StaffAccount.create(app, "viewer");
    organiser = StaffAccount.create(app, "organiser");
    admin = StaffAccount.admin(app);
    door = StaffAccount.create(app, "checkin");
    HttpResponse<Buffer> created = api(group, HttpMethod.POST, "/plan/periods",
        new JsonObject().put("name", "Handlingsplan 2030–2034").put("firstYear", 2030).put("lastYear", 2034));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    period = created.bodyAsJsonObject().getLong("id");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void theWorkingGroupKeepsThePlanOnItsPages() {
    PageSession pages = group.session();
    String index = pages.get("/arrangor/handlingsplan").bodyAsString();
    assertTrue(index.contains("<h1>Handlingsplan</h1>"), index);
    assertTrue(index.contains("Handlingsplan 2030–2034"), "the period made in the API");
    assertTrue(index.contains("<a href=\"/arrangor/handlingsplan\" aria-current=\"page\">Handlingsplan</a>"),
        "the working group finds the plan in the menu");

    String periodPage = "/arrangor/handlingsplan/perioder/" + period;
    HttpResponse<Buffer> year = pages.post(periodPage, periodPage + "/ar",
        form("year", "2031", "theme", "Dialog", "focusArea", "Demokrati"));
    assertEquals(302, year.statusCode(), year.bodyAsString());
    assertEquals("/arrangor/handlingsplan/ar/2031?sparad=1", year.getHeader("Location"));
    HttpResponse<Buffer> activity = pages.post("/arrangor/handlingsplan/ar/2031", "/arrangor/handlingsplan/ar/2031/aktiviteter",
        form("title", "Uppmärksammande av rösträtten", "kind", "seminarium", "target", "en öppen aktivitet", "notes", "Med ABF"));
    assertEquals(302, activity.statusCode(), activity.bodyAsString());
    String html = pages.get("/arrangor/handlingsplan/ar/2031").bodyAsString();
    assertTrue(html.contains("Uppmärksammande av rösträtten"), html);
    assertTrue(html.contains("<td>Seminarium</td>"));
    assertTrue(html.contains("<td>en öppen aktivitet</td>"));

    String activityPath = activity.getHeader("Location").replaceAll(".*#aktivitet-", "/arrangor/handlingsplan/aktiviteter/");
    HttpResponse<Buffer> changed = pages.post(activityPath, activityPath, form("title", "Rösträtten 100 år", "kind", "",
        "target", "", "notes", "", "position", "3"));
    assertEquals(302, changed.statusCode(), changed.bodyAsString());
    JsonObject stored = activityIn(2031, "Rösträtten 100 år");
    assertNull(stored.getValue("kind"), "no kind: not an event");
    assertEquals(3, stored.getInteger("position"));

    HttpResponse<Buffer> theme = pages.post("/arrangor/handlingsplan/ar/2031", "/arrangor/handlingsplan/ar/2031",
        form("theme", "Dialog och delaktighet", "focusArea", ""));
    assertEquals(302, theme.statusCode(), theme.bodyAsString());
    assertEquals(List.of("Dialog och delaktighet|-"), Db.column(app.databaseUrl,
        "select theme || '|' || coalesce(focus_area, '-') from action_plan_year where year = 2031"));

    // Organisers read the plan (to link their events) but do not change it; door staff and strangers see nothing.
    PageSession reader = organiser.session();
    assertEquals(200, reader.get("/arrangor/handlingsplan/ar/2031").statusCode());
    assertFalse(reader.get("/arrangor/handlingsplan/ar/2031").bodyAsString().contains("/aktiviteter\" class=\"form"),
        "no form the organiser cannot use");
    HttpResponse<Buffer> refused = reader.post("/arrangor/handlingsplan", "/arrangor/handlingsplan/ar/2031/aktiviteter",
        form("title", "Organisatörens idé"));
    assertEquals(403, refused.statusCode());
    assertEquals(403, door.session().get("/arrangor/handlingsplan").statusCode());
    HttpResponse<Buffer> stranger = PageSession.anonymous(app).get("/arrangor/handlingsplan");
    assertEquals(302, stranger.statusCode());
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from planned_activity where title = 'Organisatörens idé'"));
  }

  @Test
  void badInputIsAFieldErrorAndNothingIsSaved() {
    PageSession pages = group.session();
    long periods = count("plan_period");
    HttpResponse<Buffer> backwards = pages.post("/arrangor/handlingsplan", "/arrangor/handlingsplan/perioder",
        form("name", "Baklänges", "firstYear", "2040", "lastYear", "2039"));
    assertEquals(422, backwards.statusCode());
    assertTrue(backwards.bodyAsString().contains("Sista året måste vara samma som det första eller senare."));
    assertTrue(backwards.bodyAsString().contains("<a href=\"#lastYear\">Sista året:"), "the summary links to the field");
    HttpResponse<Buffer> overlapping = pages.post("/arrangor/handlingsplan", "/arrangor/handlingsplan/perioder",
        form("name", "Överlappar", "firstYear", "2034", "lastYear", "2036"));
    assertEquals(422, overlapping.statusCode());
    assertTrue(overlapping.bodyAsString().contains("Perioden överlappar Handlingsplan 2030–2034 (2030–2034)."),
        overlapping.bodyAsString());
    HttpResponse<Buffer> english = await(app.client.post("/api/v1/plan/periods").putHeader("Authorization", "Bearer "
        + group.token()).putHeader("Accept-Language", "en").sendJsonObject(new JsonObject().put("name", "Overlapping")
        .put("firstYear", 2029).put("lastYear", 2031)));
    assertEquals(422, english.statusCode());
    JsonObject fields = english.bodyAsJsonObject().getJsonObject("fields");
    assertEquals("The period overlaps Handlingsplan 2030–2034 (2030–2034). Periods must not overlap.",
        fields.getString("lastYear"));
    assertEquals(periods, count("plan_period"), "no period saved");

    String periodPage = "/arrangor/handlingsplan/perioder/" + period;
    HttpResponse<Buffer> outside = pages.post(periodPage, periodPage + "/ar", form("year", "2035", "theme", "Utanför"));
    assertEquals(422, outside.statusCode());
    assertTrue(outside.bodyAsString().contains("Året ligger utanför perioden Handlingsplan 2030–2034 (2030–2034)."));
    HttpResponse<Buffer> outsideApi = api(group, HttpMethod.PUT, "/plan/periods/" + period + "/years/2029",
        new JsonObject().put("theme", "Utanför"));
    assertEquals(422, outsideApi.statusCode());
    assertTrue(outsideApi.bodyAsJsonObject().getJsonObject("fields").containsKey("year"));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from action_plan_year where year in (2029, 2035)"));

    assertEquals(200, api(group, HttpMethod.PUT, "/plan/periods/" + period + "/years/2032",
        new JsonObject().put("theme", "Öppenhet")).statusCode());
    HttpResponse<Buffer> twice = pages.post(periodPage, periodPage + "/ar", form("year", "2032", "theme", "Igen"));
    assertEquals(422, twice.statusCode());
    assertTrue(twice.bodyAsString().contains("Året 2032 finns redan i handlingsplanen."));
    HttpResponse<Buffer> shrink = api(group, HttpMethod.PUT, "/plan/periods/" + period,
        new JsonObject().put("name", "Kortare").put("firstYear", 2033).put("lastYear", 2034));
    assertEquals(422, shrink.statusCode());
    assertTrue(shrink.bodyAsJsonObject().getJsonObject("fields").getString("firstYear").contains("2032"));

    long activities = count("planned_activity");
    HttpResponse<Buffer> untitled = pages.post("/arrangor/handlingsplan/ar/2032", "/arrangor/handlingsplan/ar/2032/aktiviteter",
        form("title", "  ", "kind", "workshop"));
    assertEquals(422, untitled.statusCode());
    assertTrue(untitled.bodyAsString().contains("<a href=\"#title\">Planerad aktivitet: Fyll i det här fältet.</a>"),
        untitled.bodyAsString());
    HttpResponse<Buffer> badKind = api(group, HttpMethod.POST, "/plan/years/2032/activities",
        new JsonObject().put("title", "Ok").put("kind", "fest"));
    assertEquals(400, badKind.statusCode(), "the contract knows the kinds");
    HttpResponse<Buffer> noYear = api(group, HttpMethod.POST, "/plan/years/2099/activities", new JsonObject().put("title", "Ok"));
    assertEquals(404, noYear.statusCode());
    assertEquals(activities, count("planned_activity"), "no activity saved");
    assertEquals(404, group.session().get("/arrangor/handlingsplan/ar/abc").statusCode());
    assertEquals(404, group.session().get("/arrangor/handlingsplan/perioder/99999").statusCode());
    assertEquals(404, group.session().get("/arrangor/handlingsplan/aktiviteter/99999").statusCode());
  }

  @Test
  void onlyAdminsCloseAPeriodAndTheApiAsksForConfirmation() {
    long other = api(group, HttpMethod.POST, "/plan/periods", new JsonObject().put("name", "Att stänga")
        .put("firstYear", 2050).put("lastYear", 2051)).bodyAsJsonObject().getLong("id");
    String closePage = "/arrangor/handlingsplan/perioder/" + other + "/stang";
    assertEquals(403, group.session().get(closePage).statusCode());
    assertEquals(403, organiser.session().get(closePage).statusCode());
    assertEquals(403, api(group, HttpMethod.POST, "/plan/periods/" + other + "/close",
        new JsonObject().put("confirm", true)).statusCode());
    HttpResponse<Buffer> unconfirmed = api(admin, HttpMethod.POST, "/plan/periods/" + other + "/close", new JsonObject());
    assertEquals(422, unconfirmed.statusCode());
    assertTrue(unconfirmed.bodyAsJsonObject().getJsonObject("fields").containsKey("confirm"));
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from plan_period_secret where period_id = " + other),
        "nothing was destroyed");
    assertFalse(group.session().get("/arrangor/handlingsplan/perioder/" + other).bodyAsString().contains(closePage),
        "the working group is not offered what it cannot do");
    assertTrue(admin.session().get("/arrangor/handlingsplan/perioder/" + other).bodyAsString().contains(closePage));

    HttpResponse<Buffer> closed = api(admin, HttpMethod.POST, "/plan/periods/" + other + "/close",
        new JsonObject().put("confirm", true));
    assertEquals(200, closed.statusCode(), closed.bodyAsString());
    assertEquals(false, closed.bodyAsJsonObject().getBoolean("alreadyClosed"));
    assertEquals(true, closed.bodyAsJsonObject().getJsonObject("period").getBoolean("closed"));
    HttpResponse<Buffer> moved = api(group, HttpMethod.PUT, "/plan/periods/" + other, new JsonObject().put("name", "Stängd")
        .put("firstYear", 2050).put("lastYear", 2052));
    assertEquals(422, moved.statusCode(), "a closed period keeps its years");
    assertEquals(200, api(group, HttpMethod.PUT, "/plan/periods/" + other, new JsonObject().put("name", "Stängd")
        .put("firstYear", 2050).put("lastYear", 2051)).statusCode(), "its name may change");
  }

  @Test
  void anEventCarriesOutAPlannedActivityOfItsYear() {
    assertEquals(200, api(group, HttpMethod.PUT, "/plan/periods/" + period + "/years/2032",
        new JsonObject().put("theme", "Öppenhet")).statusCode());
    assertEquals(200, api(group, HttpMethod.PUT, "/plan/periods/" + period + "/years/2033",
        new JsonObject().put("theme", "Långsiktighet")).statusCode());
    long activity = api(group, HttpMethod.POST, "/plan/years/2033/activities", new JsonObject().put("title",
        "Samverkanskonferens med tema långsiktighet").put("kind", "samverkanskonferens")).bodyAsJsonObject().getLong("id");

    OffsetDateTime start = OffsetDateTime.now(ZoneId.of("Europe/Stockholm")).plusDays(40);
    JsonObject body = new JsonObject().put("title", "Konferens").put("kind", "samverkanskonferens")
        .put("startsAt", start.toString()).put("endsAt", start.plusHours(6).toString())
        .put("onlineUrl", "https://example.org/k").put("capacity", 100).put("year", 2032).put("plannedActivityId", activity);
    HttpResponse<Buffer> otherYear = api(organiser, HttpMethod.POST, "/events", body);
    assertEquals(422, otherYear.statusCode());
    assertEquals("Den planerade aktiviteten hör till år 2033. Välj det året eller en annan aktivitet.",
        otherYear.bodyAsJsonObject().getJsonObject("fields").getString("plannedActivityId"));
    HttpResponse<Buffer> unknown = api(organiser, HttpMethod.POST, "/events", body.copy().put("plannedActivityId", 999999));
    assertEquals(422, unknown.statusCode());

    HttpResponse<Buffer> created = api(organiser, HttpMethod.POST, "/events", body.copy().putNull("year"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject event = created.bodyAsJsonObject();
    assertEquals(2033, event.getInteger("year"), "the event takes its activity's year");
    assertEquals(activity, event.getLong("plannedActivityId"));
    assertEquals("Samverkanskonferens med tema långsiktighet", event.getString("plannedActivity"));

    // The organiser's form offers the activities by year and keeps the choice.
    long id = event.getLong("id");
    String form = organiser.session().get("/arrangor/evenemang/" + id).bodyAsString();
    assertTrue(form.contains("<optgroup label=\"2033\">"), form);
    assertTrue(form.contains("<option value=\"" + activity + "\" selected>Samverkanskonferens med tema långsiktighet</option>"));

    // An event made without one is linked later, through its form.
    long later = PublishedEvent.by(app, organiser.token()).title("Workshop").startsAt(start.plusDays(1)).publishId();
    String path = "/arrangor/evenemang/" + later;
    MultiMap edit = MultiMap.caseInsensitiveMultiMap();
    JsonObject current = await(app.client.get("/api/v1/events/" + later).send()).bodyAsJsonObject();
    edit.add("title", current.getString("title")).add("kind", "workshop").add("startsAt", local(current.getString("startsAt")))
        .add("endsAt", local(current.getString("endsAt"))).add("onlineUrl", "https://example.org/workshop")
        .add("capacity", "100").add("reminderDays", "2").add("plannedActivityId", String.valueOf(activity));
    HttpResponse<Buffer> linked = organiser.session().post(path, path, edit);
    assertEquals(302, linked.statusCode(), linked.bodyAsString());
    assertEquals(activity, await(app.client.get("/api/v1/events/" + later).send()).bodyAsJsonObject()
        .getLong("plannedActivityId"));

    // Taking the activity out of the plan leaves its events, outside the plan.
    assertEquals(204, api(group, HttpMethod.DELETE, "/plan/activities/" + activity, null).statusCode());
    assertNull(await(app.client.get("/api/v1/events/" + later).send()).bodyAsJsonObject().getValue("plannedActivityId"));
    assertEquals(404, api(group, HttpMethod.DELETE, "/plan/activities/" + activity, null).statusCode());
  }

  @Test
  void thePlanPagesAreAccessibleInARealBrowser() {
    assertEquals(200, api(group, HttpMethod.PUT, "/plan/periods/" + period + "/years/2034",
        new JsonObject().put("theme", "Kvalitet")).statusCode());
    long activity = api(group, HttpMethod.POST, "/plan/years/2034/activities", new JsonObject().put("title",
        "Enkätutskick parterna")).bodyAsJsonObject().getLong("id");
    Browser browser = Browser.shared();
    browser.reset();
    WebDriver d = browser.driver();
    browser.open(app.url("/login"));
    d.manage().deleteAllCookies();
    browser.open(app.url("/login"));
    d.findElement(By.id("email")).sendKeys(TestApp.ADMIN_EMAIL);
    d.findElement(By.id("password")).sendKeys(TestApp.ADMIN_PASSWORD);
    d.findElement(By.cssSelector("form.form button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.urlToBe(app.url("/arrangor")));
    for (String[] page : List.of(
        new String[] {"/arrangor/handlingsplan", "Handlingsplan"},
        new String[] {"/arrangor/handlingsplan/perioder/" + period, "Handlingsplan 2030–2034"},
        new String[] {"/arrangor/handlingsplan/perioder/" + period + "/stang", "Stäng Handlingsplan 2030–2034?"},
        new String[] {"/arrangor/handlingsplan/ar/2034", "Handlingsplanens år 2034"},
        new String[] {"/arrangor/handlingsplan/aktiviteter/" + activity, "Enkätutskick parterna"},
        new String[] {"/arrangor/handlingsplan/ar/2034?lang=en", "Action-plan year 2034"})) {
      browser.openAt(app.url(page[0]), page[1]);
      browser.assertAccessible(page[0]);
    }
    // The form with errors: the summary and the fields say what to correct.
    browser.open(app.url("/arrangor/handlingsplan/ar/2034?lang=sv"));
    d.findElement(By.cssSelector("form[action$='/aktiviteter'] button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error-summary")));
    browser.assertAccessible("planned activity form with errors");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static JsonObject activityIn(int year, String title) {
    JsonObject plan = api(group, HttpMethod.GET, "/plan", null).bodyAsJsonObject();
    for (Object p : plan.getJsonArray("periods")) {
      for (Object y : ((JsonObject) p).getJsonArray("years")) {
        if (((JsonObject) y).getInteger("year") == year) {
          for (Object a : ((JsonObject) y).getJsonArray("activities")) {
            if (title.equals(((JsonObject) a).getString("title"))) {
              return (JsonObject) a;
            }
          }
        }
      }
    }
    throw new AssertionError("no activity " + title + " in " + plan.encodePrettily());
  }

  private static String local(String isoWithOffset) {
    return OffsetDateTime.parse(isoWithOffset).atZoneSameInstant(ZoneId.of("Europe/Stockholm")).toLocalDateTime()
        .toString();
  }

  static HttpResponse<Buffer> api(StaffAccount who, HttpMethod method, String path, JsonObject body) {
    var request = app.client.request(method, "/api/v1" + path).putHeader("Authorization", "Bearer " + who.token());
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  static MultiMap form(String... pairs) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      form.add(pairs[i], pairs[i + 1]);
    }
    return form;
  }

  private static long count(String table) {
    return ((Number) Db.column(app.databaseUrl, "select count(*) from " + table).get(0)).longValue();
  }
}
