package se.hok.samla.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.events.EventService;
import se.hok.samla.events.EventView;
import se.hok.samla.registration.RegistrationService;
import se.hok.samla.support.Db;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.web.Lang;

/**
 * Every kind of e-mail rendered from real registrations: who gets it, in which language, with which parts, a
 * working manage link, HTML that mail clients accept and that escapes what people typed, and nothing at all
 * when the mail has become untrue since it was queued.
 */
@WithSamla
class MailRendererTest {
  static final OffsetDateTime START = OffsetDateTime.now(ZoneId.of("Europe/Stockholm"))
      .plusDays(60).truncatedTo(ChronoUnit.DAYS).withHour(9);
  static final String REFERENCE = "HÖK-ABCD-EFGH";
  static final byte[] PDF = "%PDF-1.4 test ticket".getBytes(StandardCharsets.US_ASCII);
  static final String ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n";
  static final Pattern MANAGE = Pattern.compile("/anmalan/([A-Za-z0-9_-]+)");

  static TestApp app;
  static String organiser;
  static long venueId;
  static JsonObject event;
  static long eventId;
  static String title;
  static byte[] png;
  static final List<Boolean> reissues = new CopyOnWriteArrayList<>();
  static MailRenderer renderer;

  @BeforeAll
  static void start() throws Exception {
    organiser = app.tokenFor("organiser");
    HttpResponse<Buffer> venue = await(app.client.post("/api/v1/venues").putHeader("Authorization", "Bearer " + organiser)
        .sendJsonObject(new JsonObject().put("name", "Hallandsgården").put("address", "Storgatan 1, Halmstad")
            .put("accessibility", new JsonObject().put("hearingLoop", true).put("stepFreeEntrance", true)
                .put("notes", "Ramp vid södra entrén"))));
    assertEquals(201, venue.statusCode(), venue.bodyAsString());
    venueId = venue.bodyAsJsonObject().getLong("id");
    event = published(50, "samla-arrangor@example.org", new JsonArray()
        .add(session("Workshop A", 10, 20)).add(session("Workshop B", 13, 20)));
    eventId = event.getLong("id");
    title = event.getString("title");

    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "PNG", out);
    png = out.toByteArray();

