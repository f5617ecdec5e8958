package se.hok.samla.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * The follow-up pages as the working group meets them, against {@link FollowUpFixture}: every figure, the
 * exports read back as a spreadsheet program would, the charts' text alternatives, who may see what, and
 * accessibility in a real browser.
 */
@WithSamla(env = "SAMLA_RETENTION_DAYS=3650")
class ReportPagesTest {
  private static final String NBSP = "\u00A0";
  private static final String EVENT_NOTE =
      "Ingen incheckning registrerades för det här evenemanget, så närvaron är okänd.";
  private static final String YEAR_NOTE = "1 evenemang saknar registrerad närvaro (till exempel digitala möten utan"
      + " incheckning) och räknas inte in i närvarograden.";

  private static TestApp app;
  private static FollowUpFixture f;
  private static PageSession viewer;
  /** An organiser of the fixture's events: the participant lists are theirs to download. */
  private static PageSession organiser;

  @BeforeAll
  static void start() {
    // Retention as long as it goes, so the fixture's 2022–2023 people stay recognisable (one is erased by hand).
    f = FollowUpFixture.load(app.databaseUrl);
    viewer = PageSession.staff(app, "viewer");
    organiser = PageSession.staff(app, "organiser").assign(f.e1, "organiser").assign(f.e2, "organiser")
        .assign(f.e3, "organiser");
  }

  // ------------------------------------------------------------------------------------------------ a year

  @Test
  void theYearShowsWhoTookPartByKindSectorAndOrganisation() {
    String html = page("/uppfoljning?ar=2023");
    assertContains(html, "<h2 id=\"urval\">Handlingsplanens år 2023</h2>");
    assertContains(html, "<dd>Långsiktighet</dd>");
    assertContains(html, "<dd>Uthållig samverkan</dd>");
    assertContains(html, "<div class=\"notice notice-warning\"><p>" + YEAR_NOTE + "</p></div>");

    assertEquals(List.of(
        List.of("Mått", "Värde"),
        List.of("Genomförda aktiviteter", "4"),
        List.of("Bekräftade anmälningar", "15"),
        List.of("Deltaganden (incheckade)", "9"),
        List.of("Kom utan anmälan", "1"),
        List.of("Närvaro (andel bekräftade som kom)", "75" + NBSP + "%"),
        List.of("Organisationer som deltog", "3"),
        List.of("Personer som kan kännas igen", "6"),
        List.of("Deltaganden som inte längre kan kopplas till en person", "1")), table(html, "oversikt"));

    assertEquals(List.of(
        List.of("Aktivitet", "Datum", "Typ", "Bekräftade", "Deltog", "Utan anmälan", "Närvaro", "Medelbetyg", "Svar"),
        List.of("Workshop om långsiktighet", "2023-03-10", "Workshop", "7", "4", "1", "57,1" + NBSP + "%", "4,3", "3"),
        List.of("Seminarium om insyn", "2023-05-10", "Seminarium", "3", "3", "0", "100" + NBSP + "%", "3,0", "1"),
        List.of("Dialogmöte i Varberg", "2023-09-10", "Dialogmöte", "2", "2", "0", "100" + NBSP + "%", "–", "0"),
        List.of("Digitalt dialogmöte", "2023-11-15", "Dialogmöte", "3", "0", "0", "–", "–", "0")),
        table(html, "evenemang"), "drafts and cancelled events were not held; E4's attendance is unknown, not 0 %");

    assertEquals(List.of(List.of("Typ", "Aktiviteter"), List.of("Dialogmöte", "2"), List.of("Workshop", "1"),
        List.of("Seminarium", "1")), table(html, "typer"), "in the order of the kinds");

    assertEquals(List.of(
        List.of("Sektor", "Organisationer", "Deltaganden", "Aktiviteter"),
        List.of("Idéburen", "1", "3", "3"),
        List.of("Offentlig", "1", "3", "2"),
        List.of("Privat", "1", "3", "3")), table(html, "sektorer"));

    assertEquals(List.of(
        List.of("Organisation", "Sektor", "Part i HÖK", "Aktiviteter deltog i", "Antal typer", "Typer av aktiviteter",
            "Deltagare skickade"),
        List.of("Alfa förening", "Idéburen", "Ja", "3", "3", "Dialogmöte, Workshop, Seminarium", "3"),
        List.of("Gamma AB", "Privat", "Nej", "3", "3", "Dialogmöte, Workshop, Seminarium", "3"),
        List.of("Beta kommun", "Offentlig", "Ja", "2", "2", "Workshop, Seminarium", "3")), table(html, "organisationer"));

    assertEquals(List.of(
        List.of("Mått", "Värde"),
        List.of("Organisationer som deltog", "3"),
        List.of("Organisationer i minst två typer av aktiviteter", "3"),
        List.of("Organisationer i minst två aktiviteter", "3"),
        List.of("Personer som kan kännas igen", "6"),
        List.of("Personer i minst två typer av aktiviteter", "< 3"),
        List.of("Personer som kom tillbaka (minst två aktiviteter)", "< 3"),
        List.of("Deltaganden som inte längre kan kopplas till en person", "1")), table(html, "bredd"));

    assertEquals(List.of(
        List.of("Deltog i", "Svar", "Medelbetyg", "Betyg 1", "Betyg 2", "Betyg 3", "Betyg 4", "Betyg 5"),
        List.of("En typ av aktivitet", "3", "3,7", "0", "0", "1", "2", "0"),
        List.of("Två eller fler typer", "< 3", "–", "–", "–", "–", "–", "–")), table(html, "betyg-efter-bredd"),
        "Anna's one answer (three kinds) is a group below 3: nothing of it is shown");

    assertEquals(List.of(List.of("Organisation", "Sektor"), List.of("Delta förbund", "Idéburen"),
        List.of("Epsilon råd", "Offentlig")), table(html, "parter-utan-deltagande"),
        "Delta registered but never came; Epsilon only came to events that were not held");

    assertEquals(List.of(
        List.of("År", "Tema", "Aktiviteter", "Deltaganden", "Organisationer", "Personer", "Närvaro",
            "Organisationer i minst två typer", "Personer i minst två typer", "Nya personer", "Kom igen året efter"),
        List.of("2022", "Öppenhet och insyn", "1", "2", "2", "< 3", "100" + NBSP + "%", "0", "0", "–", "–"),
        List.of("2023", "Långsiktighet", "4", "9", "3", "6", "75" + NBSP + "%", "3", "< 3", "–", "–")),
        table(html, "trend"), "people below 3 are \"< 3\"; the fixture's years are in no period, so no figures across years");

    // The yearly report's link names the year and opens it (it once read "Årsuppföljning true …" and led to a 404).
    assertContains(html, "<a href=\"/uppfoljning/ar/2023\">Årsuppföljning 2023 att skriva ut eller spara som PDF</a>");
    assertFalse(html.contains("/uppfoljning/ar/true"));
    assertEquals(200, viewer.get("/uppfoljning/ar/2023").statusCode());

    assertContains(html, "<a href=\"/uppfoljning/evenemang/" + f.e1 + "\">Workshop om långsiktighet</a>");
    assertFalse(html.contains("Utkast som aldrig hölls"));
    assertFalse(html.contains("Inställt seminarium"));
  }

