package se.hok.samla.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * Online meetings done right: the meeting link reaches only people with a seat (their mail, their manage page), never
 * the public page, its JSON-LD, the public API or the calendar feed; an online-only meeting's mail has no QR, no PDF and
 * nothing about an entrance, but the link and a calendar file, while a hybrid one has both; attendance is ticked on a
 * list or matched from the meeting tool's participant list, and counts in the follow-up.
 */
@WithSamla
class OnlineMeetingTest {
  private static final String LINK = "https://meet.example.org/hok-hemlig-4711";
  static TestApp app;
  static StaffAccount organiser;
  static StaffAccount doorStaff;

  @BeforeAll
  static void start() {
    organiser = StaffAccount.create(app, "organiser");
    doorStaff = StaffAccount.create(app, "checkin");
  }

  static long online(int capacity) {
    return PublishedEvent.by(app, organiser.token()).title("Digitalt dialogmöte").kind("dialogmote").capacity(capacity)
        .with("onlineUrl", LINK).publishId();
  }

  @Test
  void theLinkIsNeverPublicButReachesThoseWithASeatWithoutAnyTicket() throws Exception {
    long eventId = online(1);
    for (String path : List.of("/evenemang/" + eventId, "/evenemang/" + eventId + "/kalender.ics", "/events.ics",
        "/api/v1/events/" + eventId, "/api/v1/events", "/", "/evenemang/" + eventId + "/anmalan")) {
      HttpResponse<Buffer> r = await(app.client.get(path).send());
      assertEquals(200, r.statusCode(), path);
      assertFalse(r.bodyAsString().contains("hok-hemlig-4711"), path + " shows the meeting link");
    }
    String page = await(app.client.get("/evenemang/" + eventId).send()).bodyAsString();
    assertTrue(page.contains("\"VirtualLocation\"") && page.contains("OnlineEventAttendanceMode"), "JSON-LD still says online");
    assertTrue(await(app.client.get("/api/v1/events/" + eventId).send()).bodyAsJsonObject().getBoolean("online"));

    SignUps.Participant seated = SignUps.participant(app, eventId, new JsonObject().put("name", "Vera Vik")
        .put("email", "vera@example.org"));
    MimeMessage mail = Mails.to(app, "vera@example.org").get(0);
    assertTrue(Mails.find(mail, "image/png").isEmpty(), "no QR");
    assertTrue(Mails.find(mail, "application/pdf").isEmpty(), "no PDF ticket");
    assertTrue(Mails.find(mail, "text/calendar").isPresent(), "a calendar file");
    String text = Mails.text(mail, "text/plain");
    String html = Mails.text(mail, "text/html");
    assertTrue(text.contains(LINK) && html.contains(LINK), "the link");
    for (String door : List.of("entré", "QR-kod", "biljett", "Biljett")) {
      assertFalse(text.contains(door), "nothing about a door: " + door + "\n" + text);
    }
    assertTrue(new String(Mails.bytes(mail, "text/calendar"), StandardCharsets.UTF_8).contains("hok-hemlig-4711"),
        "the calendar entry has the link");
    String manage = await(app.client.get("/anmalan/" + seated.token()).send()).bodyAsString();
    assertTrue(manage.contains("href=\"" + LINK + "\""), "the manage page gives the link");
    assertFalse(manage.contains("biljett.png"), "no ticket to show at a door");
    assertEquals(409, await(app.client.get("/anmalan/" + seated.token() + "/biljett.pdf").send()).statusCode());
    assertEquals(200, await(app.client.get("/anmalan/" + seated.token() + "/kalender.ics").send()).statusCode());

    SignUps.Participant waiting = SignUps.participant(app, eventId, new JsonObject().put("name", "Wilma Wik")
        .put("email", "wilma@example.org"));
    assertEquals("waitlisted", waiting.status());
    assertFalse(Mails.text(Mails.to(app, "wilma@example.org").get(0), "text/plain").contains("hok-hemlig-4711"),
        "the waiting list gets the link with a seat");
    assertFalse(await(app.client.get("/anmalan/" + waiting.token()).send()).bodyAsString().contains("hok-hemlig-4711"));
  }

