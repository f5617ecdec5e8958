package se.hok.samla.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.followup.Attendance.answer;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.followup.Attendance.Person;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** The survey behind the thank-you link, and the organisers' results. */
@WithSamla
class FeedbackPagesTest {
  static TestApp app;
  static Attendance attendance;

  @BeforeAll
  static void start() {
    attendance = new Attendance(app);
  }

  static void assertContains(String html, String text) {
    // Numbers are written the Swedish way, grouped with a no-break space (4 000).
    String plain = html.replace('\u00a0', ' ').replace('\u202f', ' ');
    assertTrue(plain.contains(text), "expected «" + text + "» in:\n" + html);
  }

  // ------------------------------------------------------------------------------------------------ answering

  @Test
  void anAttendeeAnswersAndChangesTheAnswer() {
    Attendance.Attendee a = attendance.attendee("Dialogmöte om öppenhet", "svar@example.org");
    PageSession person = PageSession.anonymous(app);
    HttpResponse<Buffer> form = person.get(a.path());
    assertEquals(200, form.statusCode());
    String html = form.bodyAsString();
    assertContains(html, "<legend>Vilket betyg ger du evenemanget som helhet?</legend>");
    assertContains(html, "name=\"X-XSRF-TOKEN\"");
    assertContains(html, "Skicka svaret");

    HttpResponse<Buffer> sent = person.post(a.path(), a.path(), answer("4", "Samtalen i pausen",
        "Fler pauser\r\noch hörslinga i alla rum", "Psykisk hälsa"));
    assertEquals(303, sent.statusCode(), sent.bodyAsString());
    assertEquals(a.path() + "?sparad=1", sent.getHeader("Location"));
    assertEquals(List.of("4|Samtalen i pausen|Fler pauser\noch hörslinga i alla rum|Psykisk hälsa"), attendance.stored(a.person()));

    String again = person.get(sent.getHeader("Location")).bodyAsString();
    assertContains(again, "Tack! Ditt svar är sparat.");
    assertContains(again, "value=\"4\" checked");
    assertContains(again, "Samtalen i pausen</textarea>");
    assertContains(again, "Spara ändringarna");

    HttpResponse<Buffer> changed = person.post(a.path(), a.path(), answer("2", "", "Lokalen var för trång", ""));
    assertEquals(303, changed.statusCode());
    assertEquals(List.of("2|-|Lokalen var för trång|-"), attendance.stored(a.person()), "replaced, emptied fields are gone");
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from feedback where registration_id = '"
        + a.person().id() + "'"), "one answer per registration");
  }

  @Test
  void mistakesComeBackInSwedishWithEverythingTyped() {
    Attendance.Attendee a = attendance.attendee("Workshop om delaktighet", "fel@example.org");
    PageSession person = PageSession.anonymous(app);
    String tooLong = "ö".repeat(4001);

    HttpResponse<Buffer> missing = person.post(a.path(), a.path(), answer(null, "Mötet med <Region Halland> & andra",
        tooLong, "Lättläst material"));
    assertEquals(422, missing.statusCode(), missing.bodyAsString());
    String html = missing.bodyAsString();
    assertContains(html, "<title>Fel:");
    assertContains(html, "class=\"error-summary\"");
    assertContains(html, "href=\"#rating\">Betyg: Välj ett betyg från 1 till 5.</a>");
    assertContains(html, "href=\"#improve\">");
    assertContains(html, "Texten får vara högst 4 000 tecken. Nu är den 4 001 tecken");
    assertContains(html, "id=\"rating\" name=\"rating\" value=\"1\"");
    assertContains(html, "Mötet med &lt;Region Halland&gt; &amp; andra</textarea>");
    assertContains(html, tooLong + "</textarea>");
    assertContains(html, "Lättläst material</textarea>");
    assertContains(html, "aria-invalid=\"true\"");

    for (String bad : List.of("0", "6", "7", "fem", "4.5", "-1", "99999999999999999999")) {
      HttpResponse<Buffer> r = person.post(a.path(), a.path(), answer(bad, "Bra", null, null));
      assertEquals(422, r.statusCode(), bad);
      assertContains(r.bodyAsString(), "Välj ett av betygen 1, 2, 3, 4 eller 5.");
      assertContains(r.bodyAsString(), "Bra</textarea>");
    }
    assertEquals(List.of(), attendance.stored(a.person()), "nothing stored from a form with errors");

    // Far too long (a pasted document): still the message, not a bare error page.
    HttpResponse<Buffer> pasted = person.post(a.path(), a.path(), answer("5", "ä".repeat(50_000) + "😀", null, null));
    assertEquals(422, pasted.statusCode());
    assertContains(pasted.bodyAsString(), "Nu är den 50 001 tecken");

    // 4000 characters exactly, with a line break the browser sends as CR LF: accepted (counted as one, as typed).
    String exactly = "ö".repeat(3998) + "\r\nx";
    HttpResponse<Buffer> ok = person.post(a.path(), a.path(), answer("3", exactly, null, null));
    assertEquals(303, ok.statusCode(), ok.bodyAsString());
    assertEquals(List.of(4000), Db.column(app.databaseUrl, "select length(most_valuable) from feedback where registration_id = '"
        + a.person().id() + "'"));
  }

  @Test
  void aClosedSurveySaysSoAndKeepsWhatWasTyped() {
    Attendance.Attendee a = attendance.attendee("Seminarium om långsiktighet", "stangd@example.org");
    PageSession person = PageSession.anonymous(app);
    assertEquals(303, person.post(a.path(), a.path(), answer("5", "Allt", null, null)).statusCode());
    String formPage = person.get(a.path()).bodyAsString();
    Db.exec(app.databaseUrl, "update event set feedback_closes_at = now() - interval '1 minute' where id = " + a.eventId());

    HttpResponse<Buffer> closed = person.get(a.path());
    assertEquals(200, closed.statusCode());
    assertContains(closed.bodyAsString(), "<h1>Enkäten är stängd</h1>");
    assertContains(closed.bodyAsString(), "Det går inte längre att svara eller ändra svar.");
    assertContains(closed.bodyAsString(), "Allt");
    assertFalse(closed.bodyAsString().contains("<textarea"), "no form any more");

    // Sent from a page opened before it closed: refused, clearly, with the text shown again.
    MultiMap late = answer("1", "Sent skrivet svar", null, null);
    late.set("X-XSRF-TOKEN", PageSession.csrf(formPage));
    HttpResponse<Buffer> refused = await(person.client.post(a.path()).sendForm(late));
    assertEquals(409, refused.statusCode(), refused.bodyAsString());
    assertContains(refused.bodyAsString(), "<h1>Enkäten är stängd</h1>");
    assertContains(refused.bodyAsString(), "Sent skrivet svar");
    assertEquals(List.of("5|Allt|-|-"), attendance.stored(a.person()), "the answer given in time stays as it was");
  }

  @Test
  void someoneNotCheckedInCannotAnswer() {
    Attendance.Attendee a = attendance.attendee("Utbildning i tillgänglighet", "inte.dar@example.org");
    attendance.undoCheckIn(a.person());
    PageSession person = PageSession.anonymous(app);
    HttpResponse<Buffer> page = person.get(a.path());
    assertEquals(403, page.statusCode());
    assertContains(page.bodyAsString(), "<h1>Enkäten är för dem som var med</h1>");
    assertContains(page.bodyAsString(), "mailto:arrangor@example.org");
    HttpResponse<Buffer> post = person.post("/login", a.path(), answer("5", "Smyger in ett svar", null, null));
    assertEquals(403, post.statusCode());
    assertEquals(List.of(), attendance.stored(a.person()));

    // A no-show is never even given a link.
    long id = attendance.eventEnded("Inspelsafton", 3);
    Person noShow = attendance.register(id, "Nils Uteblev", "nils.uteblev@example.org");
    attendance.endedHoursAgo(id, 3);
    assertTrue(await(new FeedbackService(app.running.database().pool()).thankYouLink(noShow.id())).isEmpty());
  }

  @Test
  void anUnknownOrWrongLinkIsAClear404() {
    Attendance.Attendee a = attendance.attendee("Exempelkonferens", "fellank@example.org");
    PageSession person = PageSession.anonymous(app);
    for (String path : List.of("/utvardering/finns-inte", a.path() + "x", a.path().substring(0, a.path().length() - 1),
        "/utvardering/" + "A".repeat(500), "/utvardering/%00", "/utvardering/%C3%B6%E2%80%8B",
        a.path() + "%20")) {
      HttpResponse<Buffer> r = person.get(path);
      assertEquals(404, r.statusCode(), path);
      assertContains(r.bodyAsString(), "<h1>Länken till enkäten fungerar inte</h1>");
    }
    // The manage token is not a survey token.
    assertEquals(404, person.get("/utvardering/" + attendance.manageToken(a.person())).statusCode());
    HttpResponse<Buffer> post = person.post(a.path(), "/utvardering/finns-inte", answer("5", null, null, null));
    assertEquals(404, post.statusCode());
  }

  // ------------------------------------------------------------------------------------------------ organisers

  @Test
  void organisersSeeTheDistributionAndTheCommentsWithoutNames() {
    long id = attendance.eventEnded("Samverkanskonferens 2026", 3);
    Person anna = attendance.register(id, "Anna Andersson", "anna.resultat@example.org");
    Person bo = attendance.register(id, "Bo Bengtsson", "bo.resultat@example.org");
    Person cia = attendance.register(id, "Cia Carlsson", "cia.resultat@example.org");
    Person dan = attendance.register(id, "Dan Dahl", "dan.resultat@example.org");
    attendance.endedHoursAgo(id, 3);
    for (Person p : List.of(anna, bo, cia, dan)) {
      attendance.checkIn(id, p);
    }
    PageSession person = PageSession.anonymous(app);
    String pa = attendance.surveyPath(anna);
    String pb = attendance.surveyPath(bo);
    String pc = attendance.surveyPath(cia);
    assertEquals(303, person.post(pa, pa, answer("5", "Nätverkandet", "Mer tid för frågor", "Demokrati")).statusCode());
    assertEquals(303, person.post(pb, pb, answer("4", "=HYPERLINK(\"http://evil\";\"klicka\")", null, null)).statusCode());
    assertEquals(303, person.post(pc, pc, answer("4", null, null, null)).statusCode());

    PageSession organiser = PageSession.staff(app, "organiser").assign(id, "organiser");
    HttpResponse<Buffer> page = organiser.get("/arrangor/evenemang/" + id + "/utvardering");
    assertEquals(200, page.statusCode(), page.bodyAsString());
    String html = page.bodyAsString();
    assertContains(html, "<h1>Utvärdering: Samverkanskonferens 2026</h1>");
    assertContains(html, "<dt>Antal svar</dt><dd>3</dd>");
    assertContains(html, "<dt>Incheckade deltagare</dt><dd>4</dd>");
    assertContains(html, "<dt>Svarsfrekvens</dt><dd>75 %</dd>");
    assertContains(html, "<dt>Medelbetyg</dt><dd>4,3 av 5</dd>");
    assertContains(html, "<th scope=\"row\">5 – Mycket bra</th><td>1</td><td>33 %</td>");
    assertContains(html, "<th scope=\"row\">4 – Ganska bra</th><td>2</td><td>67 %</td>");
    assertContains(html, "<th scope=\"row\">1 – Mycket dåligt</th><td>0</td><td>0 %</td>");
    assertContains(html, "Nätverkandet");
    assertContains(html, "Mer tid för frågor");
    assertContains(html, "Demokrati");
    for (String name : List.of("Anna", "Bo Bengtsson", "Cia", "Dan Dahl", "resultat@example.org")) {
      assertFalse(html.contains(name), "no names on the results page: " + name);
    }
    assertContains(html, "action=\"/arrangor/evenemang/" + id + "/utvardering/sista-dag\"");

    HttpResponse<Buffer> csv = organiser.get("/arrangor/evenemang/" + id + "/utvardering.csv");
    assertEquals(200, csv.statusCode());
    assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"), csv.getHeader("Content-Type"));
    byte[] bytes = csv.body().getBytes();
    assertEquals(List.of((byte) 0xEF, (byte) 0xBB, (byte) 0xBF), List.of(bytes[0], bytes[1], bytes[2]), "UTF-8 BOM");
    String text = new String(bytes, StandardCharsets.UTF_8).substring(1);
    String[] lines = text.split("\r\n");
    assertEquals("Betyg;Vad var mest värdefullt?;Vad kan vi göra bättre?;Vilka fokusområden vill du se på kommande aktiviteter?",
        lines[0]);
    assertEquals(4, lines.length, text);
    assertEquals("5;Nätverkandet;Mer tid för frågor;Demokrati", lines[1]);
    assertEquals("4;\"'=HYPERLINK(\"\"http://evil\"\";\"\"klicka\"\")\";;", lines[2], "a formula stays text");
    assertEquals("4;;;", lines[3]);
    assertFalse(text.contains("Anna"));

    // The organiser's event page links here.
    assertContains(organiser.get("/arrangor/evenemang/" + id).bodyAsString(), "href=\"/arrangor/evenemang/" + id + "/utvardering\"");
  }

  @Test
  void theWorkingGroupReadsTheResultsDoorStaffDoNot() {
    long id = attendance.eventEnded("Dialogmöte för arbetsgruppen", 3);
    String path = "/arrangor/evenemang/" + id + "/utvardering";
    HttpResponse<Buffer> viewer = PageSession.staff(app, "viewer").get(path);
    assertEquals(200, viewer.statusCode());
    assertContains(viewer.bodyAsString(), "Inga svar ännu.");
    assertFalse(viewer.bodyAsString().contains("sista-dag\""), "the viewer changes nothing");
    // The comments are free text that can identify someone: the working group reads figures, not the comments.
    assertContains(viewer.bodyAsString(), "Bara evenemangets arrangörer och administratörer läser dem");
    assertEquals(403, PageSession.staff(app, "viewer").get(path + ".csv").statusCode());

    PageSession door = PageSession.staff(app, "checkin");
    assertEquals(403, door.get(path).statusCode());
    assertEquals(403, door.get(path + ".csv").statusCode());
    PageSession viewerSession = PageSession.staff(app, "viewer");
    HttpResponse<Buffer> change = viewerSession.post(path, path + "/sista-dag",
        MultiMap.caseInsensitiveMultiMap().add("lastDay", "2030-01-01"));
    assertEquals(403, change.statusCode());
    assertEquals(302, PageSession.anonymous(app).get(path).statusCode(), "to the login page");
    assertEquals(404, PageSession.staff(app, "organiser").get("/arrangor/evenemang/999999/utvardering").statusCode());
    assertEquals(404, PageSession.staff(app, "organiser").get("/arrangor/evenemang/abc/utvardering").statusCode());
  }

  @Test
  void organisersSetTheLastDayToAnswer() {
    Attendance.Attendee a = attendance.attendee("Framtidsforum om kvalitet", "sistadag@example.org");
    String results = "/arrangor/evenemang/" + a.eventId() + "/utvardering";
    PageSession organiser = PageSession.staff(app, "organiser").assign(a.eventId(), "organiser");

    HttpResponse<Buffer> wrong = organiser.post(results, results + "/sista-dag", MultiMap.caseInsensitiveMultiMap().add("lastDay", "31/12"));
    assertEquals(422, wrong.statusCode());
    assertContains(wrong.bodyAsString(), "href=\"#lastDay\">Sista dag att svara: Ange ett datum i formatet 2027-03-26");
    assertContains(wrong.bodyAsString(), "value=\"31/12\"");

    HttpResponse<Buffer> set = organiser.post(results, results + "/sista-dag", MultiMap.caseInsensitiveMultiMap().add("lastDay", "2099-01-15"));
    assertEquals(302, set.statusCode());
    assertEquals(List.of("2099-01-16 00:00"), Db.column(app.databaseUrl, "select to_char(feedback_closes_at at time zone "
        + "'Europe/Stockholm', 'YYYY-MM-DD HH24:MI') from event where id = " + a.eventId()));
    assertContains(organiser.get(results).bodyAsString(), "Enkäten är öppen till och med 15 januari 2099.");

    assertEquals(302, organiser.post(results, results + "/sista-dag", MultiMap.caseInsensitiveMultiMap()
        .add("lastDay", "2000-01-01")).statusCode());
    assertEquals(200, PageSession.anonymous(app).get(a.path()).statusCode());
    assertContains(PageSession.anonymous(app).get(a.path()).bodyAsString(), "<h1>Enkäten är stängd</h1>");

    assertEquals(302, organiser.post(results, results + "/sista-dag", MultiMap.caseInsensitiveMultiMap().add("lastDay", "")).statusCode());
    assertEquals(java.util.Collections.singletonList(null), Db.column(app.databaseUrl, "select feedback_closes_at from event where id = " + a.eventId()));
    assertContains(PageSession.anonymous(app).get(a.path()).bodyAsString(), "Vad tyckte du om");
  }
}