  @Test
  void aPeriodCountsTheEventsThatStartedInIt() {
    String html = page("/uppfoljning?fran=2023-05-01&till=2023-09-10");
    assertContains(html, "Perioden 2023-05-01 – 2023-09-10");
    List<List<String>> events = table(html, "evenemang");
    assertEquals(3, events.size(), "E2 and E3: " + events);
    assertEquals("Seminarium om insyn", events.get(1).get(0));
    assertEquals("Dialogmöte i Varberg", events.get(2).get(0));
    assertEquals(List.of("Deltaganden (incheckade)", "5"), table(html, "oversikt").get(3));
    assertFalse(html.contains("saknar registrerad närvaro"), "every event of the period had check-ins");
  }

  @Test
  void chartsAreImagesWithATextAlternativeAndTheirTableBeside() {
    String html = page("/uppfoljning?ar=2023");
    for (String id : List.of("typer", "sektorer", "bredd", "trend")) {
      Matcher svg = Pattern.compile("<svg [^>]*id=\"chart-" + id + "\"[^>]*>(.*?)</svg>", Pattern.DOTALL).matcher(html);
      assertTrue(svg.find(), "chart " + id);
      assertContains(svg.group(0), "role=\"img\"");
      assertContains(svg.group(0), "aria-labelledby=\"chart-" + id + "-title chart-" + id + "-desc\"");
      assertContains(svg.group(1), "<title id=\"chart-" + id + "-title\">");
      assertContains(svg.group(1), "<desc id=\"chart-" + id + "-desc\">");
      assertTrue(html.indexOf("id=\"tabell-" + id + "\"") > svg.end(), "the table follows the chart " + id);
    }
    assertContains(html, "<desc id=\"chart-sektorer-desc\">Idéburen: 3; Offentlig: 3; Privat: 3</desc>");
    assertContains(html, "<desc id=\"chart-trend-desc\">2022: 2; 2023: 9</desc>");
    assertContains(html, "<desc id=\"chart-bredd-desc\">2 typer: 1; 3 typer eller fler: 2</desc>");
    assertFalse(html.contains("<script"), "no scripts");
  }

