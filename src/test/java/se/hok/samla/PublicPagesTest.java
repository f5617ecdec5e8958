package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.io.StringReader;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * What a visitor (and a staff member signing in) meets on the server-rendered pages: the calendar, event pages,
 * calendar files, languages, errors, signing in and the organiser's event form. One app with demo data for the class;
 * talks HTTP only.
 */
@WithSamla(env = "SAMLA_DEMO=true")
class PublicPagesTest {
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  private static final Locale SWEDISH = Locale.forLanguageTag("sv-SE");

  // Demo events (DemoData): upcoming ones are placed relative to today.
  private static final String CONFERENCE = "Samverkanskonferens med tema delaktighet";
  private static final String CONFERENCE_EN = "Collaboration conference on participation";
  private static final String DIALOGUE = "Dialogmöte om fysisk tillgänglighet i Region Hallands lokaler";
  private static final String ONLINE = "Digitalt nätverk om diskriminering: första träffen";
  private static final String CANCELLED = "Remissmöte om Region Hallands kulturplan";
  private static final String DRAFT = "Framtidsforum: civilsamhällets roll i Halland 2035";
  private static final String PAST_2024 = "Samverkanskonferens med tema kvalitet";
  private static final String PAST_2024_SEMINAR = "Uppföljning av HÖKs målbild 2024";
  private static final String PAST_2023 = "Samverkanskonferens med tema långsiktighet";
  private static final String PAST_2020 = "Inspelsafton: vad ska HÖK prioritera?";

  private static final String UNICODE_NAME = "Åsa Öberg-Nguy\u1EC5n";
  private static final String HOSTILE_TITLE = "<script>alert(1)</script> " + UNICODE_NAME;

  private static final Pattern JSON_LD =
      Pattern.compile("<script type=\"application/ld\\+json\">(.*?)</script>", Pattern.DOTALL);

  private static TestApp app;

  // ------------------------------------------------------------------------------------------------ calendar

  @Test
  void calendarListsPublishedUpcomingEventsButNeverDraftsOrPastOnes() {
    HttpResponse<Buffer> r = get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/html"), r.getHeader("Content-Type"));
    String html = r.bodyAsString();

    assertContains(html, "<html lang=\"sv\"");
    assertContains(html, "<h1>Kommande evenemang</h1>");
    assertContains(html, "<a href=\"/evenemang/" + idOf(CONFERENCE) + "\">" + CONFERENCE + "</a>");
    assertContains(html, "<a href=\"/evenemang/" + idOf(DIALOGUE) + "\">" + DIALOGUE + "</a>");
    assertContains(html, ONLINE);
    assertContains(html, "Platser kvar: 150");
    // Cancelled events stay in the calendar, clearly marked, so nobody travels in vain.
    assertContains(html, CANCELLED);
    assertContains(html, "tag-cancelled\">Inställt</strong>");

    assertNotContains(html, DRAFT);
    assertNotContains(html, "/evenemang/" + idOf(DRAFT) + "\"");
    assertNotContains(html, PAST_2024);
    assertNotContains(html, PAST_2020);

    // Soonest first.
    assertTrue(html.indexOf(DIALOGUE) < html.indexOf(ONLINE) && html.indexOf(ONLINE) < html.indexOf(CONFERENCE),
        "upcoming events should be listed in date order");
  }

  @Test
  void kindFilterNarrowsTheCalendar() {
    String html = get("/?kind=samverkanskonferens").bodyAsString();
    assertContains(html, CONFERENCE);
    assertNotContains(html, DIALOGUE);
    assertNotContains(html, ONLINE);
    assertNotContains(html, CANCELLED);
    assertContains(html, "<option value=\"samverkanskonferens\" selected>Samverkanskonferens</option>");

    String none = get("/?kind=framtidsforum").bodyAsString();
    assertNotContains(none, DRAFT);
    assertContains(none, "Det finns inga kommande evenemang som matchar ditt val.");

    // Nonsense in the query string is ignored, never an error.
    HttpResponse<Buffer> odd = get("/?kind=%3Cscript%3E&year=abc");
    assertEquals(200, odd.statusCode());
    assertContains(odd.bodyAsString(), CONFERENCE);
  }

  @Test
  void pastPageListsPastEventsMostRecentFirstAndFiltersByYear() {
    HttpResponse<Buffer> r = get("/tidigare");
    assertEquals(200, r.statusCode());
    String html = r.bodyAsString();
    assertContains(html, "<h1>Tidigare evenemang</h1>");
    assertContains(html, PAST_2024);
    assertContains(html, PAST_2020);
    assertNotContains(html, CONFERENCE);
    assertNotContains(html, DRAFT);
    assertTrue(html.indexOf(PAST_2024) < html.indexOf(PAST_2020), "most recent first");
    // Past events offer no seats.
    assertNotContains(html, "Platser kvar");

    String year2024 = get("/tidigare?year=2024").bodyAsString();
    assertContains(year2024, PAST_2024);
    assertContains(year2024, PAST_2024_SEMINAR);
    assertNotContains(year2024, PAST_2023);
    assertContains(year2024, "Årets tema: Kvalitet. Fokusområde: Ny version av HÖK");

    String conferences2024 = get("/tidigare?year=2024&kind=samverkanskonferens").bodyAsString();
    assertContains(conferences2024, PAST_2024);
    assertNotContains(conferences2024, PAST_2024_SEMINAR);
  }

  // ------------------------------------------------------------------------------------------------ event page

