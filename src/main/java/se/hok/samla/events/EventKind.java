package se.hok.samla.events;

import java.util.Locale;

/** The kinds of HÖK activity. Codes are ASCII (API and database); labels come from the messages. */
public enum EventKind {
  SAMVERKANSKONFERENS, DIALOGMOTE, WORKSHOP, SEMINARIUM, UTBILDNING, REMISSMOTE, FRAMTIDSFORUM, ANNAT;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EventKind parse(String code) {
    if (code == null) {
      return null;
    }
    for (EventKind k : values()) {
      if (k.code().equals(code.strip().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    return null;
  }
}
