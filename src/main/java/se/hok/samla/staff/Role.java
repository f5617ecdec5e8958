package se.hok.samla.staff;

import java.util.Locale;

/**
 * What a staff member is: admin (everything), organiser (events), checkin (the door), viewer (the working group: the
 * follow-up, and the action plan it keeps).
 */
public enum Role {
  ADMIN, ORGANISER, CHECKIN, VIEWER;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String code) {
    for (Role r : values()) {
      if (r.code().equals(code)) {
        return r;
      }
    }
    return null;
  }
}
