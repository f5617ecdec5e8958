package se.hok.samla.events;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.FieldChecks;

/**
 * An event as a person typed it, from the organiser form or the API, kept as text so that the form can be
 * shown again exactly as it was sent. {@link #validate} turns it into checked values or field errors.
 */
public record EventInput(
    String title, String titleEn, String kind, String description, String descriptionEn,
    String startsAt, String endsAt, String venueId, String onlineUrl, String capacity,
    String registrationOpensAt, String registrationClosesAt, String year,
    String organiserName, String organiserEmail, List<SessionInput> sessions, String reminderDays,
    String plannedActivityId) {

  public static final ZoneId STOCKHOLM = EventTimes.ZONE;
  static final int MAX_CAPACITY = 100_000;
  /** How many empty session rows the form offers, so sessions can be added without JavaScript. */
  static final int BLANK_SESSION_ROWS = 3;

  /**
   * {@code roomId}: the venue's room the session is held in (its name is then the session's place); {@code room}: the
   * place as text, for a place that is not one of the venue's rooms ("Sal 3"; a room of the venue by that name is
   * taken as that room). Both optional.
   */
  public record SessionInput(String id, String title, String titleEn, String startsAt, String endsAt, String capacity,
                             String room, String roomId) {
    public SessionInput(String id, String title, String titleEn, String startsAt, String endsAt, String capacity) {
      this(id, title, titleEn, startsAt, endsAt, capacity, null, null);
    }

    public SessionInput(String id, String title, String titleEn, String startsAt, String endsAt, String capacity,
                        String room) {
      this(id, title, titleEn, startsAt, endsAt, capacity, room, null);
    }

    boolean blank() {
      return isBlank(title) && isBlank(titleEn) && isBlank(startsAt) && isBlank(endsAt) && isBlank(capacity) && isBlank(room)
          && isBlank(roomId);
    }
  }

  /** Checked values, ready to store. */
  record Data(
      EventKind kind, String titleSv, String titleEn, String descriptionSv, String descriptionEn,
      OffsetDateTime startsAt, OffsetDateTime endsAt, Long venueId, String onlineUrl, int capacity,
      OffsetDateTime registrationOpensAt, OffsetDateTime registrationClosesAt, Integer year,
      String organiserName, String organiserEmail, List<SessionData> sessions, int reminderDays,
      Long plannedActivityId) {}

  record SessionData(Long id, String titleSv, String titleEn, OffsetDateTime startsAt, OffsetDateTime endsAt, int capacity,
                     String room, Long roomId) {}

  public static EventInput fromJson(JsonObject json) {
    List<SessionInput> sessions = new ArrayList<>();
    JsonArray array = json.getJsonArray("sessions", new JsonArray());
    for (int i = 0; i < array.size(); i++) {
      JsonObject s = array.getJsonObject(i);
      sessions.add(new SessionInput(str(s.getValue("id")), str(s.getValue("title")), str(s.getValue("titleEn")),
          str(s.getValue("startsAt")), str(s.getValue("endsAt")), str(s.getValue("capacity")), str(s.getValue("room")),
          str(s.getValue("roomId"))));
    }
    return new EventInput(str(json.getValue("title")), str(json.getValue("titleEn")), str(json.getValue("kind")),
        str(json.getValue("description")), str(json.getValue("descriptionEn")),
        str(json.getValue("startsAt")), str(json.getValue("endsAt")), str(json.getValue("venueId")),
        str(json.getValue("onlineUrl")), str(json.getValue("capacity")),
        str(json.getValue("registrationOpensAt")), str(json.getValue("registrationClosesAt")),
        str(json.getValue("year")), str(json.getValue("organiserName")), str(json.getValue("organiserEmail")),
        sessions, str(json.getValue("reminderDays")), str(json.getValue("plannedActivityId")));
  }

  public static EventInput fromForm(MultiMap form) {
    List<SessionInput> sessions = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String p = "sessions[" + i + "].";
      if (!form.contains(p + "title")) {
        break;
      }
      sessions.add(new SessionInput(form.get(p + "id"), form.get(p + "title"), form.get(p + "titleEn"),
          form.get(p + "startsAt"), form.get(p + "endsAt"), form.get(p + "capacity"), form.get(p + "room"),
          form.get(p + "roomId")));
    }
    return new EventInput(form.get("title"), form.get("titleEn"), form.get("kind"), form.get("description"),
        form.get("descriptionEn"), form.get("startsAt"), form.get("endsAt"), form.get("venueId"),
        form.get("onlineUrl"), form.get("capacity"), form.get("registrationOpensAt"),
        form.get("registrationClosesAt"), form.get("year"), form.get("organiserName"),
        form.get("organiserEmail"), sessions.stream().filter(s -> !s.blank()).toList(), form.get("reminderDays"),
        form.get("plannedActivityId"));
  }

  /** The form's view of a stored event (times in Stockholm local time, as datetime-local fields want). */
  public static EventInput of(Event e) {
    List<SessionInput> sessions = e.sessions().stream()
        .map(s -> new SessionInput(String.valueOf(s.id()), s.titleSv(), s.titleEn(), local(s.startsAt()),
            local(s.endsAt()), String.valueOf(s.capacity()), s.inRoom() == null ? s.room() : null,
            s.inRoom() == null ? null : String.valueOf(s.inRoom().id())))
        .toList();
    return new EventInput(e.titleSv(), e.titleEn(), e.kind().code(), e.descriptionSv(), e.descriptionEn(),
        local(e.startsAt()), local(e.endsAt()), e.venue() == null ? null : String.valueOf(e.venue().id()),
        e.onlineUrl(), String.valueOf(e.capacity()), local(e.registrationOpensAt()),
        local(e.registrationClosesAt()), e.planYear() == null ? null : String.valueOf(e.planYear().year()),
        e.organiserName(), e.organiserEmail(), sessions, String.valueOf(e.reminderDays()),
        e.plannedActivity() == null ? null : String.valueOf(e.plannedActivity().id()));
  }

  /** The sessions plus blank rows for new ones, for the form. */
  public List<SessionInput> sessionRows() {
    List<SessionInput> rows = new ArrayList<>(sessions);
    for (int i = 0; i < BLANK_SESSION_ROWS; i++) {
      rows.add(new SessionInput(null, null, null, null, null, null, null, null));
    }
    return rows;
  }

  Data validate(FieldChecks checks) {
    String titleSv = checks.text("title", title, true, 200);
    String cleanTitleEn = checks.text("titleEn", titleEn, false, 200);
    EventKind eventKind = EventKind.parse(kind);
    if (eventKind == null) {
      checks.add("kind", isBlank(kind) ? "error.required" : "error.event.kind");
    }
    String descSv = checks.text("description", description, false, 10_000);
    String descEn = checks.text("descriptionEn", descriptionEn, false, 10_000);
    OffsetDateTime start = time(checks, "startsAt", startsAt, true);
    OffsetDateTime end = time(checks, "endsAt", endsAt, true);
    if (start != null && end != null && !end.isAfter(start)) {
      checks.add("endsAt", "error.event.endBeforeStart");
    }
    Long venue = null;
    if (!isBlank(venueId)) {
      try {
        venue = Long.parseLong(venueId.strip());
      } catch (NumberFormatException e) {
        checks.add("venueId", "error.event.venueUnknown");
      }
    }
    String url = checks.text("onlineUrl", onlineUrl, false, 500);
    if (url != null && !checks.has("onlineUrl") && !isHttpUrl(url)) {
      checks.add("onlineUrl", "error.url");
    }
    if (venue == null && url == null && !checks.has("venueId") && !checks.has("onlineUrl")) {
      checks.add("venueId", "error.event.placeRequired");
    }
    Integer cap = checks.wholeNumber("capacity", capacity, true, 0, MAX_CAPACITY);
    OffsetDateTime opens = time(checks, "registrationOpensAt", registrationOpensAt, false);
    OffsetDateTime closes = time(checks, "registrationClosesAt", registrationClosesAt, false);
    if (opens != null && closes != null && !closes.isAfter(opens)) {
      checks.add("registrationClosesAt", "error.event.closesBeforeOpens");
    }
    if (closes != null && end != null && closes.isAfter(end)) {
      checks.add("registrationClosesAt", "error.event.closesAfterEnd");
    }
    if (opens != null && start != null && !opens.isBefore(start)) {
      checks.add("registrationOpensAt", "error.event.opensAfterStart");
    }
    Integer planYear = checks.wholeNumber("year", year, false, 2000, 2100);
    String orgName = checks.text("organiserName", organiserName, false, 200);
    String orgEmail = checks.email("organiserEmail", organiserEmail, false);
    Integer reminder = checks.wholeNumber("reminderDays", reminderDays, false, 0, 60);
    Long activity = null;
    if (!isBlank(plannedActivityId)) {
      try {
        activity = Long.parseLong(plannedActivityId.strip());
      } catch (NumberFormatException e) {
        checks.add("plannedActivityId", "error.event.activityUnknown");
      }
    }

    List<SessionData> sessionData = new ArrayList<>();
    for (int i = 0; i < sessions.size(); i++) {
      SessionInput s = sessions.get(i);
      String p = "sessions[" + i + "].";
      Long id = null;
      if (!isBlank(s.id())) {
        try {
          id = Long.parseLong(s.id().strip());
        } catch (NumberFormatException e) {
          checks.add(p + "id", "error.event.sessionUnknown");
        }
      }
      String st = checks.text(p + "title", s.title(), true, 200);
      String stEn = checks.text(p + "titleEn", s.titleEn(), false, 200);
      OffsetDateTime ss = time(checks, p + "startsAt", s.startsAt(), true);
      OffsetDateTime se = time(checks, p + "endsAt", s.endsAt(), true);
      if (ss != null && se != null && !se.isAfter(ss)) {
        checks.add(p + "endsAt", "error.event.endBeforeStart");
      }
      if (ss != null && start != null && ss.isBefore(start)) {
        checks.add(p + "startsAt", "error.event.sessionOutside");
      }
      if (se != null && end != null && se.isAfter(end)) {
        checks.add(p + "endsAt", "error.event.sessionOutside");
      }
      Integer sc = checks.wholeNumber(p + "capacity", s.capacity(), true, 0, MAX_CAPACITY);
      if (sc != null && cap != null && sc > cap) {
        checks.add(p + "capacity", "error.event.sessionCapacity", cap);
      }
      String room = checks.text(p + "room", s.room(), false, 200);
      Long roomId = null;
      if (!isBlank(s.roomId())) {
        try {
          roomId = Long.parseLong(s.roomId().strip());
        } catch (NumberFormatException e) {
          checks.add(p + "roomId", "error.event.roomUnknown");
        }
      }
      sessionData.add(new SessionData(id, st, stEn, ss, se, sc == null ? 0 : sc, room, roomId));
    }
    checks.throwIfAny();
    return new Data(eventKind, titleSv, cleanTitleEn, descSv == null ? "" : descSv, descEn, start, end, venue, url,
        cap, opens, closes, planYear, orgName, orgEmail, sessionData, reminder == null ? 2 : reminder, activity);
  }

  static OffsetDateTime time(FieldChecks checks, String field, String value, boolean required) {
    if (isBlank(value)) {
      if (required) {
        checks.add(field, "error.required");
      }
      return null;
    }
    String v = value.strip();
    try {
      return OffsetDateTime.parse(v);
    } catch (DateTimeException e) {
      try {
        // Form fields (datetime-local) carry no offset: they mean Swedish local time.
        return LocalDateTime.parse(v).atZone(STOCKHOLM).toOffsetDateTime();
      } catch (DateTimeException e2) {
        checks.add(field, "error.dateTime");
        return null;
      }
    }
  }

  static boolean isHttpUrl(String s) {
    try {
      URI uri = new URI(s);
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (Exception e) {
      return false;
    }
  }

  static String local(OffsetDateTime t) {
    return t == null ? null : t.atZoneSameInstant(STOCKHOLM).toLocalDateTime().toString();
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
