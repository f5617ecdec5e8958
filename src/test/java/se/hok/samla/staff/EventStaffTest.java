package se.hok.samla.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** An event's organisers add and remove colleagues and door staff, on its page and through the API. */
@WithSamla(env = "SAMLA_SEND_MAIL=false")
class EventStaffTest {
  static TestApp app;
  static StaffAccount owner;

  @BeforeAll
  static void start() {
    owner = StaffAccount.create(app, "organiser");
  }

  static HttpResponse<Buffer> put(String token, long event, Object staffId, JsonObject body) {
    return await(app.client.put("/api/v1/events/" + event + "/staff/" + staffId)
        .putHeader("Authorization", "Bearer " + token).sendJsonObject(body));
  }

  static HttpResponse<Buffer> delete(String token, long event, Object staffId) {
    return await(app.client.delete("/api/v1/events/" + event + "/staff/" + staffId)
        .putHeader("Authorization", "Bearer " + token).send());
  }

  static JsonObject role(String role) {
    return new JsonObject().put("role", role);
  }

  /** The field error a 422 carries for this field. */
  static String fieldError(HttpResponse<Buffer> r, String field) {
    assertEquals(422, r.statusCode(), r.bodyAsString());
    String message = r.bodyAsJsonObject().getJsonObject("fields").getString(field);
    assertTrue(message != null && !message.isBlank(), r.bodyAsString());
    return message;
  }

  @Test
  void whoeverCreatesAnEventOrganisesItAndAddsColleaguesAndDoorStaff() {
    long event = PublishedEvent.by(app, owner.token()).title("Dialogmöte").publishId();
    JsonObject staff = await(app.client.get("/api/v1/events/" + event + "/staff")
        .putHeader("Authorization", "Bearer " + owner.token()).send()).bodyAsJsonObject();
    JsonArray members = staff.getJsonArray("staff");
    assertEquals(1, members.size());
    assertEquals(owner.id(), members.getJsonObject(0).getLong("staffId"));
    assertEquals("organiser", members.getJsonObject(0).getString("role"));
    assertTrue(staff.getJsonArray("candidates").stream().anyMatch(c -> ((JsonObject) c).getLong("staffId") == owner.id()));

    StaffAccount colleague = StaffAccount.create(app, "organiser");
    StaffAccount door = StaffAccount.create(app, "checkin");
    assertEquals(403, await(app.client.get("/api/v1/events/" + event + "/registrations")
        .putHeader("Authorization", "Bearer " + colleague.token()).send()).statusCode(), "not theirs yet");
    assertEquals(200, put(owner.token(), event, colleague.id(), role("organiser")).statusCode());
    HttpResponse<Buffer> added = put(owner.token(), event, door.id(), role("door"));
    assertEquals(200, added.statusCode(), added.bodyAsString());
    assertEquals(3, added.bodyAsJsonObject().getJsonArray("staff").size());
    assertEquals(200, await(app.client.get("/api/v1/events/" + event + "/registrations")
        .putHeader("Authorization", "Bearer " + colleague.token()).send()).statusCode(), "theirs now, at once");
    assertEquals(200, await(app.client.get("/api/v1/events/" + event + "/checkin-sync")
        .putHeader("Authorization", "Bearer " + door.token()).send()).statusCode());
    assertEquals(403, await(app.client.get("/api/v1/events/" + event + "/registrations")
        .putHeader("Authorization", "Bearer " + door.token()).send()).statusCode(), "the door is all the door staff get");

    // The colleague takes the first organiser off; the last one left cannot go, nor become door staff.
    assertEquals(204, delete(colleague.token(), event, owner.id()).statusCode());
    assertEquals(403, await(app.client.get("/api/v1/events/" + event + "/registrations")
        .putHeader("Authorization", "Bearer " + owner.token()).send()).statusCode(), "no longer theirs");
    assertTrue(fieldError(delete(colleague.token(), event, colleague.id()), "staffId").contains("minst en arrangör"));
    fieldError(put(colleague.token(), event, colleague.id(), role("door")), "staffId");
    assertEquals(204, delete(colleague.token(), event, door.id()).statusCode());
    assertEquals(204, delete(colleague.token(), event, door.id()).statusCode(), "already off is fine");
  }

