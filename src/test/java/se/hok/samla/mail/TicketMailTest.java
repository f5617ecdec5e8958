package se.hok.samla.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.DoorVerdict;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.tickets.TicketService;

/** The whole way: sign up → outbox → worker → real SMTP → a ticket whose QR verifies for that registration. */
@WithSamla
class TicketMailTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
  }

  /** A published event at a venue, with this many seats. */
  static long event(int capacity) {
    OffsetDateTime start = OffsetDateTime.now().plusDays(30).withHour(9).withMinute(0);
    long venue = await(app.client.post("/api/v1/venues").putHeader("Authorization", "Bearer " + organiser)
        .sendJsonObject(new JsonObject().put("name", "Kulturhuset").put("address", "Storgatan 1, Varberg")
            .put("accessibility", new JsonObject().put("hearingLoop", true)))).bodyAsJsonObject().getLong("id");
    return PublishedEvent.by(app, organiser).with("title", "Samverkanskonferens 2027").kind("samverkanskonferens")
        .startsAt(start).endsAt(start.plusHours(7)).capacity(capacity).with("venueId", venue).with("onlineUrl", null)
        .with("registrationOpensAt", null).publishId();
  }

  static List<MimeMessage> mailTo(String address, int atLeast) {
    return Mails.await(app, address, atLeast);
  }

  static List<Part> leaves(Part p) {
    return Mails.leaves(p);
  }

  static Optional<Part> find(List<Part> parts, String mime) {
    return Mails.find(parts, mime);
  }

  @Test
  void theTicketArrivesAndItsQrVerifiesForThatRegistration() throws Exception {
    long eventId = event(5);
    SignUps.Participant asa = SignUps.participant(app, eventId,
        new JsonObject().put("name", "Åsa Öberg-Nguyễn").put("email", "asa@example.org"));
    assertEquals("confirmed", asa.status());
    MimeMessage mail = mailTo("asa@example.org", 1).get(0);
    assertTrue(mail.getSubject().contains("Samverkanskonferens 2027"), mail.getSubject());
    assertTrue(mail.getMessageID().matches("<outbox-\\d+@localhost>"), mail.getMessageID());
    List<Part> parts = leaves(mail);

    Part qr = find(parts, "image/png").orElseThrow();
    String contentId = ((jakarta.mail.internet.MimeBodyPart) qr).getContentID();
    assertNotNull(contentId, "inline, with a Content-ID");
    String html = (String) find(parts, "text/html").orElseThrow().getContent();
    assertTrue(html.contains("cid:" + contentId.replaceAll("[<>]", "")), "the HTML shows the inline QR");
    assertFalse(html.matches("(?s).*<img[^>]+src=\"https?:.*"), "no external images");
    String text = (String) find(parts, "text/plain").orElseThrow().getContent();
    assertTrue(text.contains("/anmalan/"), "the plain text has the manage link");

    var image = ImageIO.read(qr.getInputStream());
    String code = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
        .getText();
    assertTrue(code.matches("[A-Z2-7]+"), code);
    // A check-in device with only the public key verifies the code offline.
    assertEquals(401, await(app.client.get("/api/v1/events/" + eventId + "/ticket-key").send()).statusCode());
    assertEquals(403, await(app.client.get("/api/v1/events/" + eventId + "/ticket-key")
        .putHeader("Authorization", "Bearer " + app.tokenFor("viewer")).send()).statusCode());
    String door = app.tokenFor("checkin");
    app.assign(eventId, door, "door");
    JsonObject key = await(app.client.get("/api/v1/events/" + eventId + "/ticket-key")
        .putHeader("Authorization", "Bearer " + door).send()).bodyAsJsonObject();
    java.security.PublicKey publicKey = java.security.KeyFactory.getInstance("Ed25519").generatePublic(
        new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(key.getString("publicKey"))));
    assertTrue(se.hok.samla.tickets.TicketCode.verify(code, publicKey), "verifies with the published key");
    char[] altered = code.toCharArray();
    altered[10] = altered[10] == 'A' ? 'B' : 'A';
    assertFalse(se.hok.samla.tickets.TicketCode.verify(new String(altered), publicKey), "an altered code does not");

    assertEquals(DoorVerdict.Verdict.VALID, DoorVerdict.of(app, code));
    assertEquals(List.of(asa.id()), Db.column(app.databaseUrl, "select registration_id from ticket where code = '" + code + "'"),
        "the code belongs to this registration");
    assertEquals(eventId, se.hok.samla.tickets.TicketCode.decode(code).orElseThrow().eventId());

    Part ics = find(parts, "text/calendar").orElseThrow();
    Calendar calendar = new CalendarBuilder().build(new StringReader(new String(ics.getInputStream().readAllBytes(), "UTF-8")));
    VEvent vevent = calendar.<VEvent>getComponents("VEVENT").get(0);
    assertTrue(vevent.getUid().orElseThrow().getValue().contains(asa.id().toString()), "stable UID per registration");
    assertTrue(vevent.toString().contains("DTSTART;TZID=Europe/Stockholm"), vevent.toString());

    Part pdf = find(parts, "application/pdf").orElseThrow();
    try (PDDocument doc = Loader.loadPDF(pdf.getInputStream().readAllBytes())) {
      String pdfText = new PDFTextStripper().getText(doc);
      assertTrue(pdfText.contains("Samverkanskonferens 2027"));
      assertTrue(pdfText.contains("HÖK-"), "the reference for the door");
      var printed = new org.apache.pdfbox.rendering.PDFRenderer(doc).renderImageWithDPI(0, 150,
          org.apache.pdfbox.rendering.ImageType.GRAY);
      assertEquals(code, new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
          new BufferedImageLuminanceSource(printed))), java.util.Map.of(com.google.zxing.DecodeHintType.TRY_HARDER, true))
          .getText(), "the PDF's QR, as printed (the whole page), is the same ticket code");
    }
  }

  @Test
  void theWaitingListGetsMailButNoTicket() throws Exception {
    long eventId = event(1);
    await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .sendJsonObject(new JsonObject().put("name", "Först").put("email", "forst@example.org")));
    SignUps.Participant waiting = SignUps.participant(app, eventId,
        new JsonObject().put("name", "Väntar Vänligt").put("email", "vantar@example.org"));
    assertEquals("waitlisted", waiting.status());
    MimeMessage waitMail = mailTo("vantar@example.org", 1).get(0);
    assertTrue(find(leaves(waitMail), "application/pdf").isEmpty(), "no ticket while waiting");
  }
}
