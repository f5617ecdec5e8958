package se.hok.samla.checkin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.tickets.Ticket;
import se.hok.samla.tickets.TicketCode;

/** The door's API against a real database: every result, idempotency, offline replays, undo, walk-ins, sync. */
@WithSamla(env = "SAMLA_SEND_MAIL=false")
class CheckinApiTest {
  static TestApp app;
  static Door door;
  static String desk;
  /** For reading counts directly (what the live stream sends). */
  static CheckinService checkins;

  @BeforeAll
  static void start() {
    door = new Door(app);
    desk = door.desk;
    checkins = new CheckinService(app.running.database().pool(), door.tickets, null);
  }

  private static JsonObject ok(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  @Test
  void aValidTicketLetsThePersonInWithWhatTheDoorShouldKnowAndASecondScanSaysWhen() {
    long event = door.event("Workshop", 50, null);
    JsonObject needs = new JsonObject().put("companion", true).put("consent", true).put("needs", new JsonArray()
        .add(new JsonObject().put("code", "horslinga"))
        .add(new JsonObject().put("code", "specialkost").put("detail", "nötallergi")));
    Door.Person p = door.signUp(event, "Åsa Öberg", needs);
    Ticket ticket = door.ticket(event, p);

    JsonObject first = ok(door.checkin(desk, Door.scan(event, ticket.code(), "Entré norr")));
    assertEquals("ok", first.getString("result"));
    JsonObject reg = first.getJsonObject("registration");
    assertEquals("Åsa Öberg", reg.getString("name"));
    assertTrue(reg.getBoolean("companion"));
    assertEquals(ticket.reference(), reg.getString("reference"));
    List<String> shown = reg.getJsonArray("needs").stream().map(n -> ((JsonObject) n).getString("code")).toList();
    assertEquals(List.of("horslinga"), shown, "the hearing loop matters at the door; the diet and its detail do not");
    assertFalse(first.encode().contains("nötallergi"));
    assertNotNull(first.getLong("checkinId"));

    JsonObject second = ok(door.checkin(desk, Door.scan(event, ticket.code(), "Entré söder")));
    assertEquals("already_checked_in", second.getString("result"));
    assertEquals("Entré norr", second.getString("firstDeviceId"));
    assertEquals(first.getString("firstCheckinAt"), second.getString("firstCheckinAt"));

    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from checkin where registration_id = '" + p.id() + "'"));
    assertEquals(List.of("ok", "already_checked_in"), Db.column(app.databaseUrl,
        "select result from checkin_scan where registration_id = '" + p.id() + "' order by id"), "every scan is recorded");
  }

  @Test
  void oneTicketScannedOnManyDevicesAtOnceIsOneCheckIn() {
    long event = door.event("Rusning", 50, null);
    Door.Person p = door.signUp(event, "Samtidig Person", null);
    String code = door.ticket(event, p).code();
    List<Future<HttpResponse<Buffer>>> scans = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      scans.add(app.client.post("/api/v1/checkins").putHeader("Authorization", "Bearer " + desk)
          .sendJsonObject(Door.scan(event, code, "Enhet " + i)));
    }
    await(Future.join(scans));
    List<JsonObject> results = scans.stream().map(f -> ok(f.result())).toList();
    List<JsonObject> admitted = results.stream().filter(r -> r.getString("result").equals("ok")).toList();
    assertEquals(1, admitted.size(), results.toString());
    String winner = admitted.get(0).getString("firstDeviceId");
    for (JsonObject r : results) {
      if (!r.getString("result").equals("ok")) {
        assertEquals("already_checked_in", r.getString("result"));
        assertEquals(winner, r.getString("firstDeviceId"), "the others see who was first: " + r);
        assertNotNull(r.getString("firstCheckinAt"), r.encode());
      }
    }
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from checkin where registration_id = '" + p.id() + "'"));
    assertEquals(List.of(16L), Db.column(app.databaseUrl, "select count(*) from checkin_scan where registration_id = '" + p.id() + "'"));
  }

