package se.hok.samla.events;

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
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
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
 * When a published event changes, the people registered hear of it: one "Ändrat" e-mail each however many edits the
 * organiser makes within the few minutes a notice waits, saying what changed (was, is now), with the organiser's note,
 * the ticket and a calendar file that updates the entry they already have (same UID, higher SEQUENCE). Calling an event
 * off asks for a reason and a new date, which the e-mail carries. Real SMTP, real PostgreSQL.
 */
@WithSamla
class ChangeNoticesTest {
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static TestApp app;
  static StaffAccount organiser;

  @BeforeAll
  static void start() {
    organiser = StaffAccount.create(app, "organiser");
  }

  static OffsetDateTime nineOClock() {
    return OffsetDateTime.now(STOCKHOLM).plusDays(20).truncatedTo(ChronoUnit.DAYS).withHour(9);
  }

  static long venue(String name, String address) {
    HttpResponse<Buffer> r = await(app.client.post("/api/v1/venues").putHeader("Authorization", "Bearer " + organiser.token())
        .sendJsonObject(new JsonObject().put("name", name).put("address", address)));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  static JsonObject event(long id) {
    return await(app.client.get("/api/v1/events/" + id).send()).bodyAsJsonObject();
  }

  /** The event as the organiser last saved it, as a PUT body (sessions keep their ids). */
  static JsonObject asInput(JsonObject e, long venueId) {
    JsonArray sessions = new JsonArray();
    for (Object o : e.getJsonArray("sessions")) {
      JsonObject s = (JsonObject) o;
      sessions.add(new JsonObject().put("id", s.getLong("id")).put("title", s.getString("title"))
          .put("startsAt", s.getString("startsAt")).put("endsAt", s.getString("endsAt")).put("capacity", s.getInteger("capacity"))
          .put("room", s.getString("room")));
    }
    return new JsonObject().put("title", e.getString("title")).put("kind", e.getString("kind"))
        .put("startsAt", e.getString("startsAt")).put("endsAt", e.getString("endsAt")).put("venueId", venueId)
        .put("capacity", e.getInteger("capacity")).put("sessions", sessions);
  }

  static HttpResponse<Buffer> put(long id, JsonObject body) {
    return await(app.client.put("/api/v1/events/" + id).putHeader("Authorization", "Bearer " + organiser.token())
        .sendJsonObject(body));
  }

  static long pendingNotices(long eventId) {
    return (Long) Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'event_changed' and event_id = "
        + eventId + " and sent_at is null and failed_at is null").get(0);
  }

  /** The few minutes a notice waits have passed (the database's clock is not the test's to move). */
  static void noticesDue(long eventId) {
    Db.exec(app.databaseUrl, "update outbox set available_at = now() where kind = 'event_changed' and event_id = " + eventId);
  }

  static List<MimeMessage> changed(String email) {
    return Mails.to(app, email).stream().filter(m -> subject(m).startsWith("Ändrat:") || subject(m).startsWith("Changed:"))
        .toList();
  }

  static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  static VEvent main(Calendar c) {
    return c.<VEvent>getComponents("VEVENT").stream()
        .filter(v -> !v.getUid().orElseThrow().getValue().contains("-session-")).findFirst().orElseThrow();
  }

  static Calendar ics(MimeMessage m) throws Exception {
    return new CalendarBuilder().build(new StringReader(new String(Mails.bytes(m, "text/calendar"), "UTF-8")));
  }

