package se.hok.samla.events;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import se.hok.samla.web.FieldChecks;

/** A room as typed in the venues page or the API. */
public record RoomInput(String name, boolean hearingLoop, boolean stepFree, String wheelchairPlaces, String notes) {

  public static RoomInput fromJson(JsonObject json) {
    Object places = json.getValue("wheelchairPlaces");
    return new RoomInput(json.getValue("name") == null ? null : String.valueOf(json.getValue("name")),
        Boolean.TRUE.equals(json.getValue("hearingLoop")), Boolean.TRUE.equals(json.getValue("stepFree")),
        places == null ? null : String.valueOf(places),
        json.getValue("notes") == null ? null : String.valueOf(json.getValue("notes")));
  }

  public static RoomInput fromForm(MultiMap form) {
    return new RoomInput(form.get("roomName"), form.contains("roomHearingLoop"), form.contains("roomStepFree"),
        form.get("roomWheelchairPlaces"), form.get("roomNotes"));
  }

  /** Checked values. */
  record Data(String name, boolean hearingLoop, boolean stepFree, int wheelchairPlaces, String notes) {}

  /** Errors name the fields as the API does ({@code name}, {@code wheelchairPlaces} …), with {@code prefix} before. */
  Data validate(String prefix) {
    FieldChecks checks = FieldChecks.forForm("room");
    String n = checks.text(prefix + "name", name, true, 200);
    Integer places = checks.wholeNumber(prefix + "wheelchairPlaces", wheelchairPlaces, false, 0, 1000);
    String cleanNotes = checks.text(prefix + "notes", notes, false, 2000);
    checks.throwIfAny();
    return new Data(n, hearingLoop, stepFree, places == null ? 0 : places, cleanNotes);
  }
}
