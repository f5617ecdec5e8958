package se.hok.samla.events;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import se.hok.samla.web.FieldChecks;

/** A venue as typed in the organiser form or the API. */
public record VenueInput(
    String name, String address, boolean stepFreeEntrance, boolean hearingLoop, boolean accessibleToilet,
    boolean disabledParking, String accessibilityNotes) {

  public static VenueInput fromJson(JsonObject json) {
    JsonObject a = json.getJsonObject("accessibility", new JsonObject());
    return new VenueInput(json.getString("name"), json.getString("address"),
        a.getBoolean("stepFreeEntrance", false), a.getBoolean("hearingLoop", false),
        a.getBoolean("accessibleToilet", false), a.getBoolean("disabledParking", false), a.getString("notes"));
  }

  public static VenueInput fromForm(MultiMap form) {
    return new VenueInput(form.get("name"), form.get("address"), form.contains("stepFreeEntrance"),
        form.contains("hearingLoop"), form.contains("accessibleToilet"), form.contains("disabledParking"),
        form.get("accessibilityNotes"));
  }

  VenueInput validate() {
    FieldChecks checks = FieldChecks.forForm("venue");
    String n = checks.text("name", name, true, 200);
    String a = checks.text("address", address, true, 500);
    String notes = checks.text("accessibilityNotes", accessibilityNotes, false, 2000);
    checks.throwIfAny();
    return new VenueInput(n, a, stepFreeEntrance, hearingLoop, accessibleToilet, disabledParking, notes);
  }
}
