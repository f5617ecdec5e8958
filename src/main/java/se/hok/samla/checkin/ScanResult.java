package se.hok.samla.checkin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The answer to one scan. {@code result}: ok, already_checked_in, cancelled, waitlisted, wrong_event,
 * not_in_session (a session desk, and the person did not choose that session), invalid, revoked, too_early and
 * too_late (outside the door's hours, {@code doorOpens} to {@code doorCloses}), test (a test scan: recorded, never
 * counted; {@code wouldBe} is what a real scan would have answered, the door's hours aside). The person is known for
 * every result but invalid; for wrong_event only their name and the event the ticket is for.
 */
public record ScanResult(String result, UUID registrationId, Long eventId, String name, String organisation,
                         Boolean companion, String reference, JsonArray needs, String eventTitleSv, String eventTitleEn,
                         Long checkinId, OffsetDateTime firstCheckinAt, String firstDeviceId, String wouldBe,
                         OffsetDateTime doorOpens, OffsetDateTime doorCloses) {

  record First(long checkinId, OffsetDateTime at, String deviceId) {}

  static ScanResult from(Row r) {
    return new ScanResult(r.getString("result"), r.getUUID("registration_id"), r.getLong("event_id"), r.getString("name"),
        r.getString("organisation"), r.getBoolean("companion"), r.getString("reference"),
        CheckinService.jsonArray(r.getValue("needs")),
        r.getString("title_sv"), r.getString("title_en"), r.getLong("checkin_id"), r.getOffsetDateTime("first_at"),
        r.getString("first_device"), "admit".equals(r.getString("would_be")) ? "ok" : r.getString("would_be"),
        r.getOffsetDateTime("door_opens"), r.getOffsetDateTime("door_closes"));
  }

  ScanResult withFirst(First first) {
    return first == null ? this : new ScanResult(result, registrationId, eventId, name, organisation, companion, reference,
        needs, eventTitleSv, eventTitleEn, first.checkinId(), first.at(), first.deviceId(), wouldBe, doorOpens, doorCloses);
  }

  public boolean admitted() {
    return "ok".equals(result);
  }

  /** The API's answer. Needs only where the person is let in (or already in): what the door should act on now. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("result", result);
    if (registrationId != null) {
      JsonObject reg = new JsonObject()
          .put("id", registrationId.toString())
          .put("name", name)
          .put("organisation", organisation)
          .put("companion", companion)
          .put("reference", reference);
      boolean inside = "ok".equals(result) || "already_checked_in".equals(result);
      reg.put("needs", inside ? needs : new JsonArray());
      json.put("registration", reg);
      if ("wrong_event".equals(result)) {
        json.put("event", new JsonObject().put("id", eventId).put("title", eventTitleSv).put("titleEn", eventTitleEn));
      }
    }
    if ("test".equals(result)) {
      json.put("wouldBe", wouldBe);
    }
    if ("too_early".equals(result) || "too_late".equals(result)) {
      json.put("doorOpens", doorOpens == null ? null : doorOpens.toString())
          .put("doorCloses", doorCloses == null ? null : doorCloses.toString());
    }
    if ("ok".equals(result) || "already_checked_in".equals(result)) {
      json.put("checkinId", checkinId)
          .put("firstCheckinAt", firstCheckinAt == null ? null : firstCheckinAt.toString())
          .put("firstDeviceId", firstDeviceId);
    }
    return json;
  }
}