  @Test
  void forgedAlteredTruncatedRevokedCancelledWaitlistedAndOtherEventTicketsAreTurnedAway() {
    long event = door.event("Seminarium", 1, null);
    long other = door.event("Annat evenemang", 10, null);
    Door.Person confirmed = door.signUp(event, "Bekräftad", null);
    Door.Person waiting = door.signUp(event, "Väntande", null);
    assertEquals("waitlisted", waiting.status());
    String code = door.ticket(event, confirmed).code();

    char last = code.charAt(code.length() - 1);
    String altered = code.substring(0, code.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertEquals("invalid", result(event, altered));
    assertEquals("invalid", result(event, code.substring(0, code.length() - 5)));
    assertEquals("invalid", result(event, "HELLO WORLD"));
    assertEquals("invalid", result(event, "A".repeat(111)));

    // A code signed with another key: forged.
    String forged = TicketCode.encode(TicketCode.VERSION, 1, event, freshKey());
    assertEquals("invalid", result(event, forged));

    // Replaced by a newer ticket: revoked; the new one works.
    Ticket newer = door.reissue(event, confirmed);
    assertEquals("revoked", result(event, code));
    assertEquals("ok", result(event, newer.code()));

    Door.Person elsewhere = door.signUp(other, "Fel Dörr", null);
    JsonObject wrong = ok(door.checkin(desk, Door.scan(event, door.ticket(other, elsewhere).code(), "d")));
    assertEquals("wrong_event", wrong.getString("result"));
    assertTrue(wrong.getJsonObject("event").getString("title").startsWith("Annat evenemang"), wrong.encode());
    assertEquals(0, wrong.getJsonObject("registration").getJsonArray("needs").size());

    Door.Person later = door.signUp(other, "Avbokad", null);
    String laterCode = door.ticket(other, later).code();
    door.cancel(later);
    assertEquals("cancelled", result(other, laterCode));

    JsonObject byHand = ok(door.checkin(desk, new JsonObject().put("eventId", event)
        .put("registrationId", waiting.id().toString()).put("deviceId", "d")));
    assertEquals("waitlisted", byHand.getString("result"));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from checkin where registration_id in ('"
        + waiting.id() + "', '" + later.id() + "')"));
    assertEquals(List.of(8L), Db.column(app.databaseUrl, "select count(*) from checkin_scan where event_id = " + event
        + " and result <> 'ok'"), "rejected scans are recorded too");
  }

  private static String result(long event, String code) {
    return ok(door.checkin(desk, Door.scan(event, code, "d"))).getString("result");
  }