  // ------------------------------------------------------------------------------------------------ an event

  @Test
  void anEventShowsTurnoutLateCancellationsSessionsNeedsAndRatings() {
    String html = page("/uppfoljning/evenemang/" + f.e1);
    assertContains(html, "<h1>Uppföljning: Workshop om långsiktighet</h1>");
    assertEquals(List.of(
        List.of("Mått", "Värde"),
        List.of("Anmälda totalt", "11"),
        List.of("Bekräftade anmälningar", "7"),
        List.of("På väntelistan", "1"),
        List.of("Avbokade", "3"),
        List.of("Avbokade mindre än ett dygn före start", "1"),
        List.of("Avbokade 1–7 dagar före start", "1"),
        List.of("Avbokade tidigare", "1"),
        List.of("Deltog", "4"),
        List.of("Kom utan anmälan", "1"),
        List.of("Uteblev", "3"),
        List.of("Andel som uteblev", "42,9" + NBSP + "%")), table(html, "narvaro"));
    assertEquals(List.of(
        List.of("Pass", "Tid", "Platser", "Bokade", "Deltog"),
        List.of("Pass 1: Planering", "10:00", "20", "2", "1"),
        List.of("Pass 2: Uppföljning", "13:00", "20", "2", "1")), table(html, "pass"));
    assertEquals(List.of(
        List.of("Behov", "Anmälningar"),
        List.of("Hörslinga/teleslinga", "< 3"),
        List.of("Teckenspråkstolk", "3")), table(html, "behov"), "small counts hide who; cancelled needs do not count");
    assertEquals(List.of(
        List.of("Betyg", "Svar"), List.of("Betyg 5", "1"), List.of("Betyg 4", "2"), List.of("Betyg 3", "0"),
        List.of("Betyg 2", "0"), List.of("Betyg 1", "0")), table(html, "betyg"));
    assertContains(html, "Medelbetyg 4,3 av 5, 3 svar.");
    assertContains(html, "<desc id=\"chart-narvaro-desc\">Bekräftade anmälningar: 7; Deltog: 4; Kom utan anmälan: 1;"
        + " Uteblev: 3; På väntelistan: 1; Avbokade: 3</desc>");
    assertFalse(html.contains("Anna Alm"), "the report page names nobody");
    assertFalse(html.contains(EVENT_NOTE), "attendance was recorded");
  }

  @Test
  void anEventHeldWithoutCheckInShowsNoShowsAsUnknownNotAsEveryone() throws Exception {
    String html = page("/uppfoljning/evenemang/" + f.e4);
    assertContains(html, "<div class=\"notice notice-warning\"><p>" + EVENT_NOTE + "</p></div>");
    assertTrue(html.indexOf(EVENT_NOTE) > html.indexOf("<h2 id=\"narvaro\">")
        && html.indexOf(EVENT_NOTE) < html.indexOf("id=\"tabell-narvaro\""), "the note is by the figures it explains");
    List<List<String>> turnout = table(html, "narvaro");
    assertEquals(List.of("Bekräftade anmälningar", "3"), turnout.get(2));
    assertEquals(List.of("Deltog", "0"), turnout.get(8));
    assertEquals(List.of("Uteblev", "–"), turnout.get(10), "not 3: nobody was checked in, in or out");
    assertEquals(List.of("Andel som uteblev", "–"), turnout.get(11), "not 100 %");
    assertContains(html, "Deltog: 0; Kom utan anmälan: 0; Uteblev: –;");
    String csv = viewer.get("/uppfoljning/evenemang/" + f.e4 + "/export/narvaro.csv").bodyAsString();
    assertEquals(turnout, csv(csv.substring(1)), "the CSV says what the page says");
    List<List<String>> xlsx = xlsx(viewer.get("/uppfoljning/evenemang/" + f.e4 + "/export/narvaro.xlsx").body()
        .getBytes());
    assertEquals(List.of("Andel som uteblev", "–"), xlsx.get(11), "no share to put in a number cell");
  }