  @Test
  void aNewMeetingLinkIsToldToThoseWithASeatWithTheLinkAndACalendarFile() {
    long eventId = online(1);
    SignUps.participant(app, eventId, new JsonObject().put("name", "Åsa Ö").put("email", "asa.o@example.org"));
    SignUps.participant(app, eventId, new JsonObject().put("name", "Bertil B").put("email", "bertil.b@example.org"));
    JsonObject e = await(app.client.get("/api/v1/events/" + eventId).send()).bodyAsJsonObject();
    String newLink = "https://meet.example.org/nytt-rum-0815";
    HttpResponse<Buffer> changed = await(app.client.put("/api/v1/events/" + eventId)
        .putHeader("Authorization", "Bearer " + organiser.token()).sendJsonObject(new JsonObject()
            .put("title", e.getString("title")).put("kind", e.getString("kind")).put("startsAt", e.getString("startsAt"))
            .put("endsAt", e.getString("endsAt")).put("capacity", 1).put("onlineUrl", newLink)));
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    assertEquals(newLink, changed.bodyAsJsonObject().getString("onlineUrl"), "the organisers see their own link");
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'event_changed' and event_id = "
        + eventId), "only the one with a seat: the waiting list has no link to change");
    Db.exec(app.databaseUrl, "update outbox set available_at = now() where kind = 'event_changed' and event_id = " + eventId);
    SignUps.sendMail(app);
    MimeMessage notice = Mails.awaitOne(app, m -> Mails.recipient(m).contains("asa.o@example.org")
        && subject(m).startsWith("Ändrat:"), "the notice");
    String text = Mails.text(notice, "text/plain");
    assertTrue(text.contains("Länken till mötet är ny") && text.contains(newLink), text);
    assertFalse(text.contains("hok-hemlig-4711"), "not the old one");
    assertTrue(Mails.find(notice, "text/calendar").isPresent() && Mails.find(notice, "application/pdf").isEmpty());
  }

  static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aHybridMeetingsMailHasTheTicketAndTheLink() {
    long eventId = PublishedEvent.by(app, organiser.token()).title("Hybridkonferens").atVenue().with("onlineUrl", LINK)
        .publishId();
    SignUps.participant(app, eventId, new JsonObject().put("name", "Yngve Yxa").put("email", "yngve@example.org"));
    MimeMessage mail = Mails.to(app, "yngve@example.org").get(0);
    assertTrue(Mails.find(mail, "image/png").isPresent() && Mails.find(mail, "application/pdf").isPresent());
    assertTrue(Mails.text(mail, "text/plain").contains(LINK));
    assertTrue(Mails.text(mail, "text/plain").contains("entrén"));
  }

  @Test
  void tickedAndMatchedOnlineAttendanceCountsInTheTurnout() {
    long eventId = online(10);
    app.assign(eventId, doorStaff.token(), "door");
    SignUps.Participant a = SignUps.participant(app, eventId, new JsonObject().put("name", "Åke Åkesson")
        .put("email", "ake@example.org"));
    SignUps.participant(app, eventId, new JsonObject().put("name", "Bea Bäck").put("email", "bea@example.org"));
    SignUps.participant(app, eventId, new JsonObject().put("name", "Cleo Cox").put("email", "cleo@example.org"));
    JsonObject before = turnout(eventId);
    assertFalse(before.getBoolean("attendanceRecorded"), "nobody ticked yet: unknown");

    // The door staff tick Åke.
    PageSession door = doorStaff.session();
    String list = "/arrangor/evenemang/" + eventId + "/narvaro";
    String html = door.get(list).bodyAsString();
    assertTrue(html.contains("Åke Åkesson") && html.contains("Bea Bäck"), html);
    assertFalse(html.contains("ake@example.org"), "names, not addresses");
    assertFalse(html.contains("name=\"list\""), "matching addresses is for the organisers");
    MultiMap ticked = MultiMap.caseInsensitiveMultiMap();
    for (String id : Db.column(app.databaseUrl, "select id::text from registration where event_id = " + eventId).stream()
        .map(String::valueOf).toList()) {
      ticked.add("shown", id);
    }
    ticked.add("present", a.id().toString());
    HttpResponse<Buffer> saved = door.post(list, list, ticked);
    assertEquals(302, saved.statusCode());
    assertTrue(door.get(saved.getHeader("Location")).bodyAsString().contains("Sparat. 1 ny närvarande"));
    JsonObject afterTick = turnout(eventId);
    assertTrue(afterTick.getBoolean("attendanceRecorded"));
    assertEquals(1, afterTick.getInteger("attended"));
    assertEquals(List.of("online"), Db.column(app.databaseUrl, "select method from checkin where event_id = " + eventId));
    assertTrue((Long) Db.column(app.databaseUrl, "select count(*) from audit_log where action = 'online_attendance' and event_id = "
        + eventId).get(0) >= 1, "reading the list is logged");

    // The door staff may not match a file of addresses.
    assertEquals(403, upload(door, eventId, "x@example.org".getBytes(StandardCharsets.UTF_8)).statusCode());

    // The organiser reads the meeting tool's list: Teams writes UTF-16 with a byte order mark, tab-separated.
    String teams = "Fullständigt namn\tAnvändaråtgärd\tTidsstämpel\tE-post\r\n"
        + "Bea Bäck\tAnslöt\t2027-03-12 09:58:01\tBEA@example.org\r\n"
        + "Åke Åkesson\tAnslöt\t2027-03-12 10:01:11\take@example.org\r\n"
        + "Gäst Gästsson\tAnslöt\t2027-03-12 10:02:00\tgast@annan.example\r\n";
    byte[] bom = {(byte) 0xFF, (byte) 0xFE};
    byte[] body = teams.getBytes(StandardCharsets.UTF_16LE);
    byte[] file = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, file, 0, 2);
    System.arraycopy(body, 0, file, 2, body.length);
    HttpResponse<Buffer> matched = upload(organiser.session(), eventId, file);
    assertEquals(200, matched.statusCode(), matched.bodyAsString());
    String result = matched.bodyAsString();
    assertTrue(result.contains("1 ny närvarande, 1 var redan med"), result);
    assertTrue(result.contains("gast@annan.example"), "the address that matched nobody, from the organiser's own file");
    JsonObject afterFile = turnout(eventId);
    assertEquals(2, afterFile.getInteger("attended"));
    assertEquals(1, afterFile.getInteger("noShows"), "Cleo did not come");

    HttpResponse<Buffer> nothing = upload(organiser.session(), eventId, "inga adresser här".getBytes(StandardCharsets.UTF_8));
    assertEquals(422, nothing.statusCode());
    assertTrue(nothing.bodyAsString().contains("Filen innehöll inga e-postadresser."));
  }

  static JsonObject turnout(long eventId) {
    HttpResponse<Buffer> r = await(app.client.get("/api/v1/events/" + eventId + "/turnout")
        .putHeader("Authorization", "Bearer " + organiser.token()).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static HttpResponse<Buffer> upload(PageSession session, long eventId, byte[] file) {
    String page = "/arrangor/evenemang/" + eventId + "/narvaro";
    String csrf = PageSession.csrf(session.get(page).bodyAsString());
    return await(session.client.post(page + "/lista").sendMultipartForm(MultipartForm.create()
        .attribute("X-XSRF-TOKEN", csrf).binaryFileUpload("list", "deltagare.csv", Buffer.buffer(file), "text/csv")));
  }
}
