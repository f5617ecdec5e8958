package se.hok.samla.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * Rooms (issue 20, item 2): a venue's rooms have their own accessibility facts; a session is held in a room (a room of
 * another venue is a field error); the room's name is the place printed as before; the needs summary says which session
 * and room a need is for; the sign-up form tells each session's room facts and warns – never refuses – when a chosen
 * session's room lacks what the person asks for.
 */
@WithSamla
class RoomsTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
  }


  static HttpResponse<Buffer> post(String path, JsonObject body) {
    return await(app.client.post("/api/v1" + path).putHeader("Authorization", "Bearer " + organiser).sendJsonObject(body));
  }

  static long venue(String name) {
    HttpResponse<Buffer> r = post("/venues", new JsonObject().put("name", name + " " + System.nanoTime()).put("address", "Storgatan 1, Halmstad"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  static long room(long venueId, String name, boolean loop, boolean stepFree, int places) {
    HttpResponse<Buffer> r = post("/venues/" + venueId + "/rooms", new JsonObject().put("name", name).put("hearingLoop", loop)
        .put("stepFree", stepFree).put("wheelchairPlaces", places));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  static JsonObject session(String title, OffsetDateTime start, String field, Object value) {
    return new JsonObject().put("title", title).put("startsAt", start.toString()).put("endsAt", start.plusHours(1).toString())
        .put("capacity", 20).put(field, value);
  }

  @Test
  @Tag(se.hok.samla.support.Browser.TAG)  // its last step is the form's warning, in Chromium
  void sessionsAreHeldInRoomsOfTheVenueWithTheirOwnFactsAndTheNeedsSummarySaysWhere() {
    long halmstad = venue("Halmstad teater");
    long stora = room(halmstad, "Stora salen", true, true, 4);
    long grupprum = room(halmstad, "Grupprum 2", false, true, 0);
    long elsewhere = room(venue("Kungsbacka bibliotek"), "Sal X", true, true, 2);
    assertEquals(422, post("/venues/" + halmstad + "/rooms", new JsonObject().put("name", "stora SALEN")).statusCode(),
        "one name per venue");
    assertEquals(404, post("/venues/99999999/rooms", new JsonObject().put("name", "Sal")).statusCode());

    OffsetDateTime start = OffsetDateTime.now().plusDays(40).withHour(10).withMinute(0).withSecond(0).withNano(0);
    // A room of another venue: a field error on that session, nothing saved.
    HttpResponse<Buffer> wrong = post("/events", new JsonObject().put("title", "Workshopdag").put("kind", "workshop")
        .put("startsAt", start.toString()).put("endsAt", start.plusHours(3).toString()).put("capacity", 40)
        .put("venueId", halmstad).put("sessions", new JsonArray().add(session("A", start, "roomId", stora))
            .add(session("B", start, "roomId", elsewhere))));
    assertEquals(422, wrong.statusCode(), wrong.bodyAsString());
    assertEquals(List.of("sessions[1].roomId"), List.copyOf(wrong.bodyAsJsonObject().getJsonObject("fields").fieldNames()));

    JsonObject event = PublishedEvent.by(app, organiser).title("Workshopdag").kind("workshop").startsAt(start)
        .endsAt(start.plusHours(3)).capacity(40).with("venueId", halmstad).with("onlineUrl", null)
        .with("registrationOpensAt", null)
        .sessions(new JsonArray().add(session("Workshop A", start, "roomId", stora))
            // Given as text, the name of one of the venue's rooms: placed in that room.
            .add(session("Workshop B", start, "room", "grupprum 2")))
        .publish();
    long eventId = event.getLong("id");
    JsonObject read = await(app.client.get("/api/v1/events/" + eventId).send()).bodyAsJsonObject();
    JsonArray sessions = read.getJsonArray("sessions");
    JsonObject a = sessions.getJsonObject(0);
    JsonObject b = sessions.getJsonObject(1);
    assertEquals("Stora salen", a.getString("room"), "the room's name is the place printed on tickets");
    assertEquals(stora, a.getLong("roomId"));
    assertTrue(a.getJsonObject("roomAccessibility").getBoolean("hearingLoop"));
    assertEquals("Grupprum 2", b.getString("room"));
    assertEquals(grupprum, b.getLong("roomId"));
    assertFalse(b.getJsonObject("roomAccessibility").getBoolean("hearingLoop"));

    // Someone who needs a hearing loop chooses the workshop in the room without one: taken, and the summary says where.
    SignUps.byOrganiser(app, organiser, eventId, new JsonObject().put("name", "Hörsel Person").put("email",
        "horsel." + System.nanoTime() + "@example.org").put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "horslinga")))
        .put("sessions", new JsonArray().add(b.getLong("id"))));
    JsonObject summary = await(app.client.get("/api/v1/events/" + eventId + "/needs-summary")
        .putHeader("Authorization", "Bearer " + organiser).send()).bodyAsJsonObject();
    JsonObject loop = summary.getJsonArray("needs").stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("code").equals("horslinga")).findFirst().orElseThrow();
    JsonObject where = loop.getJsonArray("sessions").getJsonObject(0);
    assertEquals("Workshop B", where.getString("title"));
    assertEquals("Grupprum 2", where.getString("room"));
    assertEquals(1, where.getInteger("count"));
    assertTrue(where.getBoolean("roomLacks"));

    // The sign-up form tells each room's facts, and warns when the chosen room lacks the need – without refusing it.
    PageSession person = PageSession.anonymous(app);
    String form = "/evenemang/" + eventId + "/anmalan";
    String html = PageSession.unescape(person.get(form).bodyAsString());
    assertTrue(html.contains("Grupprum 2: ingen hörslinga, steglöst, rullstolsplatser: 0"), html);
    assertTrue(html.contains("data-warn-horslinga=\"Rummet för Workshop B (Grupprum 2) har ingen hörslinga."), html);
    HttpResponse<Buffer> back = person.post(form, form, MultiMap.caseInsensitiveMultiMap().add("name", "")
        .add("email", "x." + System.nanoTime() + "@example.org").add("need.horslinga", "on").add("consent", "true")
        .add("session.0", String.valueOf(b.getLong("id"))));
    assertEquals(422, back.statusCode());
    assertTrue(PageSession.unescape(back.bodyAsString()).contains("Rummet för Workshop B (Grupprum 2) har ingen hörslinga."));
    HttpResponse<Buffer> taken = person.post(form, form, MultiMap.caseInsensitiveMultiMap().add("name", "Hörsel Två")
        .add("email", "h2." + System.nanoTime() + "@example.org").add("need.horslinga", "on").add("consent", "true")
        .add("session.0", String.valueOf(b.getLong("id"))));
    assertEquals(303, taken.statusCode(), "a warning, never a refusal");
    // The e-mail says it too, for whoever sent the form without its script.
    String mail = se.hok.samla.support.Mails.text(se.hok.samla.support.Mails.awaitOne(app,
        m -> se.hok.samla.support.Mails.recipient(m).startsWith("h2."), "to h2"), "text/plain");
    assertTrue(mail.contains("Rummet för Workshop B (Grupprum 2) har ingen hörslinga."), mail);

    // With its script, the form warns as choices are made, in a polite live region.
    se.hok.samla.support.Browser browser = se.hok.samla.support.Browser.shared();
    browser.reset();
    try {
      org.openqa.selenium.WebDriver d = browser.driver();
      browser.open(app.url(form + "?lang=sv"));
      browser.waitUntil(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
          org.openqa.selenium.By.name("need.horslinga")));
      d.findElement(org.openqa.selenium.By.cssSelector("input[name='session.0'][value='" + b.getLong("id") + "']")).click();
      assertEquals("", d.findElement(org.openqa.selenium.By.id("room-warnings")).getText(), "no need ticked: nothing to warn of");
      d.findElement(org.openqa.selenium.By.name("need.horslinga")).click();
      assertTrue(d.findElement(org.openqa.selenium.By.id("room-warnings")).getText()
          .contains("Rummet för Workshop B (Grupprum 2) har ingen hörslinga."));
      assertEquals("polite", d.findElement(org.openqa.selenium.By.id("room-warnings")).getDomAttribute("aria-live"));
      d.findElement(org.openqa.selenium.By.cssSelector("input[name='session.0'][value='" + a.getLong("id") + "']")).click();
      assertEquals("", d.findElement(org.openqa.selenium.By.id("room-warnings")).getText(), "the hall has a loop");
    } finally {
      browser.reset();
    }
  }

  @Test
  void anOrganiserAddsARoomOnTheVenuesPageAndAMistakeComesBackInSwedish() {
    long venueId = venue("Varbergs kusthotell");
    PageSession staff = PageSession.staff(app, "organiser");
    HttpResponse<Buffer> added = staff.post("/arrangor/lokaler", "/arrangor/lokaler/rum", MultiMap.caseInsensitiveMultiMap()
        .add("roomVenueId", String.valueOf(venueId)).add("roomName", "Havssalen").add("roomHearingLoop", "true")
        .add("roomWheelchairPlaces", "3"));
    assertEquals(302, added.statusCode(), added.bodyAsString());
    String page = PageSession.unescape(staff.get("/arrangor/lokaler").bodyAsString());
    assertTrue(page.contains("<strong>Havssalen</strong>: Hörslinga ja"), page);
    HttpResponse<Buffer> again = staff.post("/arrangor/lokaler", "/arrangor/lokaler/rum", MultiMap.caseInsensitiveMultiMap()
        .add("roomVenueId", String.valueOf(venueId)).add("roomName", "havssalen").add("roomWheelchairPlaces", "många"));
    assertEquals(422, again.statusCode());
    String errors = PageSession.unescape(again.bodyAsString());
    assertTrue(errors.contains("href=\"#room-wheelchairPlaces\">Antal rullstolsplatser:"), errors);
  }

  @Test
  void aRoomWithoutItsFactsStaysFreeTextOnAnOnlineEvent() {
    OffsetDateTime start = OffsetDateTime.now().plusDays(41);
    JsonObject event = PublishedEvent.by(app, organiser).title("Webbinarium").kind("seminarium").startsAt(start)
        .sessions(new JsonArray().add(session("Pass 1", start, "room", "Zoomrum 1"))).publish();
    JsonObject s = event.getJsonArray("sessions").getJsonObject(0);
    assertEquals("Zoomrum 1", s.getString("room"));
    assertNull(s.getValue("roomId"));
  }
}