  @Test
  void anEventNotYetStartedHasNoNoteThatAttendanceIsUnknown() {
    long upcoming = (Long) Db.column(app.databaseUrl, "insert into event (kind, title_sv, starts_at, ends_at, online_url,"
        + " capacity, status) values ('seminarium', 'Kommande seminarium', now() + interval '10 days',"
        + " now() + interval '10 days 2 hours', 'https://example.org/s', 30, 'published') returning id").get(0);
    try {
      String html = page("/uppfoljning/evenemang/" + upcoming);
      assertFalse(html.contains(EVENT_NOTE), "nobody can have been checked in before the start");
      assertEquals(List.of("Andel som uteblev", "–"), table(html, "narvaro").get(11));
    } finally {
      Db.exec(app.databaseUrl, "delete from event where id = " + upcoming);
    }
  }

  @Test
  void thePagesSpeakEnglishToo() {
    String html = page("/uppfoljning?ar=2023&lang=en");
    assertContains(html, "<html lang=\"en\"");
    assertContains(html, "Action-plan year 2023");
    assertEquals(List.of("Attendance (share of confirmed who came)", "75%"), table(html, "oversikt").get(5));
    assertContains(html, "1 event has no recorded attendance (for example online meetings without check-in) and is"
        + " not counted in the attendance rate.");
    assertNoKeys(html);
    String event = page("/uppfoljning/evenemang/" + f.e1 + "?lang=en");
    assertEquals(List.of("Share of no-shows", "42.9%"), table(event, "narvaro").get(11));
    assertNoKeys(event);
    String online = page("/uppfoljning/evenemang/" + f.e4 + "?lang=en");
    assertEquals(List.of("Share of no-shows", "–"), table(online, "narvaro").get(11));
    assertContains(online, "No check-in was recorded for this event, so attendance is unknown.");
    assertNoKeys(online);
    String yearly = page("/uppfoljning/ar/2023?lang=en");
    assertContains(yearly, "<h1>Follow-up 2023</h1>");
    assertContains(yearly, "1 event has no recorded attendance");
    assertContains(yearly, "Digitalt dialogmöte</a> – participants unknown (no check-in)");
    assertNoKeys(yearly);
    page("/uppfoljning?lang=sv");  // ?lang= sticks in a cookie: the other tests read this session in Swedish
  }

  // ------------------------------------------------------------------------------------------------ yearly report