  private static java.security.PrivateKey freshKey() {
    try {
      return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anOfflineQueueReplayedIsCountedOnceKeepsItsTimeAndConflictsReachTheOrganiser() throws Exception {
    long event = door.event("Dialogmöte", 50, null);
    Door.Person a = door.signUp(event, "Offline Ett", null);
    Door.Person b = door.signUp(event, "Offline Två", null);
    String codeA = door.ticket(event, a).code();
    String codeB = door.ticket(event, b).code();
    OffsetDateTime scannedAt = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(12).truncatedTo(ChronoUnit.SECONDS);

    JsonObject queued = Door.scan(event, codeA, "Surfplatta").put("scannedAt", scannedAt.toString()).put("admittedOffline", true);
    JsonObject first = ok(door.checkin(desk, queued));
    JsonObject replay = ok(door.checkin(desk, queued));
    JsonObject again = ok(door.checkin(desk, queued));
    assertEquals("ok", first.getString("result"));
    assertEquals("ok", replay.getString("result"), "a replay gets the first answer");
    assertEquals("ok", again.getString("result"));
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from checkin where registration_id = '" + a.id() + "'"));
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from checkin_scan where registration_id = '" + a.id() + "'"));
    assertEquals(scannedAt.toInstant(), OffsetDateTime.parse(first.getString("firstCheckinAt")).toInstant(),
        "admitted at the time the device scanned, not when it came back online");

    // Undone and then replayed: still the first answer, and nobody is let in again by a replay.
    await(app.client.delete("/api/v1/checkins/" + first.getLong("checkinId")).putHeader("Authorization", "Bearer " + desk).send());
    assertEquals("ok", ok(door.checkin(desk, queued)).getString("result"));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from checkin where undone_at is null and registration_id = '" + a.id() + "'"));

    // B was admitted at the main door online, and on a tablet that was offline: a conflict.
    assertEquals("ok", ok(door.checkin(desk, Door.scan(event, codeB, "Huvudentré"))).getString("result"));
    JsonObject late = ok(door.checkin(desk, Door.scan(event, codeB, "Surfplatta")
        .put("scannedAt", scannedAt.plusMinutes(5).toString()).put("admittedOffline", true)));
    assertEquals("already_checked_in", late.getString("result"));
    assertEquals("Huvudentré", late.getString("firstDeviceId"));
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from checkin_scan where conflict and event_id = " + event));

    JsonObject counts = await(checkins.counts(event));
    assertEquals(1L, counts.getLong("conflicts"));
    se.hok.samla.support.PageSession organiser = se.hok.samla.support.PageSession.staff(app, "organiser").assign(event, "organiser");
    String page = organiser.get("/arrangor/evenemang/" + event + "/incheckning").bodyAsString();
    assertTrue(page.contains("Offline Två") && page.contains("Surfplatta") && page.contains("Huvudentré"), page);
  }

  @Test
  void aScanTimeOutsideTheEventsDayIsRecordedAtTheServersTimeAndFlaggedForTheOrganiser() {
    // The event starts in an hour and lasts four: a device's time is believed from 11 hours ago to 17 hours ahead.
    long event = door.event("Framtidsforum", 50, null);
    Door.Person past = door.signUp(event, "Klocka Bakåt", null);
    Door.Person future = door.signUp(event, "Klocka Framåt", null);
    Door.Person early = door.signUp(event, "Tidig Gäst", null);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    OffsetDateTime lastYear = now.minusDays(400);
    OffsetDateTime nextWeek = now.plusDays(7);
    OffsetDateTime believable = now.minusHours(10);

    OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1);
    JsonObject a = ok(door.checkin(desk, Door.scan(event, door.ticket(event, past).code(), "Surfplatta")
        .put("scannedAt", lastYear.toString()).put("admittedOffline", true)));
    JsonObject b = ok(door.checkin(desk, Door.scan(event, door.ticket(event, future).code(), "Surfplatta")
        .put("scannedAt", nextWeek.toString()).put("admittedOffline", true)));
    JsonObject c = ok(door.checkin(desk, Door.scan(event, door.ticket(event, early).code(), "Surfplatta")
        .put("scannedAt", believable.toString()).put("admittedOffline", true)));
    OffsetDateTime after = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1);

    for (JsonObject r : List.of(a, b)) {
      assertEquals("ok", r.getString("result"), "let in all the same");
      OffsetDateTime at = OffsetDateTime.parse(r.getString("firstCheckinAt"));
      assertTrue(!at.isBefore(before) && !at.isAfter(after), "the server's time, not the device's: " + at);
    }
    assertEquals(believable.toInstant(), OffsetDateTime.parse(c.getString("firstCheckinAt")).toInstant(),
        "a time within the event's day is the device's");
    assertEquals(List.of(lastYear.toInstant().toString() + "|true", nextWeek.toInstant().toString() + "|true"),
        Db.column(app.databaseUrl, "select to_char(claimed_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || '|' || conflict "
            + "from checkin_scan where event_id = " + event + " and claimed_at is not null order by claimed_at"));
    assertEquals(List.of(false), Db.column(app.databaseUrl, "select conflict from checkin_scan where registration_id = '"
        + early.id() + "'"));
    assertEquals(2L, await(checkins.counts(event)).getLong("conflicts"));

    String page = se.hok.samla.support.PageSession.staff(app, "organiser").assign(event, "organiser")
        .get("/arrangor/evenemang/" + event + "/incheckning").bodyAsString();
    assertTrue(page.contains("Klocka Bakåt") && page.contains("Klocka Framåt"), page);
    // In Stockholm's local time, not as a raw UTC stamp.
    assertTrue(page.contains("Enheten angav tiden " + lastYear.atZoneSameInstant(java.time.ZoneId.of("Europe/Stockholm"))
        .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))), page);
    assertFalse(page.contains("Tidig Gäst"), "a believable time is no conflict");
  }

  @Test
  void undoLetsTheTicketInAgainAndUnknownCheckInsAre404() {
    long event = door.event("Utbildning", 50, null);
    Door.Person p = door.signUp(event, "Ångrad", null);
    String code = door.ticket(event, p).code();
    JsonObject first = ok(door.checkin(desk, Door.scan(event, code, "d")));
    HttpResponse<Buffer> undo = await(app.client.delete("/api/v1/checkins/" + first.getLong("checkinId"))
        .putHeader("Authorization", "Bearer " + desk).send());
    assertEquals(204, undo.statusCode());
    assertEquals(204, await(app.client.delete("/api/v1/checkins/" + first.getLong("checkinId"))
        .putHeader("Authorization", "Bearer " + desk).send()).statusCode(), "undoing twice is fine");
    assertEquals("ok", result(event, code));
    // No such check-in: refused like another event's, so that ids cannot be probed; an admin is told it is not there.
    assertEquals(403, await(app.client.delete("/api/v1/checkins/999999999")
        .putHeader("Authorization", "Bearer " + desk).send()).statusCode());
    assertEquals(404, await(app.client.delete("/api/v1/checkins/999999999")
        .putHeader("Authorization", "Bearer " + app.adminToken()).send()).statusCode());
    assertEquals(400, await(app.client.delete("/api/v1/checkins/abc")
        .putHeader("Authorization", "Bearer " + desk).send()).statusCode());
  }

  @Test
  void aSessionIsItsOwnList() {
    JsonArray sessions = new JsonArray().add(Door.session("Rum A", 2, 20)).add(Door.session("Rum B", 2, 20));
    long event = door.event("Workshopdag", 50, sessions);
    JsonArray made = door.eventJson(event).getJsonArray("sessions");
    long roomA = made.getJsonObject(0).getLong("id");
    long roomB = made.getJsonObject(1).getLong("id");
    Door.Person p = door.signUp(event, "Passdeltagare", new JsonObject().put("sessions", new JsonArray().add(roomA)));
    String code = door.ticket(event, p).code();

    assertEquals("not_in_session", ok(door.checkin(desk, Door.scan(event, code, "d").put("sessionId", roomB))).getString("result"));
    assertEquals("ok", ok(door.checkin(desk, Door.scan(event, code, "d").put("sessionId", roomA))).getString("result"));
    assertEquals("ok", ok(door.checkin(desk, Door.scan(event, code, "d"))).getString("result"), "the event's door is another list");
    assertEquals("already_checked_in", ok(door.checkin(desk, Door.scan(event, code, "d").put("sessionId", roomA))).getString("result"));

    JsonObject counts = await(checkins.counts(event));
    assertEquals(1L, counts.getLong("checkedIn"));
    JsonObject a = counts.getJsonArray("sessions").getJsonObject(0);
    assertEquals(roomA, a.getLong("id"));
    assertEquals(1L, a.getLong("checkedIn"));
    assertEquals(1L, a.getLong("expected"));
    assertEquals(0L, counts.getJsonArray("sessions").getJsonObject(1).getLong("checkedIn"));

    long otherEvent = door.event("Annat", 5, new JsonArray().add(Door.session("Rum C", 2, 5)));
    long roomC = door.eventJson(otherEvent).getJsonArray("sessions").getJsonObject(0).getLong("id");
    assertEquals(404, door.checkin(desk, Door.scan(event, code, "d").put("sessionId", roomC)).statusCode(),
        "a session of another event is no desk of this one");
  }

  @Test
  void aWalkInIsRegisteredAndCheckedInWhileSeatsLast() {
    long event = door.event("Öppet seminarium", 2, null);
    door.signUp(event, "Redan anmäld", null);
    HttpResponse<Buffer> walkIn = await(app.client.post("/api/v1/events/" + event + "/walk-ins")
        .putHeader("Authorization", "Bearer " + desk)
        .sendJsonObject(new JsonObject().put("name", "Kom Spontant").put("email", "spontan@example.org").put("deviceId", "Entré")));
    assertEquals(201, walkIn.statusCode(), walkIn.bodyAsString());
    assertEquals("ok", walkIn.bodyAsJsonObject().getString("result"));
    assertEquals(List.of("walk_in"), Db.column(app.databaseUrl, "select source from registration where email = 'spontan@example.org'"));
    JsonObject counts = await(checkins.counts(event));
    assertEquals(1L, counts.getLong("walkIns"));
    assertEquals(1L, counts.getLong("checkedIn"));
    assertEquals(2L, counts.getLong("expected"));

    HttpResponse<Buffer> full = await(app.client.post("/api/v1/events/" + event + "/walk-ins")
        .putHeader("Authorization", "Bearer " + desk)
        .sendJsonObject(new JsonObject().put("name", "För Sent").put("email", "sent@example.org").put("deviceId", "Entré")));
    assertEquals(409, full.statusCode(), full.bodyAsString());
    // Full on paper; "Redan anmäld" has not come, so door staff are offered to let them in anyway (DoorWithoutGapsTest).
    assertEquals("event_full_no_shows", full.bodyAsJsonObject().getString("error"), full.bodyAsString());
    assertEquals(List.of(0L), Db.column(app.databaseUrl,
        "select count(*) from registration where email = 'sent@example.org'"), "nobody registered, nobody mailed");

    HttpResponse<Buffer> invalid = await(app.client.post("/api/v1/events/" + event + "/walk-ins")
        .putHeader("Authorization", "Bearer " + desk)
        .sendJsonObject(new JsonObject().put("name", " ").put("email", "inte-en-adress").put("deviceId", "Entré")));
    assertEquals(422, invalid.statusCode(), invalid.bodyAsString());
    JsonObject fields = invalid.bodyAsJsonObject().getJsonObject("fields");
    assertNotNull(fields.getString("name"));
    assertNotNull(fields.getString("email"));
  }

  @Test
  void theSyncLetsADeviceCheckCodesItselfAndKnowsWhoIsInAndWhatIsRevoked() throws Exception {
    long event = door.event("Synk", 50, null);
    Door.Person in = door.signUp(event, "Inne", null);
    Door.Person replaced = door.signUp(event, "Ny Biljett", null);
    String inCode = door.ticket(event, in).code();
    Ticket old = door.ticket(event, replaced);
    door.reissue(event, replaced);
    ok(door.checkin(desk, Door.scan(event, inCode, "Entré")));

    HttpResponse<Buffer> r = await(app.client.get("/api/v1/events/" + event + "/checkin-sync")
        .putHeader("Authorization", "Bearer " + desk).send());
    JsonObject sync = ok(r);
    PublicKey key = KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(sync.getString("publicKey"))));
    assertTrue(TicketCode.verify(inCode, key), "the synced key verifies the event's codes offline");
    assertEquals(new JsonArray().add(old.id()), sync.getJsonArray("revoked"));
    assertEquals(3, sync.getJsonArray("tickets").size());
    JsonArray checkedIn = sync.getJsonArray("checkedIn");
    assertEquals(1, checkedIn.size());
    assertEquals(in.id().toString(), checkedIn.getJsonObject(0).getString("registrationId"));
    assertEquals("Entré", checkedIn.getJsonObject(0).getString("deviceId"));
    // At-door needs only (the door acts on them), never a need's free-text detail.
    assertFalse(r.bodyAsString().contains("detail"), "no free-text health data on the device");
    sync.getJsonArray("tickets").forEach(t -> assertEquals(new JsonArray(), ((JsonObject) t).getJsonArray("needs")));
  }

  @Test
  void searchFindsByNameOrganisationAndReference() {
    long event = door.event("Sök", 50, null);
    Door.Person p = door.signUp(event, "Zlatan Östlund", null);
    door.signUp(event, "Annan Person", null);
    Ticket t = door.ticket(event, p);
    assertEquals(List.of("Zlatan Östlund"), names(event, "östl"));
    assertEquals(List.of("Zlatan Östlund"), names(event, t.reference()));
    assertEquals(List.of("Zlatan Östlund"), names(event, t.reference().substring(4).replace("-", "").toLowerCase()));
    assertEquals(List.of(), names(event, "__"), "LIKE wildcards are searched for as they are");
    HttpResponse<Buffer> tooLong = await(app.client.get("/api/v1/events/" + event + "/attendees?q=" + "x".repeat(101))
        .putHeader("Authorization", "Bearer " + desk).send());
    assertEquals(400, tooLong.statusCode());
  }

  private static List<String> names(long event, String q) {
    HttpResponse<Buffer> r = await(app.client.get("/api/v1/events/" + event + "/attendees")
        .addQueryParam("q", q).putHeader("Authorization", "Bearer " + desk).send());
    return ok(r).getJsonArray("attendees").stream().map(a -> ((JsonObject) a).getString("name")).toList();
  }

  @Test
  void badRequestsGetFieldMessagesNeverA500AndOnlyDoorStaffMayCheckIn() {
    long event = door.event("Fel", 5, null);
    Door.Person p = door.signUp(event, "Fel Person", null);
    String code = door.ticket(event, p).code();

    HttpResponse<Buffer> both = door.checkin(desk, Door.scan(event, code, "d").put("registrationId", p.id().toString()));
    assertEquals(422, both.statusCode(), both.bodyAsString());
    HttpResponse<Buffer> neither = door.checkin(desk, new JsonObject().put("eventId", event).put("deviceId", "d"));
    assertEquals(422, neither.statusCode());
    assertNotNull(neither.bodyAsJsonObject().getJsonObject("fields").getString("code"));
    HttpResponse<Buffer> badId = door.checkin(desk, new JsonObject().put("eventId", event).put("deviceId", "d").put("registrationId", "nej"));
    assertEquals(422, badId.statusCode());
    HttpResponse<Buffer> badTime = door.checkin(desk, Door.scan(event, code, "d").put("scannedAt", "igår"));
    assertEquals(422, badTime.statusCode());
    assertNotNull(badTime.bodyAsJsonObject().getJsonObject("fields").getString("scannedAt"));
    assertEquals(400, door.checkin(desk, new JsonObject().put("eventId", event).put("code", code)).statusCode(), "no device");
    assertEquals(400, door.checkin(desk, Door.scan(event, code, "d").put("eventId", "ett")).statusCode());
    assertEquals(403, door.checkin(desk, Door.scan(999999, code, "d")).statusCode(), "no such event: as another's");
    assertEquals(404, door.checkin(app.adminToken(), Door.scan(999999, code, "d")).statusCode());
    HttpResponse<Buffer> fraction = door.checkin(desk, Door.scan(event, code, "d").put("eventId", 1.5));
    assertEquals(400, fraction.statusCode());
    assertNotNull(fraction.bodyAsJsonObject().getJsonObject("fields").getString("eventId"), fraction.bodyAsString());
    assertEquals(400, door.checkin(desk, Door.scan(event, "A".repeat(201), "d")).statusCode());
    assertEquals(400, door.checkin(desk, Door.scan(event, code, "d").put("admittedOffline", "ja")).statusCode());
    assertEquals(400, door.checkin(desk, Door.scan(event, code, "d").put("sessionId", -1)).statusCode());
    assertEquals(400, door.checkin(desk, Door.scan(event, code, "")).statusCode());
    HttpResponse<Buffer> notJson = await(app.client.post("/api/v1/checkins").putHeader("Authorization", "Bearer " + desk)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{nej")));
    assertEquals(400, notJson.statusCode(), notJson.bodyAsString());
    assertEquals(400, await(app.client.post("/api/v1/checkins").putHeader("Authorization", "Bearer " + desk)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("[1]"))).statusCode());
    HttpResponse<Buffer> nul = door.checkin(desk, Door.scan(event, code, "d\u0000"));
    assertEquals(422, nul.statusCode(), nul.bodyAsString());
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from checkin where registration_id = '" + p.id() + "'"));

    assertEquals(401, await(app.client.post("/api/v1/checkins").sendJsonObject(Door.scan(event, code, "d"))).statusCode());
    assertEquals(403, door.checkin(app.tokenFor("viewer"), Door.scan(event, code, "d")).statusCode());
    assertEquals(403, await(app.client.get("/api/v1/events/" + event + "/checkin-sync")
        .putHeader("Authorization", "Bearer " + app.tokenFor("viewer")).send()).statusCode());
    assertEquals("ok", ok(door.checkin(door.organiser, Door.scan(event, code, "d"))).getString("result"), "organisers may too");
  }
}
