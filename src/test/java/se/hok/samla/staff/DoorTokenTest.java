package se.hok.samla.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * The token the door page writes into its HTML carries only the door of its one event, whoever opened the page: not
 * the account's other rights, not another event's door. It ends when its person signs out, is revoked (by them or an
 * admin), is taken off the event or is closed; people see their own keys, never a secret.
 */
@WithSamla(env = "SAMLA_SEND_MAIL=false")
class DoorTokenTest {
  private static final Pattern TOKEN = Pattern.compile("data-token=\"([^\"]+)\"");

  static TestApp app;
  static StaffAccount organiser;
  static long event;
  static long otherEvent;

  @BeforeAll
  static void start() {
    organiser = StaffAccount.create(app, "organiser");
    // The organiser organises both events; the door page's token must still reach only the one it was opened for.
    event = PublishedEvent.by(app, organiser.token()).title("Workshop vid dörren").publishId();
    otherEvent = PublishedEvent.by(app, organiser.token()).title("Ett annat evenemang").publishId();
  }

  /** Opens the door page and takes the token it writes for its scripts. */
  static String doorToken(PageSession session, long eventId) {
    HttpResponse<Buffer> desk = session.get("/arrangor/evenemang/" + eventId + "/incheckning");
    assertEquals(200, desk.statusCode());
    Matcher m = TOKEN.matcher(desk.bodyAsString());
    assertTrue(m.find(), "the door page carries its token");
    return m.group(1);
  }

  static int call(String token, HttpMethod method, String path, JsonObject body) {
    HttpRequest<Buffer> request = app.client.request(method, "/api/v1" + path).putHeader("Authorization", "Bearer " + token);
    return await(body == null ? request.send() : request.sendJsonObject(body)).statusCode();
  }

  static JsonObject scan(long eventId) {
    return new JsonObject().put("eventId", eventId).put("deviceId", "Surfplatta").put("code", "INTEKOD");
  }

  @Test
  void anOrganisersDoorTokenDoesOnlyTheCheckInOfItsEvent() {
    String token = doorToken(organiser.session(), event);

    // The check-in work of its event: scan, search, undo, walk-in, sync, live counts (see EventAccessTest), key.
    assertEquals(200, call(token, HttpMethod.POST, "/checkins", scan(event)));
    assertEquals(200, call(token, HttpMethod.GET, "/events/" + event + "/attendees?q=x", null));
    assertEquals(200, call(token, HttpMethod.GET, "/events/" + event + "/checkin-sync", null));
    assertEquals(200, call(token, HttpMethod.GET, "/events/" + event + "/ticket-key", null));
    assertEquals(400, call(token, HttpMethod.POST, "/events/" + event + "/walk-ins", new JsonObject()), "let in, then checked");

    // Nothing else the organiser may do.
    JsonObject venue = new JsonObject().put("name", "Stadsbiblioteket").put("address", "Axel Olssons gata 2, Halmstad");
    assertEquals(403, call(token, HttpMethod.POST, "/venues", venue), "a door token cannot create a venue");
    assertEquals(403, call(token, HttpMethod.POST, "/events", new JsonObject()));
    assertEquals(403, call(token, HttpMethod.GET, "/events/" + event + "/registrations", null));
    assertEquals(403, call(token, HttpMethod.GET, "/events/" + event + "/needs-summary", null));
    assertEquals(403, call(token, HttpMethod.GET, "/events/" + event + "/staff", null));
    assertEquals(403, call(token, HttpMethod.POST, "/events/" + event + "/cancel", null));
    assertEquals(403, call(token, HttpMethod.GET, "/events/" + event + "/turnout", null));
    assertEquals(403, call(token, HttpMethod.GET, "/reports/participation?year=2026", null));
    // Not another event's door, though the organiser works that one too.
    assertEquals(403, call(token, HttpMethod.POST, "/checkins", scan(otherEvent)));
    assertEquals(403, call(token, HttpMethod.GET, "/events/" + otherEvent + "/checkin-sync", null));
    assertEquals(403, call(token, HttpMethod.GET, "/events/" + otherEvent + "/attendees?q=x", null));
    // Still in the database: nothing was created by the refused calls.
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from venue where name = 'Stadsbiblioteket'"));
  }

  @Test
  void signingOutEndsTheDoorTokensOfThatSignInOnly() {
    StaffAccount door = StaffAccount.create(app, "checkin");
    app.assign(event, door.token(), "door");
    PageSession tablet = PageSession.signedIn(app, door.email(), door.password());
    String first = doorToken(tablet, event);
    String second = doorToken(door.session(), event);
    assertEquals(200, call(first, HttpMethod.GET, "/events/" + event + "/ticket-key", null));
    assertEquals(200, call(second, HttpMethod.GET, "/events/" + event + "/ticket-key", null));

    HttpResponse<Buffer> out = tablet.post("/arrangor", "/logout", MultiMap.caseInsensitiveMultiMap());
    assertEquals(302, out.statusCode());
    assertEquals(401, call(first, HttpMethod.GET, "/events/" + event + "/ticket-key", null), "signed out: the tablet's token ends");
    assertEquals(200, call(second, HttpMethod.GET, "/events/" + event + "/ticket-key", null), "another sign-in's goes on");
    assertEquals(200, call(door.token(), HttpMethod.GET, "/events/" + event + "/ticket-key", null), "and the API key");
  }