  @Test
  void eventPageShowsTimeVenueAccessibilitySeatsSessionsAndJsonLd() {
    long id = idOf(CONFERENCE);
    HttpResponse<Buffer> r = get("/evenemang/" + id);
    assertEquals(200, r.statusCode());
    String html = r.bodyAsString();

    assertContains(html, "<h1>" + CONFERENCE + "</h1>");
    assertContains(html, "<title>" + CONFERENCE + " – Samla HÖK</title>");
    Instant start = instant("select extract(epoch from starts_at)::bigint from event where id = " + id);
    Instant end = instant("select extract(epoch from ends_at)::bigint from event where id = " + id);
    ZonedDateTime localStart = start.atZone(STOCKHOLM);
    assertContains(html, DateTimeFormatter.ofPattern("d MMMM yyyy", SWEDISH).format(localStart));
    assertContains(html, "09:00–16:00");
    assertContains(html, "<time datetime=\"" + localStart.toOffsetDateTime() + "\">");

    assertContains(html, "Kulturhuset i Varberg, Sal Vinga, Engelbrektsgatan 7, 432 44 Varberg");
    assertContains(html, "<dt>Entré utan trappsteg</dt><dd>Ja</dd>");
    assertContains(html, "<dt>Hörslinga</dt><dd>Ja</dd>");
    assertContains(html, "<dt>Tillgänglig toalett</dt><dd>Ja</dd>");
    assertContains(html, "<dt>Parkering för rörelsehindrade</dt><dd>Nej</dd>");
    assertContains(html, "Hiss till Sal Vinga på plan 2.");

    int capacity = number("select capacity from event where id = " + id);
    int taken = number("select seats_taken from event where id = " + id);
    assertContains(html, (capacity - taken) + " av " + capacity + " platser kvar");
    assertContains(html, "Anmälan är öppen.");

    assertContains(html, "<h2 id=\"sessions-title\">Program och passen</h2>");
    assertContains(html, "<h3>13:00–14:15</h3>");
    assertContains(html, "<h3>14:30–15:45</h3>");
    assertContains(html, "Workshop A: Så når vi nya målgrupper <span class=\"muted\">(50 platser kvar)</span>");
    assertContains(html, "Workshop E: Meningsfull fritid för alla");
    assertContains(html, "href=\"/evenemang/" + id + "/kalender.ics\"");

    JsonObject ld = jsonLd(html);
    assertEquals("https://schema.org", ld.getString("@context"));
    assertEquals("Event", ld.getString("@type"));
    assertEquals(CONFERENCE, ld.getString("name"));
    assertDateWithOffset(ld.getString("startDate"), start);
    assertDateWithOffset(ld.getString("endDate"), end);
    assertEquals("https://schema.org/EventScheduled", ld.getString("eventStatus"));
    assertEquals("https://schema.org/OfflineEventAttendanceMode", ld.getString("eventAttendanceMode"));
    JsonObject place = ld.getJsonObject("location");
    assertEquals("Place", place.getString("@type"));
    assertEquals("Kulturhuset i Varberg, Sal Vinga", place.getString("name"));
    assertTrue(ld.getString("url").endsWith("/evenemang/" + id), ld.getString("url"));
  }

  @Test
  void onlineEventPageSaysItIsOnlineButKeepsTheLinkForThoseRegisteredAndHasNoVenueFacts() {
    long id = idOf(ONLINE);
    String html = get("/evenemang/" + id).bodyAsString();
    assertContains(html, "<h1>" + ONLINE + "</h1>");
    assertContains(html, "Digitalt: länken till mötet får du i mejlet när du är anmäld");
    assertNotContains(html, "https://example.org/mote/diskriminering-natverk");
    assertNotContains(html, "Tillgänglighet i lokalen");
    JsonObject ld = jsonLd(html);
    assertEquals("VirtualLocation", ld.getJsonObject("location").getString("@type"));
    assertEquals("https://schema.org/OnlineEventAttendanceMode", ld.getString("eventAttendanceMode"));
  }

  @Test
  void cancelledAndPastEventPagesSayWhatHappenedAndOfferNoRegistration() {
    String cancelled = get("/evenemang/" + idOf(CANCELLED)).bodyAsString();
    assertContains(cancelled, "Det här evenemanget är inställt.");
    assertNotContains(cancelled, "Anmälan är öppen.");
    assertNotContains(cancelled, "platser kvar");
    assertEquals("https://schema.org/EventCancelled", jsonLd(cancelled).getString("eventStatus"));

    String past = get("/evenemang/" + idOf(PAST_2024)).bodyAsString();
    assertContains(past, "Det här evenemanget har redan ägt rum.");
    assertNotContains(past, "Anmälan är öppen.");
  }

  @Test
  void draftsAreNeverPublic() {
    long draft = idOf(DRAFT);
    assertEquals(404, get("/evenemang/" + draft).statusCode());
    assertEquals(404, get("/evenemang/" + draft + "/kalender.ics").statusCode());
    assertEquals(404, get("/api/v1/events/" + draft).statusCode());
    assertNotContains(get("/events.ics").bodyAsString(), DRAFT);
  }

  // ------------------------------------------------------------------------------------------------ iCalendar