  @Test
  void aBurstOfEditsSendsEachPersonOneNoticeWithWhatChangedAndACalendarFileThatUpdatesTheEntry() throws Exception {
    OffsetDateTime start = nineOClock();
    long varberg = venue("Kulturhuset Varberg", "Kulturgatan 1, Varberg");
    long falkenberg = venue("Folkets hus Falkenberg", "Storgatan 2, Falkenberg");
    long eventId = PublishedEvent.by(app, organiser.token()).title("Samverkanskonferens").kind("samverkanskonferens")
        .startsAt(start).endsAt(start.plusHours(7)).capacity(2).with("venueId", varberg).with("onlineUrl", null).publishId();
    String[] confirmed = {"anna.andersson@example.org", "bo.berg@example.org"};
    for (String email : confirmed) {
      assertEquals("confirmed", SignUps.participant(app, eventId, new JsonObject().put("name", email).put("email", email)).status());
    }
    String waiting = "cilla.carlsson@example.org";
    assertEquals("waitlisted", SignUps.participant(app, eventId, new JsonObject().put("name", "Cilla").put("email", waiting))
        .status());
    MimeMessage ticket = Mails.to(app, confirmed[0]).get(0);
    VEvent first = main(ics(ticket));
    int firstSequence = Integer.parseInt(first.<Property>getProperty("SEQUENCE").orElseThrow().getValue());

    // 09:00 → 10:00, then the venue, within the few minutes a notice waits: one notice each, both changes in it.
    JsonObject input = asInput(event(eventId), varberg);
    HttpResponse<Buffer> moved = put(eventId, input.copy().put("startsAt", start.plusHours(1).toString())
        .put("changeNote", "Lokalen i Varberg är dubbelbokad."));
    assertEquals(200, moved.statusCode(), moved.bodyAsString());
    assertEquals(3, pendingNotices(eventId), "a notice each for the two confirmed and the one waiting");
    assertEquals(200, put(eventId, input.copy().put("startsAt", start.plusHours(1).toString()).put("venueId", falkenberg))
        .statusCode());
    assertEquals(3, pendingNotices(eventId), "the second edit joins the notices that wait: still one each");
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'event_changed' and event_id = "
        + eventId + " and available_at <= now()"), "nothing goes out while more edits may come");
    SignUps.sendMail(app);
    assertTrue(changed(confirmed[0]).isEmpty(), "not yet");

    noticesDue(eventId);
    SignUps.sendMail(app);
    for (String email : List.of(confirmed[0], confirmed[1], waiting)) {
      Mails.await(app, email, 2);
      List<MimeMessage> notices = changed(email);
      assertEquals(1, notices.size(), "exactly one notice to " + email);
      String text = Mails.text(notices.get(0), "text/plain");
      assertTrue(text.contains("10:00–16:00") && text.contains("förut") && text.contains("09:00–16:00"), text);
      assertTrue(text.contains("Folkets hus Falkenberg") && text.contains("Kulturhuset Varberg"), text);
      assertTrue(text.contains("Lokalen i Varberg är dubbelbokad."), "the organiser's note: " + text);
      assertTrue(SignUps.link(notices.get(0)).isPresent(), "with the person's manage link");
    }
    MimeMessage notice = changed(confirmed[0]).get(0);
    assertTrue(Mails.find(notice, "image/png").isPresent() && Mails.find(notice, "application/pdf").isPresent(),
        "the ticket, with the new time and place");
    VEvent updated = main(ics(notice));
    assertEquals(first.getUid().orElseThrow().getValue(), updated.getUid().orElseThrow().getValue(), "the same entry");
    assertTrue(Integer.parseInt(updated.<Property>getProperty("SEQUENCE").orElseThrow().getValue()) > firstSequence, "a higher SEQUENCE");
    assertEquals(start.plusHours(1).toInstant(), ZonedDateTime.from(updated.getDateTimeStart().getDate()).toInstant());
    assertTrue(updated.<Property>getProperty("LOCATION").orElseThrow().getValue().contains("Folkets hus Falkenberg"));
    MimeMessage toWaiting = changed(waiting).get(0);
    assertTrue(Mails.find(toWaiting, "application/pdf").isEmpty() && Mails.find(toWaiting, "text/calendar").isEmpty(),
        "the waiting list has no ticket and no calendar entry to update");

    SignUps.sendMail(app);
    assertEquals(1, changed(confirmed[1]).size(), "and never a second one");
    assertEquals(0, pendingNotices(eventId));
  }

  @Test
  void aChangeUndoneBeforeTheNoticeGoesSendsNothingAndOtherEditsNeverTellAnyone() {
    OffsetDateTime start = nineOClock().plusDays(1);
    long eventId = PublishedEvent.by(app, organiser.token()).title("Dialogmöte").startsAt(start).atVenue().publishId();
    String email = "dora.dahl@example.org";
    SignUps.participant(app, eventId, new JsonObject().put("name", "Dora Dahl").put("email", email));
    JsonObject e = event(eventId);
    long venueId = e.getLong("venueId");
    JsonObject input = asInput(e, venueId).put("onlineUrl", "https://example.org/workshop");
    assertEquals(200, put(eventId, input.copy().put("description", "Ny beskrivning").put("capacity", 80)).statusCode());
    assertEquals(0, pendingNotices(eventId), "a description or the seats are nobody's news");
    assertEquals(200, put(eventId, input.copy().put("startsAt", start.plusMinutes(30).toString())).statusCode());
    assertEquals(1, pendingNotices(eventId));
    assertEquals(200, put(eventId, input).statusCode());
    noticesDue(eventId);
    SignUps.sendMail(app);
    assertEquals(List.of("skipped"), Db.column(app.databaseUrl, "select outcome from outbox where kind = 'event_changed' and event_id = "
        + eventId), "back where it was: nothing to tell");
    assertTrue(changed(email).isEmpty());
  }

  @Test
  void anEditWhileANoticeIsBeingSentGetsANoticeOfItsOwnInsteadOfChangingTheOneOnItsWay() {
    OffsetDateTime start = nineOClock().plusDays(4);
    long eventId = PublishedEvent.by(app, organiser.token()).title("Remissmöte").startsAt(start).atVenue().publishId();
    SignUps.participant(app, eventId, new JsonObject().put("name", "Nils Nyström").put("email", "nils@example.org"));
    JsonObject e = event(eventId);
    JsonObject input = asInput(e, e.getLong("venueId")).put("onlineUrl", "https://example.org/workshop");
    assertEquals(200, put(eventId, input.copy().put("startsAt", start.plusHours(1).toString())).statusCode());
    // A worker (in this instance or another) has leased the notice and is sending it right now.
    Db.exec(app.databaseUrl, "update outbox set leased_until = now() + interval '30 seconds', "
        + "available_at = now() + interval '30 seconds' where kind = 'event_changed' and event_id = " + eventId);
    assertEquals(200, put(eventId, input.copy().put("startsAt", start.plusHours(1).toString())
        .put("venueId", venue("Tjärnhov", "Stationsgatan 1, Halmstad"))).statusCode());
    assertEquals(List.of("time", "venue"), Db.column(app.databaseUrl, "select (select string_agg(k, ',' order by k) "
        + "from jsonb_object_keys(payload -> 'changes') k) from outbox where kind = 'event_changed' and event_id = " + eventId
        + " order by id"), "the notice on its way is left as it is; the new change waits in a notice of its own");
  }

  @Test
  void aSessionsNewRoomIsToldToThoseWhoChoseItAndTheOrganiserSeesWhoIsTold() {
    OffsetDateTime start = nineOClock().plusDays(2);
    JsonObject published = PublishedEvent.by(app, organiser.token()).title("Workshopdag").startsAt(start).atVenue()
        .endsAt(start.plusHours(6)).sessions(new JsonArray()
            .add(new JsonObject().put("title", "Workshop A").put("startsAt", start.plusHours(1).toString())
                .put("endsAt", start.plusHours(2).toString()).put("capacity", 20).put("room", "Sal 2"))
            .add(new JsonObject().put("title", "Workshop B").put("startsAt", start.plusHours(1).toString())
                .put("endsAt", start.plusHours(2).toString()).put("capacity", 20)))
        .publish();
    long eventId = published.getLong("id");
    long a = published.getJsonArray("sessions").getJsonObject(0).getLong("id");
    long b = published.getJsonArray("sessions").getJsonObject(1).getLong("id");
    SignUps.participant(app, eventId, new JsonObject().put("name", "Ella A").put("email", "ella@example.org")
        .put("sessions", new JsonArray().add(a)));
    SignUps.participant(app, eventId, new JsonObject().put("name", "Filip B").put("email", "filip@example.org")
        .put("sessions", new JsonArray().add(b)));

    // Through the organiser's page, as an organiser works: the room of workshop A, with a note.
    PageSession page = organiser.session();
    String form = page.get("/arrangor/evenemang/" + eventId).bodyAsString();
    assertTrue(form.contains("name=\"changeNote\""), "the organiser may add a note to the participants");
    MultiMap fields = MultiMap.caseInsensitiveMultiMap();
    JsonObject e = event(eventId);
    fields.add("title", e.getString("title")).add("kind", "workshop").add("startsAt", local(start))
        .add("endsAt", local(start.plusHours(6))).add("venueId", String.valueOf(e.getLong("venueId")))
        .add("onlineUrl", "https://example.org/workshop").add("capacity", "100").add("reminderDays", "2")
        .add("changeNote", "Sal 2 är för liten.");
    fields.add("sessions[0].id", String.valueOf(a)).add("sessions[0].title", "Workshop A")
        .add("sessions[0].startsAt", local(start.plusHours(1))).add("sessions[0].endsAt", local(start.plusHours(2)))
        .add("sessions[0].capacity", "20").add("sessions[0].room", "Sal 7");
    fields.add("sessions[1].id", String.valueOf(b)).add("sessions[1].title", "Workshop B")
        .add("sessions[1].startsAt", local(start.plusHours(1))).add("sessions[1].endsAt", local(start.plusHours(2)))
        .add("sessions[1].capacity", "20").add("sessions[1].room", "");
    HttpResponse<Buffer> saved = page.post("/arrangor/evenemang/" + eventId, "/arrangor/evenemang/" + eventId, fields);
    assertEquals(302, saved.statusCode(), saved.bodyAsString());
    String after = page.get(saved.getHeader("Location")).bodyAsString();
    assertTrue(after.contains("1 bekräftad och ingen på väntelistan får ett mejl om ändringen (pass)"), after);

    noticesDue(eventId);
    SignUps.sendMail(app);
    MimeMessage notice = Mails.awaitOne(app, m -> Mails.recipient(m).contains("ella@example.org")
        && subject(m).startsWith("Ändrat:"), "the notice to Ella");
    String text = Mails.text(notice, "text/plain");
    assertTrue(text.contains("Workshop A") && text.contains("Sal 7") && text.contains("Sal 2"), text);
    assertTrue(text.contains("Sal 2 är för liten."), text);
    assertTrue(changed("filip@example.org").isEmpty(), "workshop B's people are not bothered");
  }

  @Test
  void callingAnEventOffAsksForTheReasonAndANewDateAndTheEmailCarriesBoth() throws Exception {
    OffsetDateTime start = nineOClock().plusDays(3);
    long eventId = PublishedEvent.by(app, organiser.token()).title("Seminarium").startsAt(start).atVenue().publishId();
    String email = "gun.gustavsson@example.org";
    SignUps.participant(app, eventId, new JsonObject().put("name", "Gun Gustavsson").put("email", email));
    PageSession page = organiser.session();
    String path = "/arrangor/evenemang/" + eventId + "/installa";
    String form = page.get(path).bodyAsString();
    assertTrue(form.contains("name=\"reason\"") && form.contains("name=\"newDate\""), form);

    HttpResponse<Buffer> tooLong = page.post(path, path, MultiMap.caseInsensitiveMultiMap()
        .add("reason", "x".repeat(1001)).add("newDate", "inte ett datum"));
    assertEquals(422, tooLong.statusCode());
    String body = tooLong.bodyAsString();
    assertTrue(body.contains("Får vara högst") && body.contains("Ange ett datum"), body);
    assertTrue(body.contains("x".repeat(1001)), "what was typed is kept");
    assertEquals("published", event(eventId).getString("status"), "nothing was cancelled");
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'event_cancelled' and event_id = "
        + eventId), "nothing sent");
    assertEquals(422, page.post(path, path, MultiMap.caseInsensitiveMultiMap().add("reason", " ")).statusCode(),
        "a reason is asked for");

    String newDate = start.plusDays(30).toLocalDate().toString();
    HttpResponse<Buffer> done = page.post(path, path, MultiMap.caseInsensitiveMultiMap()
        .add("reason", "Föreläsaren är sjuk.").add("newDate", newDate));
    assertEquals(302, done.statusCode(), done.bodyAsString());
    SignUps.sendMail(app);
    MimeMessage cancelled = Mails.awaitOne(app, m -> Mails.recipient(m).contains(email) && subject(m).startsWith("Inställt"),
        "the cancellation");
    String text = Mails.text(cancelled, "text/plain");
    assertTrue(text.contains("Föreläsaren är sjuk."), text);
    assertTrue(text.contains(java.time.format.DateTimeFormatter.ofPattern("d MMMM yyyy", new java.util.Locale("sv", "SE"))
        .format(start.plusDays(30))), text);
    VEvent entry = main(ics(cancelled));
    assertEquals("CANCELLED", entry.<Property>getProperty("STATUS").orElseThrow().getValue(), "the calendar entry goes");
    assertFalse(Mails.find(cancelled, "application/pdf").isPresent(), "no ticket for an event that is off");
  }

  static String local(OffsetDateTime t) {
    return t.atZoneSameInstant(STOCKHOLM).toLocalDateTime().toString();
  }
}