  @Test
  void peopleSeeTheirOwnKeysWithoutTheSecretAndRevokeThemAtOnce() {
    StaffAccount door = StaffAccount.create(app, "checkin");
    app.assign(event, door.token(), "door");
    String token = doorToken(door.session(), event);
    assertEquals(200, call(token, HttpMethod.GET, "/events/" + event + "/ticket-key", null), "believed (and cached) now");

    String keys = door.session().get("/konto/nycklar").bodyAsString();
    assertTrue(keys.contains("Bara incheckningen: Workshop vid dörren"), keys);
    assertTrue(keys.contains("Allt som kontot får"), "the API key from POST /auth/token");
    assertTrue(keys.contains("Från den här inloggningen"));
    assertFalse(keys.contains(token) || keys.contains(door.token()), "never a secret");
    // Someone else's page shows none of them.
    assertFalse(organiser.session().get("/konto/nycklar").bodyAsString().contains("Bara incheckningen: Workshop vid dörren"));

    long id = tokenId(token);
    // Revoking someone else's key is not possible (it names nothing of theirs).
    assertEquals(404, organiser.session().post("/konto/nycklar", "/konto/nycklar/" + id + "/aterkalla",
        MultiMap.caseInsensitiveMultiMap()).statusCode());
    assertEquals(200, call(token, HttpMethod.GET, "/events/" + event + "/ticket-key", null));
    HttpResponse<Buffer> revoked = door.session().post("/konto/nycklar", "/konto/nycklar/" + id + "/aterkalla",
        MultiMap.caseInsensitiveMultiMap());
    assertEquals(302, revoked.statusCode());
    assertEquals(401, call(token, HttpMethod.GET, "/events/" + event + "/ticket-key", null), "revoked at once, cache or not");
    assertEquals(404, door.session().post("/konto/nycklar", "/konto/nycklar/abc/aterkalla", MultiMap.caseInsensitiveMultiMap())
        .statusCode());
  }

  @Test
  void adminsRevokeAnyonesKeysAndClosingAnAccountOrTakingSomeoneOffTheEventEndsThem() {
    StaffAccount door = StaffAccount.create(app, "checkin");
    app.assign(event, door.token(), "door");
    PageSession admin = PageSession.signedIn(app, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD);
    String token = doorToken(door.session(), event);
    assertEquals(200, call(token, HttpMethod.GET, "/events/" + event + "/ticket-key", null));

    String list = admin.get("/admin/personal").bodyAsString();
    assertTrue(list.contains("href=\"/admin/personal/" + door.id() + "/nycklar\""), "the staff list links to each one's keys");
    String keys = admin.get("/admin/personal/" + door.id() + "/nycklar").bodyAsString();
    assertTrue(keys.contains("Bara incheckningen: Workshop vid dörren"), keys);
    assertEquals(403, door.session().get("/admin/personal/" + door.id() + "/nycklar").statusCode());
    String base = "/admin/personal/" + door.id() + "/nycklar";
    assertEquals(302, admin.post(base, base + "/" + tokenId(token) + "/aterkalla", MultiMap.caseInsensitiveMultiMap()).statusCode());
    assertEquals(401, call(token, HttpMethod.GET, "/events/" + event + "/ticket-key", null));

    // Taken off the event: the door token for it ends (and would be refused anyway).
    String again = doorToken(door.session(), event);
    assertEquals(200, call(again, HttpMethod.GET, "/events/" + event + "/ticket-key", null));
    assertEquals(204, await(app.client.delete("/api/v1/events/" + event + "/staff/" + door.id())
        .putHeader("Authorization", "Bearer " + organiser.token()).send()).statusCode());
    assertEquals(401, call(again, HttpMethod.GET, "/events/" + event + "/ticket-key", null));
    assertEquals(403, call(door.token(), HttpMethod.GET, "/events/" + event + "/ticket-key", null), "off the event");

    // Closed: every key ends. (Back on the door first, through the API, which this instance takes in at once.)
    assertEquals(200, await(app.client.put("/api/v1/events/" + event + "/staff/" + door.id())
        .putHeader("Authorization", "Bearer " + organiser.token()).sendJsonObject(new JsonObject().put("role", "door")))
        .statusCode());
    String third = doorToken(door.session(), event);
    assertEquals(200, call(third, HttpMethod.GET, "/events/" + event + "/ticket-key", null));
    assertEquals(302, admin.post("/admin/personal", "/admin/personal/" + door.id(),
        MultiMap.caseInsensitiveMultiMap().add("role", "checkin")).statusCode());
    assertEquals(401, call(third, HttpMethod.GET, "/events/" + event + "/ticket-key", null));
    assertEquals(401, call(door.token(), HttpMethod.GET, "/events/" + event + "/ticket-key", null));

    // Revoke all: the admin's one button.
    StaffAccount other = StaffAccount.create(app, "organiser");
    String otherBase = "/admin/personal/" + other.id() + "/nycklar";
    assertEquals(400, call(other.token(), HttpMethod.POST, "/venues", new JsonObject()), "let in, then checked");
    assertEquals(302, admin.post(otherBase, otherBase + "/aterkalla", MultiMap.caseInsensitiveMultiMap()).statusCode());
    assertEquals(401, call(other.token(), HttpMethod.POST, "/venues", new JsonObject()));
  }

  private static long tokenId(String token) {
    return ((Number) Db.column(app.databaseUrl, "select id from api_token where token_hash = sha256(convert_to('"
        + token + "', 'UTF8'))").get(0)).longValue();
  }
}