  @Test
  void calendarFeedHasOneEventPerPublicUpcomingEventInStockholmTime() throws Exception {
    HttpResponse<Buffer> r = get("/events.ics");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/calendar"), r.getHeader("Content-Type"));
    Calendar calendar = new CalendarBuilder().build(new StringReader(r.bodyAsString()));

    assertTrue(calendar.getComponent(Component.VTIMEZONE).isPresent(), "the feed carries its VTIMEZONE");
    assertTrue(calendar.getComponent(Component.VTIMEZONE).orElseThrow().toString().contains("TZID:Europe/Stockholm"),
        "the VTIMEZONE is the one the events' TZID names");

    // What the public may see: published and cancelled (marked so), not yet over. Drafts never.
    Map<Long, String> expected = new HashMap<>();
    for (Object row : Db.column(app.databaseUrl, "select id::text || '|' || title_sv from event"
        + " where status in ('published', 'cancelled') and ends_at >= now()")) {
      String[] parts = row.toString().split("\\|", 2);
      expected.put(Long.parseLong(parts[0]), parts[1]);
    }
    assertTrue(expected.size() >= 7, "demo data has upcoming events: " + expected);

    List<VEvent> events = calendar.getComponents(Component.VEVENT);
    Set<Long> seen = new HashSet<>();
    for (VEvent event : events) {
      long id = checkVEvent(event);
      assertTrue(seen.add(id), "one VEVENT per event, twice: " + id);
      assertTrue(expected.containsKey(id), "unexpected event in the feed: " + id);
      assertEquals(expected.get(id), value(event, Property.SUMMARY));
      String status = value(event, Property.STATUS);
      boolean cancelled = "cancelled".equals(Db.column(app.databaseUrl,
          "select status from event where id = " + id).get(0));
      assertEquals(cancelled ? "CANCELLED" : "CONFIRMED", status, "STATUS of event " + id);
    }
    assertEquals(expected.keySet(), seen);
  }

  @Test
  void eventCalendarFileHasTheOneEvent() throws Exception {
    long id = idOf(CONFERENCE);
    HttpResponse<Buffer> r = get("/evenemang/" + id + "/kalender.ics");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/calendar"), r.getHeader("Content-Type"));
    assertContains(r.getHeader("Content-Disposition"), "attachment");
    Calendar calendar = new CalendarBuilder().build(new StringReader(r.bodyAsString()));
    List<VEvent> events = calendar.getComponents(Component.VEVENT);
    assertEquals(1, events.size());
    VEvent event = events.get(0);
    assertEquals(id, checkVEvent(event));
    assertEquals(CONFERENCE, value(event, Property.SUMMARY));
    assertContains(value(event, Property.LOCATION), "Kulturhuset i Varberg, Sal Vinga");
    assertTrue(value(event, Property.URL).endsWith("/evenemang/" + id), value(event, Property.URL));

    assertEquals(404, get("/evenemang/999999/kalender.ics").statusCode());
    assertEquals(404, get("/evenemang/abc/kalender.ics").statusCode());
  }

  @Test
  void absoluteLinksPointAtThisInstallation() throws Exception {
    // Started with SAMLA_HTTP_PORT=0 and no SAMLA_PUBLIC_URL: links must use the port actually listened on.
    long id = idOf(CONFERENCE);
    assertEquals(app.url("/evenemang/" + id), jsonLd(get("/evenemang/" + id).bodyAsString()).getString("url"),
        "JSON-LD url");
    Calendar calendar = new CalendarBuilder().build(new StringReader(
        get("/evenemang/" + id + "/kalender.ics").bodyAsString()));
    assertEquals(app.url("/evenemang/" + id),
        value(calendar.<VEvent>getComponents(Component.VEVENT).get(0), Property.URL), "iCalendar URL");
  }

  /** UID, and DTSTART/DTEND in Europe/Stockholm that match the database; returns the event id. */
  private static long checkVEvent(VEvent event) {
    String uid = value(event, Property.UID);
    Matcher m = Pattern.compile("event-(\\d+)@.+").matcher(uid);
    assertTrue(m.matches(), "UID " + uid);
    long id = Long.parseLong(m.group(1));
    DateTimeFormatter ical = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    for (String[] p : new String[][] {{Property.DTSTART, "starts_at"}, {Property.DTEND, "ends_at"}}) {
      Property property = event.getProperty(p[0]).orElseThrow(() -> new AssertionError(p[0] + " missing: " + event));
      assertEquals("Europe/Stockholm",
          property.getParameter(Parameter.TZID).map(Parameter::getValue).orElse(null), p[0] + " TZID");
      Instant expected = instant("select extract(epoch from " + p[1] + ")::bigint from event where id = " + id);
      assertEquals(ical.format(expected.atZone(STOCKHOLM)), property.getValue(), p[0] + " of event " + id);
    }
    return id;
  }

  private static String value(VEvent event, String name) {
    return event.getProperty(name).map(Property::getValue)
        .orElseThrow(() -> new AssertionError(name + " missing in " + event));
  }

  // ------------------------------------------------------------------------------------------------ errors

  @Test
  void unknownThingsAreSwedish404sNever500s() {
    HttpResponse<Buffer> unknown = get("/finns-inte");
    assertEquals(404, unknown.statusCode());
    String html = unknown.bodyAsString();
    assertContains(html, "<html lang=\"sv\"");
    assertContains(html, "<h1>Sidan finns inte</h1>");
    assertContains(html, "<a href=\"/\">Gå till kalendern</a>");

    for (String path : List.of("/evenemang/999999", "/evenemang/abc", "/evenemang/-1", "/evenemang/1.5",
        "/evenemang/99999999999999999999", "/evenemang/%3Cscript%3E")) {
      HttpResponse<Buffer> r = get(path);
      assertEquals(404, r.statusCode(), path);
      assertContains(r.bodyAsString(), "Sidan finns inte");
    }

    String english = get("/finns-inte?lang=en").bodyAsString();
    assertContains(english, "<h1>Page not found</h1>");
  }

