package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.DoorVerdict;
import se.hok.samla.support.DoorVerdict.Verdict;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.tickets.TicketService;

/**
 * The ticket at hand behind the manage link: the QR code on the page is the valid ticket (read back with ZXing), the
 * PDF (read with PDFBox) and the calendar file list the chosen sessions with time and room, the ticket can be e-mailed
 * again (limited), and the seat can be handed to a colleague – the old code is turned away at the door, the colleague
 * gets a ticket and a link of their own, with no needs; the answer is the same whether the colleague was registered
 * or not.
 */
@WithSamla(env = {"SAMLA_LIMIT_TICKET_RESEND_PER_REGISTRATION=2/1h", "SAMLA_LIMIT_SIGNUPS_PER_EMAIL=2/1h"})
class TicketAtHandTest {
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static TestApp app;
  static String organiser;
  static String door;
  static long eventId;
  static long workshopA;
  static TicketService tickets;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
    door = app.tokenFor("checkin");
    tickets = new TicketService(app.vertx, app.running.database().pool());
    OffsetDateTime start = OffsetDateTime.now(STOCKHOLM).plusDays(14).truncatedTo(ChronoUnit.DAYS).withHour(9);
    JsonObject published = PublishedEvent.by(app, organiser).title("Framtidsforum").kind("framtidsforum").atVenue()
        .with("onlineUrl", null).startsAt(start).endsAt(start.plusHours(6)).sessions(new JsonArray()
            .add(new JsonObject().put("title", "Workshop A").put("startsAt", start.plusHours(1).toString())
                .put("endsAt", start.plusHours(2).toString()).put("capacity", 30).put("room", "Sal 7"))
            .add(new JsonObject().put("title", "Workshop B").put("startsAt", start.plusHours(1).toString())
                .put("endsAt", start.plusHours(2).toString()).put("capacity", 30))
            .add(new JsonObject().put("title", "Panelsamtal").put("startsAt", start.plusHours(3).toString())
                .put("endsAt", start.plusHours(4).toString()).put("capacity", 30).put("room", "Stora salen")))
        .publish();
    eventId = published.getLong("id");
    workshopA = published.getJsonArray("sessions").getJsonObject(0).getLong("id");
    app.assign(eventId, door, "door");
  }

  static long panel() {
    return (Long) Db.column(app.databaseUrl, "select id from event_session where event_id = " + eventId
        + " and title_sv = 'Panelsamtal'").get(0);
  }

  static SignUps.Participant signUp(String name, String email) {
    return SignUps.participant(app, eventId, new JsonObject().put("name", name).put("email", email).put("consent", true)
        .put("sessions", new JsonArray().add(workshopA).add(panel())).put("diet", new JsonArray().add("vegansk"))
        .put("needs", new JsonArray().add(new JsonObject().put("code", "teckensprakstolk"))));
  }

  static String decode(byte[] png) throws Exception {
    var image = ImageIO.read(new ByteArrayInputStream(png));
    return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
        .getText();
  }

  @Test
  void theManagePageShowsTheQrThatIsTheValidTicketAndThePdfAndCalendarHoldTheSessions() throws Exception {
    SignUps.Participant p = signUp("Hanna Holm", "hanna.holm@example.org");
    HttpResponse<Buffer> page = await(app.client.get("/anmalan/" + p.token()).send());
    assertEquals(200, page.statusCode());
    String html = page.bodyAsString();
    String reference = (String) Db.column(app.databaseUrl, "select reference from ticket where registration_id = '" + p.id()
        + "' and revoked_at is null").get(0);
    assertTrue(html.contains(reference), "the reference, to read out at the door");
    assertTrue(html.contains("src=\"/anmalan/" + p.token() + "/biljett.png\""), html);

    HttpResponse<Buffer> png = await(app.client.get("/anmalan/" + p.token() + "/biljett.png").send());
    assertEquals("image/png", png.getHeader("Content-Type"));
    assertEquals("no-store", png.getHeader("Cache-Control"));
    String code = decode(png.body().getBytes());
    assertEquals(Verdict.VALID, DoorVerdict.of(app, code), "the QR on the page is a valid ticket");
    assertEquals(List.of(p.id()), Db.column(app.databaseUrl, "select registration_id from ticket where code = '" + code + "'"),
        "of this registration");

    HttpResponse<Buffer> pdf = await(app.client.get("/anmalan/" + p.token() + "/biljett.pdf").send());
    assertEquals("application/pdf", pdf.getHeader("Content-Type"));
    try (PDDocument doc = Loader.loadPDF(pdf.body().getBytes())) {
      String text = new PDFTextStripper().getText(doc);
      assertTrue(text.contains("Dina pass"), text);
      assertTrue(text.contains("10:00–11:00 Workshop A, Sal 7"), text);
      assertTrue(text.contains("12:00–13:00 Panelsamtal, Stora salen"), text);
      assertFalse(text.contains("Workshop B"), "only the sessions chosen");
      assertTrue(text.contains(reference));
    }

    HttpResponse<Buffer> ics = await(app.client.get("/anmalan/" + p.token() + "/kalender.ics").send());
    assertTrue(ics.getHeader("Content-Type").startsWith("text/calendar"));
    Calendar calendar = new CalendarBuilder().build(new StringReader(ics.bodyAsString()));
    List<VEvent> entries = calendar.getComponents("VEVENT");
    assertEquals(3, entries.size(), "the event and each chosen session as an entry of its own");
    VEvent workshop = entries.stream().filter(e -> e.<Property>getProperty("SUMMARY").orElseThrow().getValue().startsWith("Workshop A"))
        .findFirst().orElseThrow();
    assertTrue(workshop.<Property>getProperty("LOCATION").orElseThrow().getValue().startsWith("Sal 7, "));
    assertTrue(workshop.toString().contains("T100000"), "its own time: " + workshop);
    VEvent whole = entries.stream().filter(e -> !e.getUid().orElseThrow().getValue().contains("-session-")).findFirst()
        .orElseThrow();
    assertTrue(whole.<Property>getProperty("DESCRIPTION").orElseThrow().getValue().contains("Workshop A, Sal 7"), "the description lists them");

    // The ticket mail lists them too, with time and room.
    String mail = Mails.text(Mails.to(app, "hanna.holm@example.org").get(0), "text/plain");
    assertTrue(mail.contains("10:00–11:00 Workshop A, Sal 7"), mail);
    try (PDDocument doc = Loader.loadPDF(Mails.bytes(Mails.to(app, "hanna.holm@example.org").get(0), "application/pdf"))) {
      assertTrue(new PDFTextStripper().getText(doc).contains("Panelsamtal, Stora salen"), "and the mail's PDF");
    }
  }

  @Test
  void theTicketCanBeSentAgainAFewTimesThenTheLimitSaysWhenToTryAgain() {
    SignUps.Participant p = signUp("Ivar Ivarsson", "ivar@example.org");
    PageSession browser = PageSession.anonymous(app);
    String manage = "/anmalan/" + p.token();
    for (int i = 1; i <= 2; i++) {
      HttpResponse<Buffer> sent = browser.post(manage, manage + "/skicka-biljetten", MultiMap.caseInsensitiveMultiMap());
      assertEquals(303, sent.statusCode());
      assertTrue(browser.get(sent.getHeader("Location")).bodyAsString().contains("Vi har skickat mejlet"));
    }
    HttpResponse<Buffer> third = browser.post(manage, manage + "/skicka-biljetten", MultiMap.caseInsensitiveMultiMap());
    assertEquals(429, third.statusCode());
    assertTrue(third.getHeader("Retry-After") != null && third.bodyAsString().contains("Vänta"), third.bodyAsString());
    SignUps.sendMail(app);
    List<MimeMessage> again = Mails.await(app, "ivar@example.org", 3).stream()
        .filter(m -> subject(m).startsWith("Din biljett igen")).toList();
    assertEquals(2, again.size(), "two asked for, two sent");
    assertTrue(Mails.find(again.get(0), "image/png").isPresent() && Mails.find(again.get(0), "application/pdf").isPresent());
    assertTrue(SignUps.link(again.get(0)).isPresent(), "each with a manage link");
  }

  @Test
  void aHandoverRevokesTheOldCodeAtTheDoorAndTheColleagueGetsATicketAndLinkOfTheirOwnWithNoNeeds() throws Exception {
    SignUps.Participant giver = signUp("Jonas Jansson", "jonas@example.org");
    String oldCode = decode(await(app.client.get("/anmalan/" + giver.token() + "/biljett.png").send()).body().getBytes());
    PageSession browser = PageSession.anonymous(app);
    String manage = "/anmalan/" + giver.token();
    assertTrue(browser.get(manage).bodyAsString().contains(manage + "/lamna-over"));

    HttpResponse<Buffer> own = browser.post(manage + "/lamna-over", manage + "/lamna-over", MultiMap.caseInsensitiveMultiMap()
        .add("name", "Jonas igen").add("email", "JONAS@example.org"));
    assertEquals(422, own.statusCode());
    assertTrue(own.bodyAsString().contains("Det är din egen adress"), own.bodyAsString());
    HttpResponse<Buffer> empty = browser.post(manage + "/lamna-over", manage + "/lamna-over", MultiMap.caseInsensitiveMultiMap()
        .add("name", "").add("email", "inte en adress"));
    assertEquals(422, empty.statusCode());

    HttpResponse<Buffer> check = browser.post(manage + "/lamna-over", manage + "/lamna-over", MultiMap.caseInsensitiveMultiMap()
        .add("name", "Karin Kollega").add("email", "karin@example.org"));
    assertEquals(200, check.statusCode());
    assertTrue(check.bodyAsString().contains("karin@example.org") && check.bodyAsString().contains("går inte att ångra"));
    assertEquals(Verdict.VALID, DoorVerdict.of(app, oldCode), "nothing happens before the last look");

    Object seatsBefore = Db.column(app.databaseUrl, "select seats_taken from event_session where id = " + workshopA).get(0);
    HttpResponse<Buffer> done = browser.post(manage + "/lamna-over", manage + "/lamna-over/bekrafta",
        MultiMap.caseInsensitiveMultiMap().add("name", "Karin Kollega").add("email", "karin@example.org"));
    assertEquals(303, done.statusCode());
    assertEquals(manage + "?overlamnad=1", done.getHeader("Location"));
    String after = browser.get(done.getHeader("Location")).bodyAsString();
    assertTrue(after.contains("Överlämnad till en kollega"), after);
    assertFalse(after.contains("karin@example.org"), "the giver's page does not show the colleague's registration");

    // The door turns the old code away.
    HttpResponse<Buffer> scan = await(app.client.post("/api/v1/checkins").putHeader("Authorization", "Bearer " + door)
        .sendJsonObject(new JsonObject().put("eventId", eventId).put("code", oldCode).put("deviceId", "Entré")));
    assertEquals(200, scan.statusCode(), scan.bodyAsString());
    assertNotEquals("ok", scan.bodyAsJsonObject().getString("result"), scan.bodyAsString());
    assertEquals(Verdict.REVOKED, DoorVerdict.of(app, oldCode));

    // The colleague's own ticket and link, sessions kept, needs and diet empty.
    String token = SignUps.manageToken(app, "karin@example.org");
    JsonObject karin = await(app.client.get("/api/v1/registrations/" + token).send()).bodyAsJsonObject();
    assertEquals("confirmed", karin.getString("status"));
    assertEquals("Karin Kollega", karin.getString("name"));
    assertTrue(karin.getJsonArray("needs").isEmpty() && karin.getJsonArray("diet").isEmpty(), karin.encode());
    assertEquals(2, karin.getJsonArray("sessions").size(), "the seats in the sessions come along");
    MimeMessage toKarin = Mails.to(app, "karin@example.org").get(0);
    assertTrue(Mails.text(toKarin, "text/plain").contains("Jonas Jansson har lämnat över"), "who gave it");
    String newCode = decode(Mails.bytes(toKarin, "image/png"));
    assertEquals(Verdict.VALID, DoorVerdict.of(app, newCode));
    assertEquals(List.of(java.util.UUID.fromString(karin.getString("id"))),
        Db.column(app.databaseUrl, "select registration_id from ticket where code = '" + newCode + "'"));
    assertEquals(List.of(seatsBefore), Db.column(app.databaseUrl, "select seats_taken from event_session where id = " + workshopA),
        "the giver's seat in the workshop is now the colleague's: no more, no fewer taken");

    SignUps.sendMail(app);
    MimeMessage toGiver = Mails.awaitOne(app, m -> Mails.recipient(m).contains("jonas@example.org")
        && subject(m).startsWith("Din plats är överlämnad"), "the giver's receipt");
    assertFalse(Mails.text(toGiver, "text/plain").contains("karin@example.org"), "not even the giver's mail keeps the address");
  }

  @Test
  void aHandoverToAnAddressAlreadyRegisteredIsAnsweredTheSameAndChangesNothingOfThatRegistration() {
    SignUps.Participant giver = signUp("Lars Lund", "lars@example.org");
    SignUps.Participant colleague = signUp("Maria Mattsson", "maria@example.org");
    PageSession browser = PageSession.anonymous(app);
    String manage = "/anmalan/" + giver.token();
    HttpResponse<Buffer> check = browser.post(manage + "/lamna-over", manage + "/lamna-over", MultiMap.caseInsensitiveMultiMap()
        .add("name", "Maria").add("email", "Maria@Example.org"));
    assertEquals(200, check.statusCode(), "no field error: the form reveals no one's registration");
    HttpResponse<Buffer> done = browser.post(manage + "/lamna-over", manage + "/lamna-over/bekrafta",
        MultiMap.caseInsensitiveMultiMap().add("name", "Maria").add("email", "Maria@Example.org"));
    assertEquals(303, done.statusCode());
    assertEquals(manage + "?overlamnad=1", done.getHeader("Location"), "the same answer as for a new address");

    JsonObject maria = await(app.client.get("/api/v1/registrations/" + colleague.token()).send()).bodyAsJsonObject();
    assertEquals(colleague.id().toString(), maria.getString("id"));
    assertEquals("confirmed", maria.getString("status"));
    assertEquals("Maria Mattsson", maria.getString("name"), "her registration is as it was");
    assertEquals(1, maria.getJsonArray("needs").size());
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from registration where event_id = " + eventId
        + " and lower(email) = 'maria@example.org'"));
    SignUps.sendMail(app);
    MimeMessage told = Mails.awaitOne(app, m -> Mails.recipient(m).contains("maria@example.org")
        && subject(m).startsWith("Du är redan anmäld"), "Maria hears of it");
    assertTrue(Mails.text(told, "text/plain").contains("Lars Lund ville lämna över"), Mails.text(told, "text/plain"));
    assertEquals(List.of("cancelled"), Db.column(app.databaseUrl, "select status from registration where id = '" + giver.id() + "'"));
  }

  @Test
  void handoversCountAgainstTheColleaguesAddressAsSignUpsDo() {
    List<SignUps.Participant> givers = List.of(signUp("Olof Ek", "olof@example.org"), signUp("Petra Ek", "petra@example.org"),
        signUp("Quinn Ek", "quinn@example.org"));
    PageSession browser = PageSession.anonymous(app);
    int[] statuses = new int[3];
    for (int i = 0; i < 3; i++) {
      String manage = "/anmalan/" + givers.get(i).token();
      statuses[i] = browser.post(manage, manage + "/lamna-over/bekrafta", MultiMap.caseInsensitiveMultiMap()
          .add("name", "Nisse").add("email", "nisse@example.org")).statusCode();
    }
    assertEquals(303, statuses[0]);
    assertEquals(303, statuses[1], "the second is answered as the first (nisse is registered by then)");
    assertEquals(429, statuses[2], "two e-mails to one address within the limit, then no more");
    assertEquals(List.of("confirmed"), Db.column(app.databaseUrl, "select status from registration where id = '"
        + givers.get(2).id() + "'"), "the refused handover changed nothing");
  }

  static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
