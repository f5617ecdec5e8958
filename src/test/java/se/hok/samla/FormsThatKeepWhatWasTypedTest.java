package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * Forms that never lose what a person wrote and never act on one keypress, as plain HTTP (the pages work without
 * JavaScript): a need's detail typed without its tick, the companion asked once and said the same everywhere, the
 * pages that ask before removing someone, the organiser overview that opens on what is next, errors that say what to
 * do, Swedish text marked as such on English pages, and the accessibility statement.
 */
@WithSamla(env = "SAMLA_ACCESSIBILITY_CONTACT=" + FormsThatKeepWhatWasTypedTest.CONTACT)
class FormsThatKeepWhatWasTypedTest {
  static final String CONTACT = "tillganglighet@hok.example";

  private static TestApp app;
  private static String admin;
  private static PageSession organiser;
  private static long event;

  @BeforeAll
  static void start() {
    admin = app.adminToken();
    Db.exec(app.databaseUrl, "insert into organisation (name, sector, signatory) values ('Studieförbundet Sensus', 'ideburen', true)");
    HttpResponse<Buffer> venue = await(app.client.post("/api/v1/venues").putHeader("Authorization", "Bearer " + admin)
        .sendJsonObject(new JsonObject().put("name", "Tjärnhovs konferens").put("address", "Stationsgatan 1, Halmstad")
            .put("accessibility", new JsonObject().put("hearingLoop", true).put("notes", "Ramp vid södra entrén"))));
    assertEquals(201, venue.statusCode(), venue.bodyAsString());
    event = PublishedEvent.by(app, admin).title("Dialogmöte om delaktighet").startsAt(OffsetDateTime.now().plusDays(50))
        .capacity(20).with("venueId", venue.bodyAsJsonObject().getLong("id")).with("onlineUrl", null)
        .with("description", "Vi samtalar om hur fler kan vara med.").with("organiserEmail", "hok@example.org").publishId();
    organiser = PageSession.staff(app, "organiser").assign(event, "organiser");
  }

  // ------------------------------------------------------------------------------------------------ nothing typed is lost

  @Test
  void anAllergyWrittenWithoutItsTickIsKeptAndTheBoxAsksForTheTick() {
    PageSession person = PageSession.anonymous(app);
    String form = "/evenemang/" + event + "/anmalan";
    HttpResponse<Buffer> r = person.post(form, form, MultiMap.caseInsensitiveMultiMap().add("name", "Nora Nöt")
        .add("email", "nora.not@example.org").add("needDetail.specialkost", "Svår nötallergi").add("consent", "true"));
    assertEquals(422, r.statusCode(), "refused, not signed up without the allergy");
    String html = r.bodyAsString();
    assertContains(html, "<title>Fel: ");
    assertContains(html, "<a href=\"#needs-specialkost\">Specialkost/allergi: Du har skrivit här men inte kryssat i behovet.");
    assertContains(html, "<p class=\"field-error\" id=\"needs-specialkost-error\">");
    assertContains(html, "aria-invalid=\"true\" aria-describedby=\"needs-specialkost-error\">Svår nötallergi</textarea>");
    assertEquals(List.of(), Db.column(app.databaseUrl, "select id from registration where email = 'nora.not@example.org'"));

    // Ticked now: the allergy is registered with its text.
    HttpResponse<Buffer> ok = person.post(form, form, MultiMap.caseInsensitiveMultiMap().add("name", "Nora Nöt")
        .add("email", "nora.not@example.org").add("need.specialkost", "on").add("needDetail.specialkost", "Svår nötallergi")
        .add("consent", "true"));
    assertEquals(303, ok.statusCode(), ok.bodyAsString());
    assertEquals(List.of("Svår nötallergi"), Db.column(app.databaseUrl, "select n.detail from registration_need n"
        + " join registration r on r.id = n.registration_id where r.email = 'nora.not@example.org'"));

    // The change form behind the manage link: the same.
    String manage = "/anmalan/" + SignUps.manageToken(app, "nora.not@example.org");
    HttpResponse<Buffer> change = person.post(manage, manage, MultiMap.caseInsensitiveMultiMap().add("need.specialkost", "on")
        .add("needDetail.specialkost", "Svår nötallergi").add("needDetail.annat", "Vilrum efter lunch").add("consent", "true"));
    assertEquals(422, change.statusCode());
    assertContains(change.bodyAsString(), ">Vilrum efter lunch</textarea>");
    assertContains(change.bodyAsString(), "<a href=\"#needs-annat\">Annat: Du har skrivit här");

    // The organiser's form for someone who phoned: the same.
    String list = "/arrangor/evenemang/" + event + "/anmalningar";
    HttpResponse<Buffer> added = organiser.post(list, list, MultiMap.caseInsensitiveMultiMap().add("name", "Telefon Tina")
        .add("email", "tina@example.org").add("language", "sv").add("needDetail.lattlast", "Storstil, 20 punkter"));
    assertEquals(422, added.statusCode());
    assertContains(added.bodyAsString(), "value=\"Storstil, 20 punkter\"");
    assertContains(added.bodyAsString(), "<a href=\"#needs-lattlast\">Material i lättläst, storstil eller punktskrift: Du har skrivit här");
    assertEquals(List.of(), Db.column(app.databaseUrl, "select id from registration where email = 'tina@example.org'"));
  }