  // ------------------------------------------------------------------------------------------------ languages

  @Test
  void swedishByDefault() {
    String html = get("/").bodyAsString();
    assertContains(html, "<html lang=\"sv\"");
    assertContains(html, "<a href=\"/?lang=en\" lang=\"en\" hreflang=\"en\">English</a>");
  }

  @Test
  void langParameterSwitchesToEnglishAndTheCookieKeepsIt() {
    HttpResponse<Buffer> r = get("/?lang=en");
    assertEquals(200, r.statusCode());
    String html = r.bodyAsString();
    assertContains(html, "<html lang=\"en\"");
    assertContains(html, "<h1>Upcoming events</h1>");
    assertContains(html, CONFERENCE_EN);
    assertNotContains(html, "Kommande evenemang");

    String setCookie = setCookie(r, "samla_lang");
    assertTrue(setCookie.startsWith("samla_lang=en"), setCookie);
    assertTrue(setCookie.toLowerCase(Locale.ROOT).contains("path=/"), setCookie);

    String cookie = setCookie.split(";", 2)[0];
    HttpResponse<Buffer> next = TestApp.await(app.client.get("/evenemang/" + idOf(CONFERENCE))
        .putHeader("Cookie", cookie).send());
    String eventPage = next.bodyAsString();
    assertContains(eventPage, "<html lang=\"en\"");
    assertContains(eventPage, "<h1>" + CONFERENCE_EN + "</h1>");
    assertContains(eventPage, "<dt>Hearing loop</dt><dd>Yes</dd>");

    // And back again.
    HttpResponse<Buffer> back = TestApp.await(app.client.get("/?lang=sv").putHeader("Cookie", cookie).send());
    assertContains(back.bodyAsString(), "<html lang=\"sv\"");
    assertTrue(setCookie(back, "samla_lang").startsWith("samla_lang=sv"));
  }

  @Test
  void acceptLanguageEnglishAloneGivesEnglish() {
    for (String header : List.of("en", "en-GB,en;q=0.9", "de-DE, en;q=0.5")) {
      String html = get("/tidigare", "Accept-Language", header).bodyAsString();
      assertContains(html, "<html lang=\"en\"");
      assertContains(html, "<h1>Past events</h1>");
    }
    assertContains(get("/", "Accept-Language", "sv-SE,sv;q=0.9,en;q=0.8").bodyAsString(), "<html lang=\"sv\"");
  }

  // ------------------------------------------------------------------------------------------------ login

  @Test
  void wrongPasswordShowsTheErrorAndKeepsTheEmail() {
    WebClientSession browser = newSession();
    HttpResponse<Buffer> r = login(browser, TestApp.ADMIN_EMAIL, "not-the-password", null);
    assertEquals(422, r.statusCode());
    String html = r.bodyAsString();
    assertContains(html, "class=\"error-summary\"");
    assertContains(html, "<a href=\"#email\">E-postadress: Fel e-postadress eller lösenord.</a>");
    assertContains(html, "value=\"" + TestApp.ADMIN_EMAIL + "\"");
    assertContains(html, "aria-invalid=\"true\"");
    // Never echoes the password.
    assertNotContains(html, "not-the-password");
    // Still not signed in.
    assertEquals(302, TestApp.await(browser.get("/arrangor").send()).statusCode());
  }

  @Test
  void rightPasswordSignsInWithAHttpOnlyLaxSessionCookie() {
    WebClientSession browser = newSession();
    HttpResponse<Buffer> r = login(browser, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD, null);
    assertEquals(302, r.statusCode(), r.bodyAsString());
    assertEquals("/arrangor", r.getHeader("Location"));
    String cookie = setCookie(r, "samla_session").toLowerCase(Locale.ROOT);
    assertTrue(cookie.contains("httponly"), cookie);
    assertTrue(cookie.contains("samesite=lax"), cookie);

    HttpResponse<Buffer> dashboard = TestApp.await(browser.get("/arrangor").send());
    assertEquals(200, dashboard.statusCode());
    String html = dashboard.bodyAsString();
    assertContains(html, "<h1>Arrangörens översikt</h1>");
    assertContains(html, "Inloggad som");
    // Organisers see drafts too.
    assertContains(html, DRAFT);
  }

  @Test
  void loginOnlyRedirectsToLocalPaths() {
    HttpResponse<Buffer> local = login(newSession(), TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD, "/admin/personal");
    assertEquals(302, local.statusCode());
    assertEquals("/admin/personal", local.getHeader("Location"));

    for (String evil : List.of("//evil.example/", "https://evil.example/", "/\\evil.example")) {
      HttpResponse<Buffer> r = login(newSession(), TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD, evil);
      assertEquals(302, r.statusCode(), evil);
      assertEquals("/arrangor", r.getHeader("Location"), evil);
    }
  }