  @Test
  void badInputIsAFieldErrorOrA400NeverA500() {
    long event = PublishedEvent.by(app, owner.token()).title("Seminarium").publishId();
    StaffAccount viewer = StaffAccount.create(app, "viewer");
    StaffAccount door = StaffAccount.create(app, "checkin");
    StaffAccount closed = StaffAccount.create(app, "organiser");
    Db.exec(app.databaseUrl, "update staff_user set active = false where id = " + closed.id());

    assertTrue(fieldError(put(owner.token(), event, 987654, role("door")), "staffId").contains("ingen sådan person"));
    assertTrue(fieldError(put(owner.token(), event, viewer.id(), role("door")), "staffId").contains("arbetsgruppen"));
    fieldError(put(owner.token(), event, door.id(), role("organiser")), "staffId");
    fieldError(put(owner.token(), event, closed.id(), role("door")), "staffId");
    assertEquals(400, put(owner.token(), event, door.id(), role("boss")).statusCode());
    assertEquals(400, put(owner.token(), event, door.id(), new JsonObject()).statusCode());
    assertEquals(400, put(owner.token(), event, "abc", role("door")).statusCode());
    assertEquals(400, put(owner.token(), event, 0, role("door")).statusCode());
    assertEquals(400, await(app.client.get("/api/v1/events/abc/staff").putHeader("Authorization", "Bearer " + owner.token())
        .send()).statusCode());
    assertEquals(400, await(app.client.get("/api/v1/events/0/staff").putHeader("Authorization", "Bearer " + owner.token())
        .send()).statusCode());
    assertEquals(400, await(app.client.get("/api/v1/events/99999999999999999999/staff")
        .putHeader("Authorization", "Bearer " + owner.token()).send()).statusCode());
    assertEquals(401, await(app.client.get("/api/v1/events/" + event + "/staff").send()).statusCode());
    assertEquals(404, await(app.client.get("/api/v1/events/987654/staff").putHeader("Authorization", "Bearer " + app.adminToken())
        .send()).statusCode(), "an admin is told there is no such event");
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from event_staff where event_id = " + event));

    // Pages: the same rules as messages beside the field.
    var page = owner.session();
    String path = "/arrangor/evenemang/" + event + "/personal";
    HttpResponse<Buffer> none = page.post(path, path, MultiMap.caseInsensitiveMultiMap().add("staffId", "").add("role", "door"));
    assertEquals(422, none.statusCode());
    assertTrue(none.bodyAsString().contains("class=\"error-summary\"") && none.bodyAsString().contains("href=\"#staffId\""));
    HttpResponse<Buffer> word = page.post(path, path, MultiMap.caseInsensitiveMultiMap().add("staffId", "någon").add("role", "door"));
    assertEquals(422, word.statusCode());
    assertTrue(word.bodyAsString().contains("ingen sådan person"));
    HttpResponse<Buffer> asViewer = page.post(path, path, MultiMap.caseInsensitiveMultiMap()
        .add("staffId", String.valueOf(viewer.id())).add("role", "door"));
    assertEquals(422, asViewer.statusCode());
    HttpResponse<Buffer> noRole = page.post(path, path, MultiMap.caseInsensitiveMultiMap()
        .add("staffId", String.valueOf(door.id())).add("role", "chef"));
    assertEquals(422, noRole.statusCode());
    assertTrue(noRole.bodyAsString().contains("href=\"#role\""));
    HttpResponse<Buffer> last = page.post(path, path + "/" + owner.id() + "/ta-bort", MultiMap.caseInsensitiveMultiMap());
    assertEquals(422, last.statusCode());
    assertTrue(last.bodyAsString().contains("minst en arrangör"));
    assertEquals(404, page.get("/arrangor/evenemang/abc/personal").statusCode());
    assertEquals(404, page.post(path, path + "/abc/ta-bort", MultiMap.caseInsensitiveMultiMap()).statusCode());

    HttpResponse<Buffer> ok = page.post(path, path, MultiMap.caseInsensitiveMultiMap()
        .add("staffId", String.valueOf(door.id())).add("role", "door"));
    assertEquals(302, ok.statusCode());
    String shown = page.get(path).bodyAsString();
    assertTrue(shown.contains(door.email()) && shown.contains("Incheckning"), shown);
    assertTrue(page.get("/arrangor/evenemang/" + event).bodyAsString().contains("href=\"" + path + "\""),
        "the event's page links to its staff");
  }

  @Test
  void twoOrganisersRemovingEachOtherAtOnceLeaveOne() {
    long event = PublishedEvent.by(app, owner.token()).title("Workshop").publishId();
    StaffAccount colleague = StaffAccount.create(app, "organiser");
    assertEquals(200, put(owner.token(), event, colleague.id(), role("organiser")).statusCode());
    Future<HttpResponse<Buffer>> a = app.client.delete("/api/v1/events/" + event + "/staff/" + colleague.id())
        .putHeader("Authorization", "Bearer " + owner.token()).send();
    Future<HttpResponse<Buffer>> b = app.client.delete("/api/v1/events/" + event + "/staff/" + owner.id())
        .putHeader("Authorization", "Bearer " + colleague.token()).send();
    List<Integer> statuses = List.of(await(a).statusCode(), await(b).statusCode());
    assertTrue(statuses.contains(204) && statuses.contains(422) || statuses.equals(List.of(204, 403))
        || statuses.equals(List.of(403, 204)), statuses.toString());
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from event_staff where role = 'organiser' and event_id = "
        + event));
    assertFalse(statuses.contains(500));
  }
}
