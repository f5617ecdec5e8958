package se.hok.samla.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.registration.Retention;
import se.hok.samla.support.Db;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;

/**
 * The participant key: HMAC-SHA-256 of the normalised address under the secret of the event's plan period, written
 * with every kind of sign-up, computed for registrations made before their period existed, kept by retention, deleted
 * by the person's own erasure and by closing the period; and the follow-up's figures across the years of a period
 * (first-timers, who came again the next year), which no key of another period can join.
 */
class ParticipantKeysTest {
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");

  static TestApp app;
  static StaffAccount group;
  static StaffAccount organiser;
  static StaffAccount admin;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of());
    group = StaffAccount.create(app, "viewer");
    organiser = StaffAccount.create(app, "organiser");
    admin = StaffAccount.admin(app);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void theKeyIsHmacSha256OfTheNormalisedAddressUnderThePeriodsSecret() throws Exception {
    long period = period("Keys 2040–2041", 2040, 2041);
    year(period, 2040);
    long event = event(2040);
    SignUps.anonymously(app, event, new JsonObject().put("name", "Anna").put("email", "  Anna.Andersson@Example.ORG "));
    byte[] stored = (byte[]) Db.column(app.databaseUrl, "select participant_key from registration where event_id = " + event)
        .get(0);
    byte[] inner = (byte[]) Db.column(app.databaseUrl, "select inner_pad from plan_period_secret where period_id = " + period)
        .get(0);
    // K is the first 32 bytes of the inner pad XOR 0x36 (the rest is the zero padding).
    byte[] key = new byte[32];
    for (int i = 0; i < 32; i++) {
      key[i] = (byte) (inner[i] ^ 0x36);
    }
    for (int i = 32; i < 64; i++) {
      assertEquals(0x36, inner[i] & 0xff, "K is padded with zeros");
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    assertArrayEquals(mac.doFinal("anna.andersson@example.org".getBytes(StandardCharsets.UTF_8)), stored,
        "the key is HMAC-SHA-256 of the address in lower case, trimmed");

    // Every way of signing up writes it: the organiser's, the door's; a walk-in without an address has none.
    SignUps.byOrganiser(app, organiser.token(), event, new JsonObject().put("name", "Bo").put("email", "bo@example.org"));
    Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '1 hour', ends_at = now() + interval '2 hours',"
        + " registration_opens_at = null, registration_closes_at = null where id = " + event);
    for (JsonObject walkIn : List.of(new JsonObject().put("name", "Cia").put("email", "cia@example.org"),
        new JsonObject().put("name", "Dan utan adress"))) {
      HttpResponse<Buffer> r = await(app.client.post("/api/v1/events/" + event + "/walk-ins")
          .putHeader("Authorization", "Bearer " + admin.token()).sendJsonObject(walkIn.put("deviceId", "Entré")));
      assertEquals(201, r.statusCode(), r.bodyAsString());
    }
    assertEquals(List.of("Anna:true", "Bo:true", "Cia:true", "Dan utan adress:false"), Db.column(app.databaseUrl,
        "select name || ':' || (participant_key is not null) from registration where event_id = " + event + " order by name"));

    // The same address in another period has another key: people are never followed from one period into the next.
    long next = period("Keys 2042", 2042, 2042);
    year(next, 2042);
    long later = event(2042);
    SignUps.anonymously(app, later, new JsonObject().put("name", "Anna").put("email", "anna.andersson@example.org"));
    assertEquals(List.of(2L), Db.column(app.databaseUrl, "select count(distinct participant_key) from registration"
        + " where lower(email) like '%anna.andersson@example.org%'"));
  }

  @Test
  void registrationsMadeBeforeTheirPeriodGetKeysAndAnEventMovedOutOfItLosesThem() {
    assertEquals(404, await(app.client.put("/api/v1/plan/periods/999999/years/2060")
        .putHeader("Authorization", "Bearer " + group.token()).sendJsonObject(new JsonObject().put("theme", "X")))
        .statusCode(), "no such period");
    long event = PublishedEvent.by(app, organiser.token()).title("Utan period")
        .startsAt(OffsetDateTime.of(2060, 3, 1, 9, 0, 0, 0, java.time.ZoneOffset.ofHours(1)))
        .with("registrationOpensAt", null).publishId();
    SignUps.anonymously(app, event, new JsonObject().put("name", "Eva").put("email", "eva@example.org"));
    assertEquals(List.of(false), Db.column(app.databaseUrl, "select participant_key is not null from registration"
        + " where event_id = " + event), "2060 is in no period: no key");

    long period = period("Backfill 2060", 2060, 2060);
    assertEquals(List.of(true), Db.column(app.databaseUrl, "select participant_key is not null from registration"
        + " where event_id = " + event), "the new period's events get their keys (by the year they start in)");

    // The event moves to 2061, out of the period: its registration's key goes.
    JsonObject current = new JsonObject().put("title", "Utan period").put("kind", "workshop")
        .put("startsAt", "2061-03-01T09:00:00+01:00").put("endsAt", "2061-03-01T12:00:00+01:00")
        .put("onlineUrl", "https://example.org/m").put("capacity", 100);
    HttpResponse<Buffer> moved = await(app.client.put("/api/v1/events/" + event)
        .putHeader("Authorization", "Bearer " + organiser.token()).sendJsonObject(current));
    assertEquals(200, moved.statusCode(), moved.bodyAsString());
    assertEquals(List.of(false), Db.column(app.databaseUrl, "select participant_key is not null from registration"
        + " where event_id = " + event));
    assertTrue(period > 0);
  }

  @Test
  void retentionKeepsTheKeyTheOwnErasureAndTheClosingDeleteIt() {
    long period = period("Erasure 2045", 2045, 2045);
    year(period, 2045);
    long event = event(2045);
    SignUps.Participant kept = SignUps.participant(app, event, new JsonObject().put("name", "Kim").put("email",
        "kim@example.org"));
    SignUps.Participant forgotten = SignUps.participant(app, event, new JsonObject().put("name", "Liv").put("email",
        "liv@example.org"));

    // "Download my data" shows the key among what Samla holds about the registration.
    JsonObject mine = await(app.client.get("/anmalan/" + kept.token() + "/mina-uppgifter.json").send()).bodyAsJsonObject();
    assertTrue(mine.getJsonObject("registration").getString("participantKey").matches("[0-9a-f]{64}"), mine.encode());
    assertTrue(await(app.client.get("/anmalan/" + kept.token() + "/mina-uppgifter").send()).bodyAsString()
        .contains("Nyckel för uppföljningen"));

    HttpResponse<Buffer> erased = await(app.client.delete("/api/v1/registrations/" + forgotten.token() + "?erase=true")
        .send());
    assertEquals(204, erased.statusCode(), erased.bodyAsString());
    assertNull(Db.column(app.databaseUrl, "select participant_key from registration where id = '" + forgotten.id() + "'")
        .get(0), "the person asked to be forgotten: the key goes too");

    Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '40 days', ends_at = now() - interval"
        + " '40 days' + interval '2 hours', registration_opens_at = null, registration_closes_at = null where id = " + event);
    await(new Retention(app.running.database().pool(), 30, se.hok.samla.mail.Outbox.REGISTRATION_MAILS).runOnce());
    assertEquals(List.of("Raderad:true"), Db.column(app.databaseUrl, "select name || ':' || (participant_key is not null)"
        + " from registration where id = '" + kept.id() + "'"), "retention erases the address and keeps the key");

    HttpResponse<Buffer> closed = await(app.client.post("/api/v1/plan/periods/" + period + "/close")
        .putHeader("Authorization", "Bearer " + admin.token()).sendJsonObject(new JsonObject().put("confirm", true)));
    assertEquals(200, closed.statusCode(), closed.bodyAsString());
    assertEquals(1, closed.bodyAsJsonObject().getInteger("keysDeleted"));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from registration where event_id = " + event
        + " and participant_key is not null"));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from plan_period_secret where period_id = " + period));

    // A sign-up that raced with the closing (it read the secret before it was deleted) loses its key within the hour.
    Db.exec(app.databaseUrl, "update registration set participant_key = '\\x01' where id = '" + kept.id() + "'");
    assertTrue(await(ParticipantKeys.refresh(app.running.database().pool())) >= 1);
    assertNull(Db.column(app.databaseUrl, "select participant_key from registration where id = '" + kept.id() + "'").get(0));
  }

  @Test
  void thePrivacyPageSaysHowPeopleAreCountedAndWhenTheKeysGo() {
    String sv = await(app.client.get("/integritet?lang=sv").send()).bodyAsString();
    assertTrue(sv.contains("<h2 id=\"over-aren\">Hur arbetsgruppen räknar deltagare över åren</h2>"), sv);
    assertTrue(sv.contains("då förstörs hemligheten och alla nycklar raderas"));
    assertTrue(sv.contains("Raderar du själv din anmälan raderas din nyckel också"));
    assertTrue(sv.contains("Hemligheten finns i Samlas databas."));
    String en = await(app.client.get("/integritet?lang=en").send()).bodyAsString();
    assertTrue(en.contains("<h2 id=\"across-years\">How the working group counts participants across the years</h2>"));
    assertTrue(en.contains("the secret is destroyed and every key is deleted"));
  }

  @Test
  void peopleAreFollowedAcrossTheYearsOfTheirPeriod() {
    long period = period("Över åren 2070–2072", 2070, 2072);
    for (int y = 2070; y <= 2072; y++) {
      year(period, y);
    }
    // 2070: a, b, c, d. 2071: a, b, c (came back) and e, f, g (new). 2072: nothing held yet.
    attend(2070, List.of("a", "b", "c", "d"));
    attend(2071, List.of("A", "b", "c", "e", "f", "g"));
    JsonObject y2070 = participation(2070).getJsonObject("people");
    assertEquals(4, y2070.getInteger("people"));
    assertEquals(4, y2070.getInteger("firstTimers"), "the period's first year: everyone is new");
    assertEquals(0, y2070.getInteger("returning"), "0 points at nobody: shown as it is");
    assertEquals(3, y2070.getInteger("cameAgainNextYear"));
    assertEquals(0.75, y2070.getDouble("cameAgainNextYearShare"), 1e-9);
    JsonObject y2071 = participation(2071).getJsonObject("people");
    assertEquals(6, y2071.getInteger("people"));
    assertEquals(3, y2071.getInteger("firstTimers"));
    assertEquals(3, y2071.getInteger("returning"));
    assertNull(y2071.getValue("cameAgainNextYear"), "2072 has held nothing yet");
    assertEquals(false, y2071.getBoolean("keptAtClosing"));

    String html = group.session().get("/uppfoljning?ar=2070").bodyAsString();
    assertTrue(html.contains("<th scope=\"row\">Andel av årets personer som kom igen året efter</th><td class=\"num\">75"
        + "\u00A0" + "%</td>"), html);
    assertTrue(html.contains("<th scope=\"row\">Nya personer (inte med något tidigare år i perioden)</th>"
        + "<td class=\"num\">4</td>"));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static long period(String name, int first, int last) {
    HttpResponse<Buffer> r = await(app.client.post("/api/v1/plan/periods").putHeader("Authorization", "Bearer "
        + group.token()).sendJsonObject(new JsonObject().put("name", name).put("firstYear", first).put("lastYear", last)));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  private static void year(long period, int year) {
    HttpResponse<Buffer> r = await(app.client.put("/api/v1/plan/periods/" + period + "/years/" + year)
        .putHeader("Authorization", "Bearer " + group.token()).sendJsonObject(new JsonObject().put("theme", "Tema " + year)));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  private static long event(int year) {
    return PublishedEvent.by(app, organiser.token()).title("Evenemang " + year)
        .startsAt(OffsetDateTime.now(STOCKHOLM).plusDays(20)).with("year", year).publishId();
  }

  /** A held event of the year (a workshop) that these people attended; their addresses as typed. */
  private static void attend(int year, List<String> people) {
    long event = event(year);
    for (String p : people) {
      JsonObject r = SignUps.byOrganiser(app, organiser.token(), event, new JsonObject().put("name", "Person " + p)
          .put("email", p + "@over-aren.example"));
      Db.exec(app.databaseUrl, "insert into checkin (event_id, registration_id, checked_in_at, device_id, method)"
          + " values (" + event + ", '" + r.getString("id") + "', now(), 'test', 'manual')");
    }
    Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '3 hours', ends_at = now() - interval"
        + " '1 hour', registration_opens_at = null, registration_closes_at = null where id = " + event);
  }

  private static JsonObject participation(int year) {
    HttpResponse<Buffer> r = await(app.client.request(HttpMethod.GET, "/api/v1/reports/participation?year=" + year)
        .putHeader("Authorization", "Bearer " + group.token()).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertNotNull(r.bodyAsJsonObject().getJsonObject("people"));
    return r.bodyAsJsonObject();
  }
}