  @Test
  void loginWithoutTheCsrfTokenIsRefused() {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("email", TestApp.ADMIN_EMAIL).add("password", TestApp.ADMIN_PASSWORD);
    HttpResponse<Buffer> bare = TestApp.await(app.client.post("/login").sendForm(form));
    assertEquals(403, bare.statusCode(), bare.bodyAsString());
    assertContains(bare.bodyAsString(), "Formuläret hade gått ut");

    // With the cookie from the login page but a forged token.
    WebClientSession browser = newSession();
    TestApp.await(browser.get("/login").send());
    HttpResponse<Buffer> forged = TestApp.await(browser.post("/login")
        .sendForm(MultiMap.caseInsensitiveMultiMap().addAll(form).add("X-XSRF-TOKEN", "forged.123.abc")));
    assertEquals(403, forged.statusCode(), forged.bodyAsString());
    assertEquals(302, TestApp.await(browser.get("/arrangor").send()).statusCode(), "still not signed in");
  }

  // A browser acts on a response at once (it follows a redirect immediately), so the session must be stored before
  // the response goes out. These two tests make the database slow to write web_session, as under load.

  @Test
  void csrfTokenIsStoredBeforeThePageIsSent() throws Exception {
    WebClientSession browser = newSession();
    HttpResponse<Buffer> sent = withSessionWritesHeldBack(() -> {
      HttpResponse<Buffer> page = TestApp.await(browser.get("/login").send());
      return TestApp.await(browser.post("/login").sendForm(MultiMap.caseInsensitiveMultiMap()
          .add("X-XSRF-TOKEN", csrf(page)).add("email", TestApp.ADMIN_EMAIL).add("password", TestApp.ADMIN_PASSWORD)));
    });
    assertEquals(302, sent.statusCode(), "the login page arrived before its CSRF token was stored in the session,"
        + " so the form sent from it is refused: " + heading(sent.bodyAsString()));
  }

  @Test
  void signedInSessionIsStoredBeforeTheRedirect() throws Exception {
    WebClientSession browser = newSession();
    HttpResponse<Buffer> page = TestApp.await(browser.get("/login").send());
    int dashboard = withSessionWritesHeldBack(() -> {
      HttpResponse<Buffer> r = TestApp.await(browser.post("/login").sendForm(MultiMap.caseInsensitiveMultiMap()
          .add("X-XSRF-TOKEN", csrf(page)).add("email", TestApp.ADMIN_EMAIL).add("password", TestApp.ADMIN_PASSWORD)));
      assertEquals(302, r.statusCode(), heading(r.bodyAsString()));
      return TestApp.await(browser.get(r.getHeader("Location")).send()).statusCode();
    });
    assertEquals(200, dashboard, "the redirect after signing in arrived before the signed-in session was stored,"
        + " so the organiser is sent to the login page again");
  }

  // ------------------------------------------------------------------------------------------------ organiser pages

  @Test
  void organiserPagesSendAnonymousVisitorsToTheLoginPage() {
    Map<String, String> expected = Map.of(
        "/arrangor", "/login?next=%2Farrangor",
        "/arrangor/evenemang/ny", "/login?next=%2Farrangor%2Fevenemang%2Fny",
        "/admin/personal", "/login?next=%2Fadmin%2Fpersonal");
    expected.forEach((path, location) -> {
      HttpResponse<Buffer> r = get(path);
      assertEquals(302, r.statusCode(), path);
      assertEquals(location, r.getHeader("Location"), path);
    });
    // The login page keeps where to go next.
    assertContains(get("/login?next=%2Farrangor%2Fevenemang%2Fny").bodyAsString(),
        "name=\"next\" value=\"/arrangor/evenemang/ny\"");
  }

  @Test
  void viewerMaySeeTheDashboardButNotCreateEvents() {
    String email = "viewer-" + System.nanoTime() + "@test.example";
    String password = "viewer-password-123";
    Db.exec(app.databaseUrl, "insert into staff_user (email, name, password_hash, role) values ('" + email
        + "', 'Vera Läsare', '" + Db.argon2(password) + "', 'viewer')");
    WebClientSession browser = newSession();
    assertEquals(302, login(browser, email, password, null).statusCode());

    HttpResponse<Buffer> dashboard = TestApp.await(browser.get("/arrangor").send());
    assertEquals(200, dashboard.statusCode());
    assertNotContains(dashboard.bodyAsString(), "href=\"/arrangor/evenemang/ny\"");

    HttpResponse<Buffer> form = TestApp.await(browser.get("/arrangor/evenemang/ny").send());
    assertEquals(403, form.statusCode());
    assertContains(form.bodyAsString(), "<h1>Åtkomst nekad</h1>");
    assertContains(form.bodyAsString(), "Din roll har inte behörighet");

    assertEquals(403, TestApp.await(browser.get("/admin/personal").send()).statusCode());
  }