  @Test
  void theYearlyReportIsOnePrintablePageAndAPdf() {
    // The overview of a plan year links to that year's report, by its number (Pebble read scope.year through Scope.isYear(): "true").
    String overview = page("/uppfoljning?ar=2023");
    assertContains(overview, "<a href=\"/uppfoljning/ar/2023\">Årsuppföljning 2023 att skriva ut eller spara som PDF</a>");
    String html = page("/uppfoljning/ar/2023");
    assertContains(html, "<h1>Uppföljning 2023</h1>");
    assertContains(html, "<article class=\"print-page yearly-report\">");
    assertContains(html, "Under året genomfördes 4 aktiviteter med 9 deltaganden från 3 organisationer. Närvaron var 75"
        + NBSP + "%. 3 organisationer deltog i minst två typer av aktiviteter.");
    assertContains(html, "<div class=\"notice notice-warning\"><p>" + YEAR_NOTE + "</p></div>");
    assertContains(html, "<time datetime=\"2023-03-10\">2023-03-10</time> <a href=\"/uppfoljning/evenemang/" + f.e1
        + "\">Workshop om långsiktighet</a> – 4 deltagare");
    assertContains(html, "<a href=\"/uppfoljning/evenemang/" + f.e4 + "\">Digitalt dialogmöte</a> – deltagarna okända"
        + " (ingen incheckning)");
    assertContains(html, "<li>Delta förbund</li>");
    assertEquals(List.of("Workshop om långsiktighet", "3", "4,3", "0", "0", "0", "2", "1"),
        table(html, "betyg-per-evenemang").get(1));
    assertContains(html, "/static/css/followup.css");
    assertFalse(page("/uppfoljning/ar/2022").contains("saknar registrerad närvaro"), "2022's event had check-ins");

    HttpResponse<Buffer> pdf = viewer.get("/uppfoljning/ar/2023/uppfoljning.pdf");
    assertEquals(200, pdf.statusCode());
    assertEquals("application/pdf", pdf.getHeader("Content-Type"));
    try (PDDocument doc = Loader.loadPDF(pdf.body().getBytes())) {
      String text = new PDFTextStripper().getText(doc);
      for (String expected : List.of("Uppföljning 2023", "Tema: Långsiktighet", "Fokusområde: Uthållig samverkan",
          "Workshop om långsiktighet", "Dialogmöte i Varberg", "Delta förbund, Epsilon råd", "Gamma AB",
          "Återkoppling per aktivitet")) {
        assertTrue(text.contains(expected), "the PDF says " + expected + ":\n" + text);
      }
      assertTrue(text.replaceAll("\\s+", " ").contains(YEAR_NOTE), "the PDF tells why E4 is left out:\n" + text);
      assertTrue(text.replaceAll("\\s+", " ").contains("Digitalt dialogmöte – deltagarna okända (ingen incheckning)"),
          "the PDF does not say E4 had no participants:\n" + text);
      assertEquals("sv-SE", doc.getDocumentCatalog().getLanguage());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  // ------------------------------------------------------------------------------------------------ exports

  @Test
  void everyTableDownloadsAsCsvWithTheSameFigures() throws Exception {
    String html = page("/uppfoljning?ar=2023");
    for (String id : ReportTables.SCOPE_TABLES) {
      HttpResponse<Buffer> r = viewer.get("/uppfoljning/export/" + id + ".csv?ar=2023");
      assertEquals(200, r.statusCode(), id);
      assertEquals("text/csv; charset=utf-8", r.getHeader("Content-Type"));
      assertEquals("attachment; filename=\"" + id + "-2023.csv\"", r.getHeader("Content-Disposition"));
      String text = new String(r.body().getBytes(), StandardCharsets.UTF_8);
      assertTrue(text.startsWith("\uFEFF"), "a byte-order mark for Excel");
      assertEquals(table(html, id), csv(text.substring(1)), "CSV " + id + " says what the page says");
    }
    String event = page("/uppfoljning/evenemang/" + f.e1);
    for (String id : List.of("narvaro", "pass", "behov", "betyg")) {
      String text = viewer.get("/uppfoljning/evenemang/" + f.e1 + "/export/" + id + ".csv").bodyAsString();
      assertEquals(table(event, id), csv(text.substring(1)), "CSV " + id);
    }
  }

  @Test
  void tablesDownloadAsXlsxWithNumbersAsNumbers() throws Exception {
    HttpResponse<Buffer> r = viewer.get("/uppfoljning/export/organisationer.xlsx?ar=2023");
    assertEquals(200, r.statusCode());
    assertEquals("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.getHeader("Content-Type"));
    List<List<String>> rows = xlsx(r.body().getBytes());
    assertEquals(List.of("Organisation", "Sektor", "Part i HÖK", "Aktiviteter deltog i", "Antal typer",
        "Typer av aktiviteter", "Deltagare skickade"), rows.get(0));
    assertEquals(List.of("Alfa förening", "Idéburen", "Ja", "3", "3", "Dialogmöte, Workshop, Seminarium", "3"),
        rows.get(1));

    List<List<String>> totals = xlsx(viewer.get("/uppfoljning/export/oversikt.xlsx?ar=2023").body().getBytes());
    assertEquals(List.of("Närvaro (andel bekräftade som kom)", "0.75"), totals.get(5), "a share is a number");

    List<List<String>> needs = xlsx(viewer.get("/uppfoljning/evenemang/" + f.e1 + "/export/behov.xlsx").body().getBytes());
    assertEquals(List.of(List.of("Behov", "Anmälningar"), List.of("Hörslinga/teleslinga", "< 3"),
        List.of("Teckenspråkstolk", "3")), needs, "small counts stay hidden in the download");
  }

  @Test
  void theParticipantListDownloadsWithAttendanceAndNoNeeds() throws Exception {
    HttpResponse<Buffer> r = organiser.get("/uppfoljning/evenemang/" + f.e2 + "/export/deltagare.csv");
    assertEquals(200, r.statusCode());
    List<List<String>> rows = csv(r.bodyAsString().substring(1));
    assertEquals(List.of("Namn", "E-post", "Organisation", "Sektor", "Status", "Anmäld via", "Ledsagare", "Deltog",
        "Incheckad"), rows.get(0));
    assertEquals(4, rows.size());
    assertTrue(rows.stream().anyMatch(row -> row.get(0).equals("Anna Alm") && row.get(1).equals("Anna@Example.org")
        && row.get(2).equals("Alfa förening") && row.get(7).equals("Ja")), rows.toString());
    assertTrue(rows.stream().anyMatch(row -> row.get(0).equals("Raderad") && row.get(1).isEmpty()
        && row.get(2).equals("Gamma AB")), "an erased registration keeps its organisation only: " + rows);

    List<List<String>> e1 = xlsx(organiser.get("/uppfoljning/evenemang/" + f.e1 + "/export/deltagare.xlsx").body().getBytes());
    assertEquals(12, e1.size(), "all 11 registrations and the header");
    List<String> ivy = e1.stream().filter(row -> row.get(0).equals("Ivy Isaksson")).findFirst().orElseThrow();
    assertEquals(List.of("Bekräftad", "Kom utan anmälan", "Nej", "Ja"), ivy.subList(4, 8));
    List<String> jon = e1.stream().filter(row -> row.get(0).equals("Jon Jansson")).findFirst().orElseThrow();
    assertEquals("Nej", jon.get(7), "an undone check-in is no attendance");
  }

  @Test
  void formulaLookingNamesStayTextInBothFormats() throws Exception {
    long org = ((Number) Db.column(app.databaseUrl, "insert into organisation (name, sector) values"
        + " ('=HYPERLINK(\"https://evil.example\")', 'ovrig') returning id").get(0)).longValue();
    String reg = Db.column(app.databaseUrl, "insert into registration (event_id, status, name, email, organisation_id)"
        + " values (" + f.e3 + ", 'confirmed', '+46 Formel', 'formel@example.org', " + org + ") returning id").get(0)
        .toString();
    String csv = organiser.get("/uppfoljning/evenemang/" + f.e3 + "/export/deltagare.csv").bodyAsString();
    assertContains(csv, "'+46 Formel");
    assertContains(csv, "\"'=HYPERLINK(\"\"https://evil.example\"\")\"");
    byte[] bytes = organiser.get("/uppfoljning/evenemang/" + f.e3 + "/export/deltagare.xlsx").body().getBytes();
    try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(bytes))) {
      Sheet sheet = wb.getFirstSheet();
      for (Row row : sheet.read()) {
        row.forEach(cell -> assertTrue(cell == null || cell.getFormula() == null, "no formula cells"));
      }
    }
    Db.exec(app.databaseUrl, "delete from registration where id = '" + reg + "'");
  }

  // ------------------------------------------------------------------------------------------------ access

  @Test
  void viewersReadButChangeNothingAndDoorStaffAndStrangersSeeNothing() {
    assertEquals(200, viewer.get("/uppfoljning").statusCode());
    assertContains(viewer.get("/uppfoljning").bodyAsString(), "<h2 id=\"urval\">Handlingsplanens år 2023</h2>");
    assertContains(viewer.get("/uppfoljning").bodyAsString(), "<a href=\"/uppfoljning\" aria-current=\"page\">Uppföljning</a>");
    // A viewer's POST to an organiser form is refused by role, with a valid CSRF token from a page they may see.
    HttpResponse<Buffer> post = viewer.post("/uppfoljning", "/arrangor/evenemang/" + f.e1 + "/anmalningar",
        MultiMap.caseInsensitiveMultiMap().add("name", "Nej").add("email", "nej@example.org"));
    assertEquals(403, post.statusCode(), post.bodyAsString());
    assertEquals(0L, ((Number) Db.column(app.databaseUrl,
        "select count(*) from registration where email = 'nej@example.org'").get(0)).longValue());

    PageSession door = PageSession.staff(app, "checkin");
    for (String path : List.of("/uppfoljning", "/uppfoljning/evenemang/" + f.e1, "/uppfoljning/ar/2023",
        "/uppfoljning/ar/2023/uppfoljning.pdf", "/uppfoljning/export/organisationer.csv?ar=2023",
        "/uppfoljning/evenemang/" + f.e1 + "/export/deltagare.csv")) {
      assertEquals(403, door.get(path).statusCode(), path);
      HttpResponse<Buffer> stranger = PageSession.anonymous(app).get(path);
      assertEquals(302, stranger.statusCode(), path);
      assertTrue(stranger.getHeader("Location").startsWith("/login?next="), path);
    }
    assertFalse(door.get("/arrangor").bodyAsString().contains("href=\"/uppfoljning\""), "no link the role cannot use");
    // Figures for the working group, never names or e-mail addresses: the participant list is the organisers'.
    for (String file : List.of("deltagare.csv", "deltagare.xlsx")) {
      HttpResponse<Buffer> people = viewer.get("/uppfoljning/evenemang/" + f.e1 + "/export/" + file);
      assertEquals(403, people.statusCode(), file);
      assertFalse(people.bodyAsString().contains("Ivy Isaksson"), file);
    }
    assertFalse(viewer.get("/uppfoljning/evenemang/" + f.e1).bodyAsString().contains("deltagare.csv"),
        "no link the viewer cannot use");
    assertEquals(200, PageSession.staff(app, "organiser").get("/uppfoljning?ar=2023").statusCode());
  }

  @Test
  void badInputGetsAClearMessageNeverA500() {
    HttpResponse<Buffer> letters = viewer.get("/uppfoljning?ar=abc");
    assertEquals(400, letters.statusCode());
    assertContains(letters.bodyAsString(), "Ange året med siffror, till exempel 2024.");
    assertContains(letters.bodyAsString(), "<a href=\"#ar\">År i handlingsplanen: Ange året med siffror");

    HttpResponse<Buffer> noYear = viewer.get("/uppfoljning?ar=1999");
    assertEquals(400, noYear.statusCode());
    assertContains(noYear.bodyAsString(), "Handlingsplanen har inget år 1999.");

    HttpResponse<Buffer> backwards = viewer.get("/uppfoljning?fran=2023-12-01&till=2023-01-01");
    assertEquals(400, backwards.statusCode());
    assertContains(backwards.bodyAsString(), "Slutdatumet måste vara samma dag som startdatumet eller senare.");
    HttpResponse<Buffer> notADate = viewer.get("/uppfoljning?fran=31/12/2023&till=");
    assertEquals(400, notADate.statusCode());
    assertContains(notADate.bodyAsString(), "Ange datumet som år-månad-dag");
    assertContains(notADate.bodyAsString(), "Ange ett datum, eller välj ett år i stället.");

    for (String path : List.of("/uppfoljning/evenemang/987654", "/uppfoljning/evenemang/abc",
        "/uppfoljning/evenemang/" + f.e1 + "/export/hemligt.csv", "/uppfoljning/evenemang/" + f.e1 + "/export/pass.pdf",
        "/uppfoljning/export/trend.doc?ar=2023", "/uppfoljning/ar/1999", "/uppfoljning/ar/abc",
        "/uppfoljning/ar/2099999999999", "/uppfoljning/ar/1999/uppfoljning.pdf")) {
      assertEquals(404, viewer.get(path).statusCode(), path);
    }
    assertEquals(400, viewer.get("/uppfoljning/export/trend.csv?ar=abc").statusCode());
  }

  // ------------------------------------------------------------------------------------------------ accessibility

  @Test
  void theYearlyReportPdfIsTaggedForScreenReaders() throws Exception {
    // Swedish last: the language sticks to the session the other tests use.
    for (String lang : List.of("en", "sv")) {
      HttpResponse<Buffer> pdf = viewer.get("/uppfoljning/ar/2023/uppfoljning.pdf?lang=" + lang);
      assertEquals(200, pdf.statusCode());
      se.hok.samla.support.TaggedPdfs.Element doc = se.hok.samla.support.TaggedPdfs.assertTagged(pdf.body().getBytes(),
          lang.equals("sv") ? "sv-SE" : "en-GB");
      assertEquals("H1", doc.kids().get(0).type(), "the title first");
      assertEquals(1, doc.all("H1").size());
      assertTrue(doc.all("H2").size() >= 5, "each part under its heading");
      List<se.hok.samla.support.TaggedPdfs.Element> tables = doc.all("Table");
      assertTrue(tables.size() >= 4, "the figures are tables");
      for (se.hok.samla.support.TaggedPdfs.Element table : tables) {
        assertTrue(table.kids().stream().allMatch(row -> row.type().equals("TR")), "rows");
        assertTrue(table.kids().get(0).kids().stream().allMatch(cell -> cell.type().equals("TH")), "a header row");
      }
    }
  }

  @Test
  @Tag(Browser.TAG)
  void everyReportPageIsAccessibleInARealBrowser() {
    String email = "viewer-axe@test.example";
    Db.exec(app.databaseUrl, "insert into staff_user (email, name, password_hash, role) values ('" + email
        + "', 'Vera Viewer', '" + Db.argon2("viewer-password-123") + "', 'viewer')");
    Browser browser = Browser.shared();
    browser.reset();
    WebDriver d = browser.driver();
    try {
      browser.open(app.url("/login"));
      d.findElement(By.id("email")).sendKeys(email);
      d.findElement(By.id("password")).sendKeys("viewer-password-123");
      d.findElement(By.cssSelector("form.form button[type=submit]")).click();
      browser.waitUntil(ExpectedConditions.urlToBe(app.url("/arrangor")));
    } catch (RuntimeException e) {
      fail("signing in failed at " + d.getCurrentUrl() + ": " + d.findElement(By.tagName("body")).getText());
    }
    for (String[] page : List.of(
        new String[] {"/uppfoljning?ar=2023", "Uppföljning"},
        new String[] {"/uppfoljning?fran=2023-01-01&till=2023-06-30", "Uppföljning"},
        new String[] {"/uppfoljning?ar=abc", "Uppföljning"},
        new String[] {"/uppfoljning/evenemang/" + f.e1, "Uppföljning: Workshop om långsiktighet"},
        new String[] {"/uppfoljning/evenemang/" + f.e3, "Uppföljning: Dialogmöte i Varberg"},
        new String[] {"/uppfoljning/evenemang/" + f.e4, "Uppföljning: Digitalt dialogmöte"},
        new String[] {"/uppfoljning/ar/2023", "Uppföljning 2023"},
        new String[] {"/uppfoljning/ar/2023?lang=en", "Follow-up 2023"})) {
      browser.openAt(app.url(page[0]), page[1]);
      browser.assertAccessible(page[0]);
    }
    browser.screenshot(java.nio.file.Path.of("target", "screenshots", "followup-yearly.png"));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static String page(String path) {
    HttpResponse<Buffer> r = viewer.get(path);
    assertEquals(200, r.statusCode(), path + ": " + r.bodyAsString());
    return r.bodyAsString();
  }

  /** A report table of the page as text, header first: what a person reads. */
  static List<List<String>> table(String html, String id) {
    Matcher m = Pattern.compile("<table class=\"table report-table\" id=\"tabell-" + Pattern.quote(id)
        + "\">(.*?)</table>", Pattern.DOTALL).matcher(html);
    if (!m.find()) {
      throw new AssertionError("no table " + id);
    }
    List<List<String>> rows = new ArrayList<>();
    Matcher tr = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(m.group(1));
    while (tr.find()) {
      List<String> cells = new ArrayList<>();
      Matcher cell = Pattern.compile("<t[hd][^>]*>(.*?)</t[hd]>", Pattern.DOTALL).matcher(tr.group(1));
      while (cell.find()) {
        cells.add(PageSession.unescape(cell.group(1)).strip());
      }
      rows.add(cells);
    }
    return rows;
  }

  static List<List<String>> csv(String text) throws java.io.IOException {
    List<List<String>> rows = new ArrayList<>();
    for (CSVRecord record : CSVFormat.DEFAULT.builder().setDelimiter(';').get().parse(new StringReader(text))) {
      rows.add(record.toList());
    }
    return rows;
  }

  static List<List<String>> xlsx(byte[] bytes) throws java.io.IOException {
    try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(bytes))) {
      List<List<String>> rows = new ArrayList<>();
      for (Row row : wb.getFirstSheet().read()) {
        List<String> cells = new ArrayList<>();
        row.forEach(c -> cells.add(c == null ? "" : c.getRawValue()));
        rows.add(cells);
      }
      return rows;
    }
  }

  /** Every text has an English version: no message key shows through. */
  private static void assertNoKeys(String html) {
    Matcher key = Pattern.compile("followup\\.[a-zA-Z-]+\\.[a-zA-Z]").matcher(html);
    assertFalse(key.find(), () -> "a text without a translation: " + key.group());
  }

  static void assertContains(String haystack, String needle) {
    assertTrue(haystack.contains(needle), "expected to find:\n" + needle + "\nin:\n" + haystack);
  }
}
