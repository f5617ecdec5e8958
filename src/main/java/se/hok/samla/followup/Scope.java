package se.hok.samla.followup;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import se.hok.samla.web.EventTimes;

/**
 * Which events a follow-up covers: the events of one action-plan year (its theme and focus area), or those that
 * started in a period of dates (inclusive, Swedish time).
 *
 * <p>Not "isYear": templates read {@code scope.year}, and Pebble tries {@code isYear()} before {@code year()}, which
 * once printed "Årsuppföljning true att skriva ut" and linked to /uppfoljning/ar/true.
 */
public record Scope(Integer year, LocalDate from, LocalDate to) {
  static final ZoneId STOCKHOLM = EventTimes.ZONE;

  public static Scope planYear(int year) {
    return new Scope(year, null, null);
  }

  public static Scope period(LocalDate from, LocalDate to) {
    return new Scope(null, from, to);
  }

  public boolean isPlanYear() {
    return year != null;
  }

  /** The scope's first day: 1 January of a plan year, or the period's first day. */
  public LocalDate firstDay() {
    return year != null ? LocalDate.of(year, 1, 1) : from;
  }

  /** The scope's last day: 31 December of a plan year, or the period's last day. */
  public LocalDate lastDay() {
    return year != null ? LocalDate.of(year, 12, 31) : to;
  }

  OffsetDateTime fromInstant() {
    return from.atStartOfDay(STOCKHOLM).toOffsetDateTime();
  }

  OffsetDateTime toInstantExclusive() {
    return to.plusDays(1).atStartOfDay(STOCKHOLM).toOffsetDateTime();
  }
}