  @Test
  void adminCreatesAndPublishesAnEventThroughTheFormAndItAppearsInTheCalendar() {
    WebClientSession browser = adminSession();
    HttpResponse<Buffer> blank = TestApp.await(browser.get("/arrangor/evenemang/ny").send());
    assertEquals(200, blank.statusCode());
    assertContains(blank.bodyAsString(), "<h1>Nytt evenemang</h1>");

    String title = "Studiecirkel om föreningsekonomi " + System.nanoTime();
    LocalDate day = LocalDate.now(STOCKHOLM).plusDays(40);
    MultiMap form = eventForm(csrf(blank), title, day.atTime(10, 0), day.atTime(12, 0), "30");
    HttpResponse<Buffer> created = TestApp.await(browser.post("/arrangor/evenemang").sendForm(form));
    assertEquals(302, created.statusCode(), created.bodyAsString());
    Matcher m = Pattern.compile("/arrangor/evenemang/(\\d+)\\?saved=1").matcher(created.getHeader("Location"));
    assertTrue(m.matches(), created.getHeader("Location"));
    long id = Long.parseLong(m.group(1));

    // A draft until published.
    assertEquals(404, get("/evenemang/" + id).statusCode());
    assertNotContains(get("/").bodyAsString(), title);

    HttpResponse<Buffer> edit = TestApp.await(browser.get("/arrangor/evenemang/" + id + "?saved=1").send());
    assertEquals(200, edit.statusCode());
    assertContains(edit.bodyAsString(), "Ändringarna är sparade.");
    assertContains(edit.bodyAsString(), "value=\"" + title + "\"");
    assertContains(edit.bodyAsString(), "action=\"/arrangor/evenemang/" + id + "/publicera\"");

    HttpResponse<Buffer> published = TestApp.await(browser.post("/arrangor/evenemang/" + id + "/publicera")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("X-XSRF-TOKEN", csrf(edit))));
    assertEquals(302, published.statusCode(), published.bodyAsString());
    assertEquals("/arrangor/evenemang/" + id + "?published=1", published.getHeader("Location"));

