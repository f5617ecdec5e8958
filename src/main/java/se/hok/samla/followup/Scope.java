package se.hok.samla.followup;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import se.hok.samla.events.EventTimes;

/**
 * Which events a follow-up covers: the events of one action-plan year (its theme and focus area), or those that
 * started in a period of dates (inclusive, Swedish time).
 */
public record Scope(Integer year, LocalDate from, LocalDate to) {
  static final ZoneId STOCKHOLM = EventTimes.ZONE;

  public static Scope planYear(int year) {
    return new Scope(year, null, null);
  }

  public static Scope period(LocalDate from, LocalDate to) {
    return new Scope(null, from, to);
  }

  public boolean isYear() {
    return year != null;
  }

  OffsetDateTime fromInstant() {
    return from.atStartOfDay(STOCKHOLM).toOffsetDateTime();
  }

  OffsetDateTime toInstantExclusive() {
    return to.plusDays(1).atStartOfDay(STOCKHOLM).toOffsetDateTime();
  }
}
