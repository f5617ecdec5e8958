package se.hok.samla.events;

import java.util.Locale;

/** Draft events are seen by staff only; published ones by everyone; cancelled ones stay visible as cancelled. */
public enum EventStatus {
  DRAFT, PUBLISHED, CANCELLED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EventStatus parse(String code) {
    for (EventStatus s : values()) {
      if (s.code().equals(code)) {
        return s;
      }
    }
    return null;
  }
}