    assertContains(get("/").bodyAsString(), "<a href=\"/evenemang/" + id + "\">" + title + "</a>");
    HttpResponse<Buffer> page = get("/evenemang/" + id);
    assertEquals(200, page.statusCode());
    assertContains(page.bodyAsString(), "10:00–12:00");
    assertContains(page.bodyAsString(), "30 av 30 platser kvar");
    assertContains(page.bodyAsString(), "Samverkanshuset, Halmstad");
  }

  @Test
  void invalidEventFormComesBackWithAnErrorSummaryAndTheTypedValues() {
    WebClientSession browser = adminSession();
    HttpResponse<Buffer> blank = TestApp.await(browser.get("/arrangor/evenemang/ny").send());
    LocalDate day = LocalDate.now(STOCKHOLM).plusDays(41);
    String title = "Halvfärdigt evenemang " + System.nanoTime();

    // End before start, no capacity: the typed title and times come back.
    MultiMap form = eventForm(csrf(blank), title, day.atTime(14, 0), day.atTime(13, 0), "");
    HttpResponse<Buffer> r = TestApp.await(browser.post("/arrangor/evenemang").sendForm(form));
    assertEquals(422, r.statusCode(), r.bodyAsString());
    String html = r.bodyAsString();
    String summary = errorSummary(html);
    assertContains(summary, "<a href=\"#endsAt\">Slutar: Sluttiden måste vara efter starttiden.</a>");
    assertContains(summary, "<a href=\"#capacity\">Antal platser: Skriv hur många platser evenemanget har, med siffror.</a>");
    assertNotContains(summary, "#title");
    assertContains(html, "id=\"title\" name=\"title\" type=\"text\" value=\"" + title + "\"");
    assertContains(html, "value=\"" + day.atTime(14, 0) + "\"");
    assertContains(html, "value=\"" + day.atTime(13, 0) + "\"");
    assertSummaryLinksPointAtFields(html);
    assertEquals(0, Db.column(app.databaseUrl,
        "select id from event where title_sv = '" + title + "'").size(), "nothing saved");

    // Empty title.
    // (A fresh form for each try: re-submitting the re-rendered form is its own test below.)
    MultiMap noTitle = eventForm(freshFormToken(browser), "", day.atTime(9, 0), day.atTime(10, 0), "20");
    HttpResponse<Buffer> r2 = TestApp.await(browser.post("/arrangor/evenemang").sendForm(noTitle));
    assertEquals(422, r2.statusCode(), r2.bodyAsString());
    assertContains(errorSummary(r2.bodyAsString()), "<a href=\"#title\">Titel (svenska): Skriv evenemangets titel på svenska.</a>");
    assertContains(r2.bodyAsString(), "value=\"20\"");
    assertSummaryLinksPointAtFields(r2.bodyAsString());

    // Completely empty: every required field is named, each link lands on a field.
    MultiMap empty = MultiMap.caseInsensitiveMultiMap().add("X-XSRF-TOKEN", freshFormToken(browser));
    HttpResponse<Buffer> r3 = TestApp.await(browser.post("/arrangor/evenemang").sendForm(empty));
    assertEquals(422, r3.statusCode(), r3.bodyAsString());
    String summary3 = errorSummary(r3.bodyAsString());
    for (String field : List.of("title", "kind", "startsAt", "endsAt", "venueId", "capacity")) {
      assertContains(summary3, "href=\"#" + field + "\"");
    }
    assertSummaryLinksPointAtFields(r3.bodyAsString());
  }

  @Test
  void correctedEventFormCanBeSentAgainFromTheErrorPage() {
    WebClientSession browser = adminSession();
    LocalDate day = LocalDate.now(STOCKHOLM).plusDays(43);
    String title = "Rättat evenemang " + System.nanoTime();
    HttpResponse<Buffer> wrong = TestApp.await(browser.post("/arrangor/evenemang")
        .sendForm(eventForm(freshFormToken(browser), title, day.atTime(14, 0), day.atTime(13, 0), "25")));
    assertEquals(422, wrong.statusCode());

    // The person fixes the end time and presses Spara on the page they got back.
    HttpResponse<Buffer> fixed = TestApp.await(browser.post("/arrangor/evenemang")
        .sendForm(eventForm(csrf(wrong), title, day.atTime(14, 0), day.atTime(16, 0), "25")));
    assertEquals(302, fixed.statusCode(),
        "the re-rendered form's CSRF token must be accepted; got: " + heading(fixed.bodyAsString()));
    assertEquals(1, Db.column(app.databaseUrl, "select id from event where title_sv = '" + title + "'").size());
  }

  @Test
  void signingInAfterAMistypedPasswordWorksFromTheErrorPage() {
    WebClientSession browser = newSession();
    HttpResponse<Buffer> wrong = login(browser, TestApp.ADMIN_EMAIL, "mistyped-password", null);
    assertEquals(422, wrong.statusCode());
    HttpResponse<Buffer> right = TestApp.await(browser.post("/login").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("X-XSRF-TOKEN", csrf(wrong)).add("email", TestApp.ADMIN_EMAIL).add("password", TestApp.ADMIN_PASSWORD)
        .add("next", "/arrangor")));
    assertEquals(302, right.statusCode(),
        "the re-rendered login form's CSRF token must be accepted; got: " + heading(right.bodyAsString()));
    assertEquals("/arrangor", right.getHeader("Location"));
  }

  // ------------------------------------------------------------------------------------------------ escaping

  @Test
  void hostileTitleIsEscapedAndUnicodeKeptExactly() throws Exception {
    long id = createPublishedViaApi(HOSTILE_TITLE, 42);

    String escaped = "&lt;script&gt;alert(1)&lt;";
    String calendar = get("/").bodyAsString();
    assertNotContains(calendar, "<script>alert(1)");
    assertNotContains(calendar, "<script");
    assertContains(calendar, escaped);
    assertContains(calendar, UNICODE_NAME + "</a>");

    String page = get("/evenemang/" + id).bodyAsString();
    assertNotContains(JSON_LD.matcher(page).replaceAll(""), "<script");
    assertContains(page, "<h1>" + escaped);
    assertContains(page, UNICODE_NAME + "</h1>");
    assertContains(page, UNICODE_NAME + " – Samla HÖK</title>");
    // The JSON-LD carries the title exactly, and cannot end its script element early.
    Matcher m = JSON_LD.matcher(page);
    assertTrue(m.find());
    assertFalse(m.group(1).contains("</"), m.group(1));
    assertEquals(HOSTILE_TITLE, new JsonObject(m.group(1)).getString("name"));
    assertFalse(m.find(), "exactly one script element on the page");

    Calendar ics = new CalendarBuilder().build(new StringReader(
        get("/evenemang/" + id + "/kalender.ics").bodyAsString()));
    VEvent event = ics.<VEvent>getComponents(Component.VEVENT).get(0);
    assertEquals(HOSTILE_TITLE, value(event, Property.SUMMARY));

    assertEquals(HOSTILE_TITLE, get("/api/v1/events/" + id).bodyAsJsonObject().getString("title"));
  }

  @Test
  void jsonLdCannotSwallowTheRestOfThePage() {
    // "<!--<script>" inside a script element puts the HTML parser in its double-escaped state: the real </script>
    // no longer ends the element and the whole page body becomes part of the JSON-LD (a blank page).
    String title = "Träff <!--<script> i Halmstad";
    long id = createPublishedViaApi(title, 44);
    String page = get("/evenemang/" + id).bodyAsString();
    Matcher m = JSON_LD.matcher(page);
    assertTrue(m.find());
    String json = m.group(1);
    assertEquals(title, new JsonObject(json).getString("name"));
    assertFalse(json.contains("<!--") || json.toLowerCase(Locale.ROOT).contains("<script"),
        "JSON-LD must escape '<' (e.g. as \\u003c) so that no '<!--' or '<script' appears inside the script element: "
            + json);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static long createPublishedViaApi(String title, int daysAhead) {
    LocalDate day = LocalDate.now(STOCKHOLM).plusDays(daysAhead);
    return PublishedEvent.by(app, app.adminToken()).with("title", title).kind("seminarium")
        .startsAt(day.atTime(9, 0).atZone(STOCKHOLM).toOffsetDateTime())
        .endsAt(day.atTime(11, 0).atZone(STOCKHOLM).toOffsetDateTime()).capacity(40)
        .with("venueId", venueId("Samverkanshuset, Halmstad")).with("onlineUrl", null)
        .with("registrationOpensAt", null).publishId();
  }

  private static String freshFormToken(WebClientSession browser) {
    HttpResponse<Buffer> form = TestApp.await(browser.get("/arrangor/evenemang/ny").send());
    assertEquals(200, form.statusCode());
    return csrf(form);
  }

  private static String heading(String html) {
    Matcher m = Pattern.compile("<h1>(.*?)</h1>.*?<p>(.*?)</p>", Pattern.DOTALL).matcher(html);
    return m.find() ? m.group(1) + ": " + m.group(2) : html;
  }

  private static HttpResponse<Buffer> get(String path) {
    return TestApp.await(app.client.get(path).send());
  }

  private static HttpResponse<Buffer> get(String path, String header, String value) {
    return TestApp.await(app.client.get(path).putHeader(header, value).send());
  }

  /** Runs {@code action} while writes to the web_session table wait 1.5 s, as on a busy database. */
  private static <T> T withSessionWritesHeldBack(Supplier<T> action) throws Exception {
    URI uri = new URI(app.databaseUrl);
    String[] user = uri.getUserInfo().split(":", 2);
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort()
        + uri.getPath(), user[0], user.length > 1 ? user[1] : "")) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("lock table web_session in share mode");
      }
      Thread release = new Thread(() -> {
        try {
          Thread.sleep(1500);
          c.commit();
        } catch (InterruptedException | SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      release.start();
      try {
        return action.get();
      } finally {
        release.join();
      }
    }
  }

  private static WebClientSession newSession() {
    return WebClientSession.create(se.hok.samla.support.ContractCheck.on(app.vertx, WebClient.create(app.vertx,
        new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port()).setFollowRedirects(false))));
  }

  private static WebClientSession adminSession() {
    WebClientSession browser = newSession();
    HttpResponse<Buffer> r = login(browser, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD, null);
    assertEquals(302, r.statusCode(), r.bodyAsString());
    return browser;
  }

  /** Like a person: opens the login page (CSRF cookie and field), then sends the form. */
  private static HttpResponse<Buffer> login(WebClientSession browser, String email, String password, String next) {
    HttpResponse<Buffer> page = TestApp.await(browser.get("/login").send());
    assertEquals(200, page.statusCode());
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("X-XSRF-TOKEN", csrf(page)).add("email", email).add("password", password);
    if (next != null) {
      form.add("next", next);
    }
    return TestApp.await(browser.post("/login").sendForm(form));
  }

  private static String csrf(HttpResponse<Buffer> page) {
    return PageSession.csrf(page.bodyAsString());
  }

  private static MultiMap eventForm(String csrf, String title, LocalDateTime start, LocalDateTime end,
      String capacity) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("X-XSRF-TOKEN", csrf)
        .add("title", title).add("titleEn", "").add("kind", "workshop")
        .add("description", "Vi lär oss läsa en resultaträkning.").add("descriptionEn", "")
        .add("startsAt", start.toString()).add("endsAt", end.toString())
        .add("venueId", String.valueOf(venueId("Samverkanshuset, Halmstad"))).add("onlineUrl", "")
        .add("capacity", capacity).add("registrationOpensAt", "").add("registrationClosesAt", "").add("year", "")
        .add("organiserName", "Test Testsson").add("organiserEmail", "test@example.org");
    // The form always sends its blank session rows.
    for (int i = 0; i < 3; i++) {
      for (String f : List.of("id", "title", "titleEn", "startsAt", "endsAt", "capacity")) {
        form.add("sessions[" + i + "]." + f, "");
      }
    }
    return form;
  }

  private static String errorSummary(String html) {
    Matcher m = Pattern.compile("<div class=\"error-summary\"[^>]*>(.*?)</div>", Pattern.DOTALL).matcher(html);
    if (!m.find()) {
      fail("no .error-summary on the page: " + html);
    }
    return m.group(1);
  }

  /** Every link in the error summary must land on an element of the page. */
  private static void assertSummaryLinksPointAtFields(String html) {
    Matcher links = Pattern.compile("href=\"#([^\"]+)\"").matcher(errorSummary(html));
    int count = 0;
    while (links.find()) {
      count++;
      assertContains(html, "id=\"" + links.group(1) + "\"");
    }
    assertTrue(count > 0, "the error summary links to the fields");
  }

  private static JsonObject jsonLd(String html) {
    Matcher m = JSON_LD.matcher(html);
    if (!m.find()) {
      fail("no JSON-LD on the page");
    }
    return new JsonObject(m.group(1));
  }

  private static void assertDateWithOffset(String value, Instant expected) {
    assertNotNull(value);
    assertTrue(value.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?[+-]\\d{2}:\\d{2}"),
        "ISO 8601 with an explicit offset: " + value);
    java.time.OffsetDateTime parsed = java.time.OffsetDateTime.parse(value);
    assertEquals(expected, parsed.toInstant(), value);
    assertEquals(STOCKHOLM.getRules().getOffset(expected), parsed.getOffset(), "Stockholm's offset: " + value);
  }

  private static String setCookie(HttpResponse<Buffer> r, String name) {
    return r.cookies().stream().filter(c -> c.startsWith(name + "=")).findFirst()
        .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + " in " + r.cookies()));
  }

  private static long idOf(String title) {
    List<Object> ids = Db.column(app.databaseUrl,
        "select id from event where title_sv = '" + title.replace("'", "''") + "'");
    assertEquals(1, ids.size(), "demo event " + title);
    return ((Number) ids.get(0)).longValue();
  }

  private static long venueId(String name) {
    return ((Number) Db.column(app.databaseUrl,
        "select id from venue where name = '" + name.replace("'", "''") + "'").get(0)).longValue();
  }

  private static Instant instant(String epochSql) {
    return Instant.ofEpochSecond(((Number) Db.column(app.databaseUrl, epochSql).get(0)).longValue());
  }

  private static int number(String sql) {
    return ((Number) Db.column(app.databaseUrl, sql).get(0)).intValue();
  }

  private static void assertContains(String haystack, String needle) {
    assertNotNull(haystack);
    if (!haystack.contains(needle)) {
      fail("expected to find\n  " + needle + "\nin\n" + abbreviate(haystack));
    }
  }

  private static void assertNotContains(String haystack, String needle) {
    assertNotContains(haystack, needle, "");
  }

  private static void assertNotContains(String haystack, String needle, String why) {
    if (haystack.contains(needle)) {
      int at = haystack.indexOf(needle);
      fail("did not expect " + needle + " " + why + " near\n"
          + haystack.substring(Math.max(0, at - 300), Math.min(haystack.length(), at + 300)));
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 6000 ? s.substring(0, 6000) + "…" : s;
  }
}