  // ------------------------------------------------------------------------------------------------ one question per fact

  @Test
  void theCompanionIsAskedOnceBooksTheSeatAndReadsTheSameEverywhere() throws Exception {
    String signUpForm = PageSession.anonymous(app).get("/evenemang/" + event + "/anmalan").bodyAsString();
    assertFalse(signUpForm.contains("name=\"need.ledsagare\""), "not among the needs");
    assertContains(signUpForm, "name=\"companion\"");
    assertFalse(organiser.get("/arrangor/evenemang/" + event + "/anmalningar").bodyAsString().contains("name=\"need.ledsagare\""));

    // An API client (or an old form) naming the need gets the companion, with the seat.
    int before = (Integer) Db.column(app.databaseUrl, "select seats_taken from event where id = " + event).get(0);
    SignUps.anonymously(app, event, new JsonObject().put("name", "Lea Ledsagad").put("email", "lea@example.org").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "ledsagare"))));
    assertEquals(List.of(true), Db.column(app.databaseUrl, "select companion from registration where email = 'lea@example.org'"));
    assertEquals(List.of(before + 2), Db.column(app.databaseUrl, "select seats_taken from event where id = " + event));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from registration_need n join registration r"
        + " on r.id = n.registration_id where r.email = 'lea@example.org'"), "one fact, stored once");

    String said = "Ledsagare eller personlig assistent";
    String yes = "Ja, med egen plats";
    String token = SignUps.manageToken(app, "lea@example.org");
    assertContains(PageSession.anonymous(app).get("/anmalan/" + token).bodyAsString(), "<dt>" + said + "</dt><dd>" + yes + "</dd>");
    String organiserList = organiser.get("/arrangor/evenemang/" + event + "/anmalningar").bodyAsString();
    assertContains(organiserList, "<th scope=\"col\">" + said + "</th>");
    assertContains(organiserList, "<td>" + yes + "</td>");
    MimeMessage mail = SignUps.awaitWithLink(app, "lea@example.org", 1).get(0);
    String text = Mails.text(mail, "text/plain");
    assertTrue(text.contains(said) && text.contains(yes), text);
    try (PDDocument pdf = Loader.loadPDF(Mails.bytes(mail, "application/pdf"))) {
      String ticket = new PDFTextStripper().getText(pdf).replaceAll("\\s+", " ");
      assertContains(ticket, said + " " + yes);
    }
    PageSession door = PageSession.staff(app, "checkin").assign(event, "door");
    assertContains(door.get("/arrangor/evenemang/" + event + "/incheckning").bodyAsString(), "\"companion\":\"" + said + ": " + yes + "\"");

    // Stated as a need before it was one question: the change form offers the companion, ticked, to book its seat.
    Db.exec(app.databaseUrl, "update registration set companion = false where email = 'lea@example.org';"
        + " insert into registration_need (registration_id, need_code) select id, 'ledsagare' from registration where email = 'lea@example.org'");
    assertContains(PageSession.anonymous(app).get("/anmalan/" + token).bodyAsString(),
        "id=\"companion\" name=\"companion\" value=\"true\" checked");
  }

  // ------------------------------------------------------------------------------------------------ asking first

  @Test
  void removingARegistrationAsksFirstSayingWhoIsToldAndIsLoggedAsARead() {
    String email = "rut.borttagen@example.org";
    String id = SignUps.byOrganiser(app, admin, event, new JsonObject().put("name", "Rut Borttagen").put("email", email))
        .getString("id");
    String list = "/arrangor/evenemang/" + event + "/anmalningar";
    String listPage = organiser.get(list).bodyAsString();
    assertContains(listPage, "<a href=\"" + list + "/" + id + "/ta-bort\">");
    assertFalse(listPage.contains("action=\"" + list + "/" + id + "/ta-bort\""), "no button on the list removes anyone");

    long reads = (Long) Db.column(app.databaseUrl, "select count(*) from audit_log where action = 'removal_confirmation'").get(0);
    HttpResponse<Buffer> page = organiser.get(list + "/" + id + "/ta-bort");
    assertEquals(200, page.statusCode());
    String html = page.bodyAsString();
    assertContains(html, "Rut Borttagen får ett e-postmeddelande till " + email + " om att anmälan är avbokad.");
    assertContains(html, "Det går inte att ångra.");
    assertContains(html, "Ja, ta bort anmälan för Rut Borttagen");
    assertEquals(List.of(reads + 1), Db.column(app.databaseUrl, "select count(*) from audit_log where action = 'removal_confirmation'"),
        "a name and an address were shown: logged");
    assertEquals(List.of("confirmed"), Db.column(app.databaseUrl, "select status from registration where id = '" + id + "'"));

    assertEquals(302, organiser.post(list + "/" + id + "/ta-bort", list + "/" + id + "/ta-bort", MultiMap.caseInsensitiveMultiMap())
        .statusCode());
    assertEquals(List.of("cancelled"), Db.column(app.databaseUrl, "select status from registration where id = '" + id + "'"));
    assertContains(organiser.get(list + "/" + id + "/ta-bort").bodyAsString(), "Anmälan är redan avbokad eller borttagen.");
    // Another event's registration is not found through this event.
    long other = PublishedEvent.by(app, admin).title("Annat evenemang").publishId();
    organiser.assign(other, "organiser");
    assertEquals(404, organiser.get("/arrangor/evenemang/" + other + "/anmalningar/" + id + "/ta-bort").statusCode());
  }

  // ------------------------------------------------------------------------------------------------ the overview

  @Test
  void theOrganiserOverviewOpensOnTheNextEventWithItsNeedsToBook() {
    long soon = PublishedEvent.by(app, admin).title("Snart: workshop").startsAt(OffsetDateTime.now().plusDays(2)).publishId();
    long held = PublishedEvent.by(app, admin).title("Redan hållet seminarium").publishId();
    Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '2 days', ends_at = now() - interval '47 hours',"
        + " registration_opens_at = null, registration_closes_at = null where id = " + held);
    SignUps.byOrganiser(app, admin, soon, new JsonObject().put("name", "Tolk Behövs").put("email", "tolk@example.org")
        .put("consent", true).put("needs", new JsonArray().add(new JsonObject().put("code", "teckensprakstolk"))));
    PageSession me = PageSession.signedIn(app, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD);

    String upcoming = me.get("/arrangor").bodyAsString();
    List<String> rows = rowTitles(upcoming);
    String next = (String) Db.column(app.databaseUrl, "select title_sv from event where ends_at >= now() order by starts_at limit 1").get(0);
    assertEquals(next, rows.get(0), "the first row is the next event");
    assertFalse(upcoming.contains("Redan hållet seminarium"), "past events one click away, not here");
    assertContains(upcoming, "<a href=\"/arrangor?tidigare=1\">Tidigare evenemang</a>");
    String soonRow = upcoming.substring(upcoming.indexOf("Snart: workshop"));
    soonRow = soonRow.substring(0, soonRow.indexOf("</tr>"));
    assertContains(soonRow, "1 att boka");

    String past = me.get("/arrangor?tidigare=1").bodyAsString();
    assertTrue(rowTitles(past).get(0).startsWith("Redan hållet seminarium"), "the latest past event first: " + rowTitles(past));
    assertFalse(past.contains("Snart: workshop"));
  }

  // ------------------------------------------------------------------------------------------------ errors

  @Test
  void errorPagesSayFelInTheirTitleAndEachFieldSaysWhatToDo() {
    PageSession anyone = PageSession.anonymous(app);
    HttpResponse<Buffer> login = anyone.post("/login", "/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", "ingen@example.org").add("password", "fel-losenord-123").add("next", "/arrangor"));
    assertEquals(422, login.statusCode());
    assertContains(login.bodyAsString(), "<title>Fel: ");

    HttpResponse<Buffer> empty = organiser.post("/arrangor/evenemang/ny", "/arrangor/evenemang", MultiMap.caseInsensitiveMultiMap());
    assertEquals(422, empty.statusCode());
    String html = empty.bodyAsString();
    assertContains(html, "<title>Fel: ");
    assertContains(html, "autofocus");
    assertContains(html, "<a href=\"#kind\">Typ av evenemang: Välj vilken typ av evenemang det är.</a>");
    assertContains(html, "Ange datum och klockslag då evenemanget börjar.");
    assertTrue(Pattern.compile("<p class=\"field-error\" id=\"kind-error\">.*Välj vilken typ av evenemang det är\\.</p>").matcher(html).find(),
        "the message repeated beside the list");
  }

  // ------------------------------------------------------------------------------------------------ language

  @Test
  void englishPagesMarkTheSwedishTheyShow() {
    PageSession english = PageSession.anonymous(app);
    String page = english.get("/evenemang/" + event + "?lang=en").bodyAsString();
    assertContains(page, "<html lang=\"en\">");
    assertTrue(Pattern.compile("<h1 lang=\"sv\">Dialogmöte om delaktighet \\d+</h1>").matcher(page).find(), "the title has no English");
    assertContains(page, "<div class=\"description\" lang=\"sv\">");
    assertContains(page, "<span lang=\"sv\">Ramp vid södra entrén</span>");
    assertContains(page, "<span lang=\"sv\">Tjärnhovs konferens, Stationsgatan 1, Halmstad</span>");
    assertContains(english.get("/evenemang/" + event + "/anmalan").bodyAsString(), "lang=\"sv\">Studieförbundet Sensus</option>");
    String swedish = PageSession.anonymous(app).get("/evenemang/" + event + "?lang=sv").bodyAsString();
    assertFalse(swedish.contains("<span lang=\"sv\">") || swedish.contains("<h1 lang="), "a Swedish page needs no marks");

    long translated = PublishedEvent.by(app, admin).title("Seminarium").with("titleEn", "Seminar on taking part").publishId();
    assertContains(english.get("/evenemang/" + translated).bodyAsString(), "<h1>Seminar on taking part</h1>");
  }

  // ------------------------------------------------------------------------------------------------ the statement

  @Test
  void theAccessibilityStatementIsLinkedFromEveryPageAndNamesWhereToReportProblems() {
    PageSession anyone = PageSession.anonymous(app);
    for (String path : List.of("/", "/login", "/evenemang/" + event, "/finns-inte", "/evenemang/" + event + "/anmalan")) {
      assertContains(anyone.get(path).bodyAsString(), "<a href=\"/tillganglighet\">Tillgänglighetsredogörelse</a>");
    }
    HttpResponse<Buffer> sv = anyone.get("/tillganglighet?lang=sv");
    assertEquals(200, sv.statusCode());
    String html = sv.bodyAsString();
    for (String part : List.of("<h1>Tillgänglighetsredogörelse för Samla</h1>", "delvis förenlig",
        "<h2 id=\"hur-tillganglig\">Hur tillgänglig är tjänsten?</h2>", "<h3 id=\"brister\">Kända brister</h3>",
        "<h2 id=\"rapportera\">Rapportera brister i tjänstens tillgänglighet</h2>", "href=\"mailto:" + CONTACT + "\"",
        "<h2 id=\"tillsyn\">Tillsyn</h2>", "https://www.digg.se/tdosanmalan", "<h2 id=\"hur-vi-testat\">Hur vi testat tjänsten</h2>",
        "självskattning", "Bedömningen gjordes den", "aria-current=\"page\">Tillgänglighetsredogörelse</a>")) {
      assertContains(html, part);
    }
    String en = anyone.get("/tillganglighet?lang=en").bodyAsString();
    for (String part : List.of("<h1>Accessibility statement for Samla</h1>", "partially compliant", "Known shortcomings",
        "href=\"mailto:" + CONTACT + "\"", "https://www.digg.se/tdosanmalan", "How we tested the service", "self-assessment")) {
      assertContains(en, part);
    }
    assertFalse(en.contains("??"), "every text has a translation");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** The titles of the overview's rows, in order. */
  private static List<String> rowTitles(String html) {
    Matcher m = Pattern.compile("<th scope=\"row\">\\s*<a [^>]*>([^<]+)</a>").matcher(html);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(PageSession.unescape(m.group(1)));
    }
    return out;
  }

  private static void assertContains(String haystack, String needle) {
    assertTrue(haystack.contains(needle), () -> "expected <" + needle + "> in:\n" + haystack);
  }
}