    var pool = app.running.database().pool();
    se.hok.samla.registration.TicketArtifacts fake = (r, e, manageUrl, reissue) -> {
      reissues.add(reissue);
      return Future.succeededFuture(new se.hok.samla.registration.TicketFiles("CODE234567", REFERENCE, png, PDF, ICS));
    };
    renderer = new MailRenderer(new RegistrationService(pool, Clock.systemDefaultZone(), se.hok.samla.mail.Outbox.REGISTRATION_MAILS), new EventService(pool, se.hok.samla.mail.Outbox.EVENT_MAILS), fake,
        "http://localhost:" + app.port());
  }

  // ------------------------------------------------------------------------------------------------
  // Helpers
  // ------------------------------------------------------------------------------------------------

  static JsonObject session(String name, int hour, int capacity) {
    return new JsonObject().put("title", name).put("startsAt", START.withHour(hour).toString())
        .put("endsAt", START.withHour(hour + 1).toString()).put("capacity", capacity);
  }

  static JsonObject published(int capacity, String organiserEmail, JsonArray sessions) {
    return PublishedEvent.by(app, organiser).title("Dialogmöte om demokrati").kind("dialogmote").startsAt(START)
        .endsAt(START.plusHours(7)).capacity(capacity).sessions(sessions)
        .with("venueId", venueId).with("onlineUrl", null)
        .with("organiserName", "Region Halland").with("organiserEmail", organiserEmail)
        .publish();
  }

  record Reg(UUID id, String token, JsonObject body) {}

  /**
   * Signed up as an organiser would (the answer names the registration), with the manage link its first e-mail
   * carries: that e-mail rendered here.
   */
  static Reg register(long event, JsonObject person) {
    JsonObject body = SignUps.byOrganiser(app, organiser, event, person);
    UUID id = UUID.fromString(body.getString("id"));
    Matcher link = MANAGE.matcher(rendered(body.getString("status"), event, id, new JsonObject()).html());
    assertTrue(link.find(), "the first e-mail carries the manage link");
    return new Reg(id, link.group(1), body);
  }

  static JsonObject person(String name) {
    return new JsonObject().put("name", name).put("email", "p" + System.nanoTime() + "@example.org");
  }

  static Optional<RenderedMail> render(String kind, long event, UUID id, JsonObject payload) {
    return await(renderer.render(kind, event, id, payload));
  }

  static RenderedMail rendered(String kind, long event, UUID id, JsonObject payload) {
    Optional<RenderedMail> mail = render(kind, event, id, payload);
    assertTrue(mail.isPresent(), kind + " should be sent");
    return mail.get();
  }

  /** The manage link in both parts, the same in both, and it opens the registration. */
  static void assertWorkingManageLink(RenderedMail m, UUID id) {
    Matcher html = MANAGE.matcher(m.html());
    assertTrue(html.find(), "manage link in the HTML");
    String token = html.group(1);
    assertTrue(m.text().contains("http://localhost:" + app.port() + "/anmalan/" + token), "the same link in the text part");
    HttpResponse<Buffer> r = await(app.client.get("/api/v1/registrations/" + token).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(id.toString(), r.bodyAsJsonObject().getString("id"));
  }

  /** What the major clients accept: inline styles only, no scripts, nothing fetched from the web. */
  static void assertMailSafeHtml(RenderedMail m, String lang) {
    String html = m.html();
    assertTrue(html.contains("<html lang=\"" + lang + "\""), "lang attribute");
    assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"), "no scripts");
    assertFalse(html.toLowerCase(Locale.ROOT).contains("<style"), "no style blocks");
    assertFalse(html.contains("class="), "no classes");
    assertFalse(html.contains("<link"), "no external stylesheets or fonts");
    assertFalse(html.contains("url("), "no CSS-loaded resources");
    Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
    while (src.find()) {
      assertTrue(src.group(1).startsWith("cid:"), "only inline images: " + src.group(1));
    }
    assertTrue(html.contains("role=\"presentation\""), "table layout");
    assertTrue(html.contains("style=\""), "inline styles");
    assertFalse(m.text().isBlank(), "a plain-text alternative");
    assertFalse(m.text().contains("<p"), "the text part is not HTML");
  }

  static void assertTicketParts(RenderedMail m) {
    assertEquals(3, m.parts().size(), "QR, PDF and .ics");
    RenderedMail.Part qr = part(m, "image/png");
    assertEquals("qr@samla", qr.contentId());
    assertTrue(m.html().contains("src=\"cid:qr@samla\""), "the QR is referenced inline");
    assertTrue(java.util.Arrays.equals(png, qr.data()));
    RenderedMail.Part pdf = part(m, "application/pdf");
    assertNull(pdf.contentId(), "the PDF is an attachment");
    assertTrue(java.util.Arrays.equals(PDF, pdf.data()));
    assertTrue(pdf.filename().endsWith(".pdf"));
    RenderedMail.Part ics = part(m, "text/calendar");
    assertNull(ics.contentId());
    assertTrue(ics.contentType().contains("method=PUBLISH"), ics.contentType());
    assertEquals(ICS, new String(ics.data(), StandardCharsets.UTF_8));
    assertTrue(ics.filename().endsWith(".ics"));
    assertTrue(m.html().contains(REFERENCE), "the reference under the QR");
    assertTrue(m.text().contains(REFERENCE));
  }

  static RenderedMail.Part part(RenderedMail m, String type) {
    return m.parts().stream().filter(p -> p.contentType().startsWith(type)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " part"));
  }

  // ------------------------------------------------------------------------------------------------
  // Tests
  // ------------------------------------------------------------------------------------------------

  @Test
  void confirmedIsASwedishTicketWithEverythingAboutTheEvent() {
    JsonObject p = person("<b>x</b>").put("companion", true).put("consent", true)
        .put("sessions", new JsonArray().add(event.getJsonArray("sessions").getJsonObject(0).getLong("id")))
        .put("needs", new JsonArray().add(new JsonObject().put("code", "teckensprakstolk"))
            .add(new JsonObject().put("code", "specialkost").put("detail", "Gluten & \"nötter\"")))
        .put("diet", new JsonArray().add("vegetarisk"));
    Reg reg = register(eventId, p);
    reissues.clear();
    RenderedMail m = rendered("confirmed", eventId, reg.id(), new JsonObject());

    assertEquals("Din biljett: " + title, m.subject());
    assertEquals(p.getString("email"), m.to());
    assertEquals(List.of(false), reissues, "the current ticket, not a new one");
    assertMailSafeHtml(m, "sv");
    assertTicketParts(m);
    // The QR image's text alternative says what it is, whose and what for.
    assertTrue(m.html().contains("alt=\"QR-kod för biljett " + REFERENCE + " till " + title + ". Visa den i entrén.\""), m.html());
    assertWorkingManageLink(m, reg.id());

    // What people typed is text, never markup.
    assertFalse(m.html().contains("<b>x</b>"));
    assertTrue(m.html().contains("&lt;b&gt;x&lt;/b&gt;"));
    assertTrue(m.html().contains("Gluten &amp; &quot;nötter&quot;"), "details escaped too");
    assertTrue(m.text().contains("<b>x</b>"), "the text part is plain text, not escaped");

    EventView view = EventView.of(await(new EventService(app.running.database().pool(), se.hok.samla.mail.Outbox.EVENT_MAILS).get(eventId)), Lang.SV,
        OffsetDateTime.now());
    for (String part : List.of(m.html(), m.text())) {
      assertTrue(part.contains(view.date()), "the date in Swedish: " + view.date());
      assertTrue(part.contains("09:00–16:00"), "Stockholm time");
      assertTrue(part.contains("Hallandsgården") && part.contains("Storgatan 1, Halmstad"), "the place");
      assertTrue(part.contains("Hörslinga: Ja") && part.contains("Entré utan trappsteg: Ja")
          && part.contains("Tillgänglig toalett: Nej") && part.contains("Ramp vid södra entrén"), "accessibility facts");
      assertTrue(part.contains("Teckenspråkstolk"), "needs by their Swedish label");
      assertTrue(part.contains("Specialkost/allergi"), "needs by their Swedish label");
      assertTrue(part.contains("Vegetarisk"), "diet");
      assertTrue(part.contains("Ja, med egen plats"), "companion");
      assertTrue(part.contains("10:00–11:00 Workshop A"), "the chosen session");
      assertTrue(part.contains("samla-arrangor@example.org"), "whom to ask");
    }
    assertTrue(m.text().contains("Gluten & \"nötter\""));
    assertTrue(m.html().contains("href=\"mailto:samla-arrangor@example.org\""));
  }

  @Test
  void aParticipantWhoChoseEnglishGetsEnglish() {
    Reg reg = register(eventId, person("Anna Andersson").put("language", "en").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "teckensprakstolk"))));
    RenderedMail m = rendered("confirmed", eventId, reg.id(), null);
    assertEquals("Your ticket: " + title, m.subject());
    assertMailSafeHtml(m, "en");
    assertTrue(m.html().contains("alt=\"QR code for ticket " + REFERENCE + " to " + title + ". Show it at the entrance.\""));
    assertTrue(m.html().contains("Sign-language interpreter"), "needs in English");
    assertTrue(m.text().contains("Sign-language interpreter"));
    assertTrue(m.text().contains("Hello Anna Andersson,"));
    assertTrue(m.text().contains("(Swedish time)"));
    assertFalse(m.text().contains("Teckenspråkstolk"));
    assertEquals("ticket.pdf", part(m, "application/pdf").filename());
    assertWorkingManageLink(m, reg.id());
  }

  @Test
  void waitingListPromotionAndCancellationFollowWhatHappenedSince() {
    JsonObject small = published(1, "samla-arrangor@example.org", new JsonArray().add(session("Pass X", 10, 1)));
    long id = small.getLong("id");
    long sessionId = small.getJsonArray("sessions").getJsonObject(0).getLong("id");
    String smallTitle = small.getString("title");
    Reg first = register(id, person("Första"));
    Reg second = register(id, person("Andra"));
    Reg third = register(id, person("Tredje"));
    assertEquals("waitlisted", third.body().getString("status"));

    RenderedMail waiting = rendered("waitlisted", id, third.id(), new JsonObject());
    assertEquals("Du står på väntelistan: " + smallTitle, waiting.subject());
    assertTrue(waiting.html().contains("Du har plats 2 på väntelistan."), "the position");
    assertTrue(waiting.text().contains("Du har plats 2 på väntelistan."));
    assertTrue(waiting.parts().isEmpty(), "no ticket while waiting");
    assertFalse(waiting.html().contains("cid:"));
    assertMailSafeHtml(waiting, "sv");
    assertWorkingManageLink(waiting, third.id());

    // The first cancels: the second moves up.
    HttpResponse<Buffer> cancel = await(app.client.delete("/api/v1/registrations/" + first.token()).send());
    assertEquals(200, cancel.statusCode(), cancel.bodyAsString());

    assertTrue(render("waitlisted", id, second.id(), new JsonObject()).isEmpty(), "promoted meanwhile: no waiting-list mail");
    assertTrue(render("confirmed", id, first.id(), new JsonObject()).isEmpty(), "cancelled meanwhile: no ticket");
    assertTrue(rendered("waitlisted", id, third.id(), new JsonObject()).text().contains("Du har plats 1 på väntelistan."),
        "the position as it is now");

    reissues.clear();
    RenderedMail promoted = rendered("promoted", id, second.id(),
        new JsonObject().put("droppedSessions", new JsonArray().add(sessionId)));
    assertEquals("Du har fått en plats: " + smallTitle, promoted.subject());
    assertEquals(List.of(false), reissues);
    assertTicketParts(promoted);
    assertMailSafeHtml(promoted, "sv");
    assertWorkingManageLink(promoted, second.id());
    assertTrue(promoted.html().contains("Pass som var fulla") && promoted.html().contains("10:00–11:00 Pass X"),
        "sessions to choose again");
    assertTrue(promoted.text().contains("10:00–11:00 Pass X"));

    RenderedMail cancelled = rendered("cancelled", id, first.id(), new JsonObject());
    assertEquals("Din anmälan är avbokad: " + smallTitle, cancelled.subject());
    assertTrue(cancelled.parts().isEmpty(), "no ticket for a cancelled registration");
    assertTrue(cancelled.text().contains("Avbokad"));
    assertMailSafeHtml(cancelled, "sv");
    assertWorkingManageLink(cancelled, first.id());
    assertTrue(render("cancelled", id, second.id(), new JsonObject()).isEmpty(), "not cancelled: nothing to say");
  }

  @Test
  void aChangeReissuesTheTicket() {
    Reg reg = register(eventId, person("Bertil"));
    HttpResponse<Buffer> patch = await(app.client.patch("/api/v1/registrations/" + reg.token())
        .sendJsonObject(new JsonObject().put("diet", new JsonArray().add("vegansk"))));
    assertEquals(200, patch.statusCode(), patch.bodyAsString());
    reissues.clear();
    RenderedMail m = rendered("changed", eventId, reg.id(), new JsonObject());
    assertEquals("Din anmälan är ändrad: " + title, m.subject());
    assertEquals(List.of(true), reissues, "a change means a new ticket");
    assertTicketParts(m);
    assertTrue(m.text().contains("Vegansk"), "the current data");
    assertMailSafeHtml(m, "sv");
    assertWorkingManageLink(m, reg.id());
  }

  @Test
  void aSecondSignUpGetsTheManageLink() {
    Reg reg = register(eventId, person("Cecilia"));
    RenderedMail m = rendered("manage_link", eventId, reg.id(), new JsonObject());
    assertEquals("Din länk till anmälan: " + title, m.subject());
    assertEquals(reg.body().getString("id"), reg.id().toString());
    assertTrue(m.text().contains("en gång till"), m.text());
    assertTrue(m.parts().isEmpty());
    assertMailSafeHtml(m, "sv");
    assertWorkingManageLink(m, reg.id());
    assertTrue(m.text().contains("ersätter länkar i tidigare meddelanden"), m.text());
  }

  @Test
  void aLinkAskedForAgainReplacesTheLinksSentBeforeTheRequestAndNoOthers() {
    Reg reg = register(eventId, person("Linnea"));
    String before = reg.token();
    // When the link was asked for, by the database's clock (as the outbox row records it).
    String requested = (String) Db.column(app.databaseUrl, "select to_json(clock_timestamp()) #>> '{}'").get(0);
    // An e-mail rendered after the request was made (a reminder, say) keeps its link.
    String after = manageToken(rendered("reminder", eventId, reg.id(), new JsonObject()));
    String resent = manageToken(rendered("manage_link", eventId, reg.id(), new JsonObject().put("requestedAt", requested)));

    assertEquals(404, await(app.client.get("/api/v1/registrations/" + before).send()).statusCode(), "sent before the request");
    assertEquals(200, await(app.client.get("/api/v1/registrations/" + after).send()).statusCode(), "sent after it");
    assertEquals(200, await(app.client.get("/api/v1/registrations/" + resent).send()).statusCode(), "the one asked for");
    // Every other e-mail adds a link and replaces none.
    String changed = manageToken(rendered("changed", eventId, reg.id(), new JsonObject()));
    for (String token : List.of(after, resent, changed)) {
      assertEquals(200, await(app.client.get("/api/v1/registrations/" + token).send()).statusCode());
    }
  }

  static String manageToken(RenderedMail m) {
    Matcher link = MANAGE.matcher(m.html());
    assertTrue(link.find(), "a manage link");
    return link.group(1);
  }

  @Test
  void nothingIsSentToAnErasedRegistration() {
    Reg reg = register(eventId, person("David"));
    assertEquals(204, await(app.client.delete("/api/v1/registrations/" + reg.token() + "?erase=true").send()).statusCode());
    for (String kind : List.of("confirmed", "changed", "cancelled", "manage_link", "organiser_alert")) {
      assertTrue(render(kind, eventId, reg.id(), new JsonObject()).isEmpty(), kind);
    }
    assertTrue(render("confirmed", eventId, UUID.randomUUID(), new JsonObject()).isEmpty(), "a registration that is gone");
  }

  @Test
  void organiserAlertGoesToTheOrganiserWithBookByDates() {
    Reg reg = register(eventId, person("Erik Hemlig").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "teckensprakstolk"))
            .add(new JsonObject().put("code", "lattlast").put("detail", "Storstil"))
            .add(new JsonObject().put("code", "horslinga"))));
    RenderedMail m = rendered("organiser_alert", eventId, reg.id(),
        new JsonObject().put("needs", new JsonArray().add("teckensprakstolk").add("lattlast")));
    assertEquals("samla-arrangor@example.org", m.to());
    assertEquals("Behov att boka: " + title, m.subject());
    assertMailSafeHtml(m, "sv");
    assertTrue(m.parts().isEmpty());
    String interpreter = START.toLocalDate().minusDays(28).toString();
    String easyRead = START.toLocalDate().minusDays(14).toString();
    for (String part : List.of(m.html(), m.text())) {
      assertTrue(part.contains("Teckenspråkstolk") && part.contains(interpreter), "book-by " + interpreter + ": " + part);
      assertTrue(part.contains("Material i lättläst") && part.contains(easyRead), "book-by " + easyRead);
      assertTrue(part.contains(DateTimeFormatter.ofPattern("d MMMM yyyy", Lang.SV.locale())
          .format(START.toLocalDate().minusDays(28))), "the date in words");
      assertFalse(part.contains("Hörslinga/teleslinga"), "only the needs with a lead time");
      assertFalse(part.contains("Erik Hemlig"), "no names in e-mail");
      assertFalse(part.contains("Storstil"), "no details in e-mail");
      assertTrue(part.contains("/arrangor/evenemang/" + eventId + "/anmalningar"), "where to read more");
    }
    assertTrue(m.text().indexOf("Teckenspråkstolk") < m.text().indexOf("Material i lättläst"), "earliest deadline first");

    // Without an organiser e-mail there is nobody to tell.
    long noOrganiser = published(10, null, new JsonArray()).getLong("id");
    Reg other = register(noOrganiser, person("Fia").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "teckensprakstolk"))));
    assertTrue(render("organiser_alert", noOrganiser, other.id(),
        new JsonObject().put("needs", new JsonArray().add("teckensprakstolk"))).isEmpty());
  }

  @Test
  void aNeedRemovedMeanwhileIsNotAlerted() {
    Reg reg = register(eventId, person("Hanna").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "skrivtolk"))));
    HttpResponse<Buffer> patch = await(app.client.patch("/api/v1/registrations/" + reg.token())
        .sendJsonObject(new JsonObject().put("needs", new JsonArray())));
    assertEquals(200, patch.statusCode(), patch.bodyAsString());
    assertTrue(render("organiser_alert", eventId, reg.id(), new JsonObject().put("needs", new JsonArray().add("skrivtolk")))
        .isEmpty());
  }

  @Test
  void aCancelledEventIsAnnouncedAndItsTicketsAreNot() {
    long id = published(10, "samla-arrangor@example.org", new JsonArray()).getLong("id");
    Reg reg = register(id, person("Ingrid").put("language", "en"));
    HttpResponse<Buffer> cancel = await(app.client.post("/api/v1/events/" + id + "/cancel")
        .putHeader("Authorization", "Bearer " + organiser).send());
    assertEquals(200, cancel.statusCode(), cancel.bodyAsString());
    assertTrue(render("confirmed", id, reg.id(), new JsonObject()).isEmpty(), "no ticket for a cancelled event");
    RenderedMail m = rendered("event_cancelled", id, reg.id(), new JsonObject());
    assertTrue(m.subject().startsWith("Cancelled: "), m.subject());
    assertTrue(m.parts().isEmpty());
    assertMailSafeHtml(m, "en");
    assertWorkingManageLink(m, reg.id());
  }

  @Test
  void theReminderCarriesTheTicketAgain() {
    Reg reg = register(eventId, person("Johan"));
    reissues.clear();
    RenderedMail m = rendered("reminder", eventId, reg.id(), new JsonObject());
    assertEquals("Påminnelse: " + title, m.subject());
    assertEquals(List.of(false), reissues);
    assertTicketParts(m);
    assertMailSafeHtml(m, "sv");
    assertWorkingManageLink(m, reg.id());
    assertEquals(200, await(app.client.delete("/api/v1/registrations/" + reg.token()).send()).statusCode());
    assertTrue(render("reminder", eventId, reg.id(), new JsonObject()).isEmpty(), "no reminder once cancelled");
  }

  @Test
  void anUnknownKindIsAnError() {
    Reg reg = register(eventId, person("Gustav"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> render("no_such_kind", eventId, reg.id(), new JsonObject()));
    assertNotNull(e.getCause());
  }
}
