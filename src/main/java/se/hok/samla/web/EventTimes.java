package se.hok.samla.web;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

/**
 * How Samla says when something happens: every event takes place in Halland, so times are shown, and days counted,
 * in Swedish time, whatever the server's zone; and each language writes a date one way, on pages, in e-mails, on
 * tickets and in calendar files alike.
 */
public final class EventTimes {
  /** The one zone of every event. */
  public static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");

  /** "09:00". */
  public static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

  /** "2026-04-14 09:00": staff pages' timestamps (lists of mail, keys, staff), the same in both languages. */
  public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private static final DateTimeFormatter WEEKDAY_DATE_SV = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Lang.SV.locale());
  private static final DateTimeFormatter WEEKDAY_DATE_EN = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Lang.EN.locale());
  private static final DateTimeFormatter DATE_SV = DateTimeFormatter.ofPattern("d MMMM yyyy", Lang.SV.locale());
  private static final DateTimeFormatter DATE_EN = DateTimeFormatter.ofPattern("d MMMM yyyy", Lang.EN.locale());
  private static final DateTimeFormatter DATE_CLOCK_SV = DateTimeFormatter.ofPattern("d MMMM yyyy 'kl.' HH:mm", Lang.SV.locale());
  private static final DateTimeFormatter DATE_CLOCK_EN = DateTimeFormatter.ofPattern("d MMMM yyyy 'at' HH:mm", Lang.EN.locale());

  private EventTimes() {}

  /** "tisdag 14 april 2026" / "Tuesday 14 April 2026". */
  public static DateTimeFormatter weekdayDate(Lang lang) {
    return lang == Lang.EN ? WEEKDAY_DATE_EN : WEEKDAY_DATE_SV;
  }

  /** "14 april 2026" / "14 April 2026". */
  public static DateTimeFormatter date(Lang lang) {
    return lang == Lang.EN ? DATE_EN : DATE_SV;
  }

  /** "14 april 2026 kl. 09:00" / "14 April 2026 at 09:00". */
  public static DateTimeFormatter dateAndClock(Lang lang) {
    return lang == Lang.EN ? DATE_CLOCK_EN : DATE_CLOCK_SV;
  }

  /** A moment in Swedish time. */
  public static ZonedDateTime local(OffsetDateTime t) {
    return t.atZoneSameInstant(ZONE);
  }

  /** The clock time of a moment in Swedish time: "09:00". */
  static String clock(OffsetDateTime t) {
    return CLOCK.format(local(t));
  }

  /** "10:00–11:00": the hours of a session (or a day's event), in Swedish time. */
  public static String hours(OffsetDateTime start, OffsetDateTime end) {
    return clock(start) + "–" + clock(end);
  }

  /**
   * When an event (or a session) takes place: "tisdag 14 april 2026, 09:00–16:00", or over several days
   * "tisdag 14 april 2026 09:00 – onsdag 15 april 2026 16:00".
   */
  public static String span(OffsetDateTime start, OffsetDateTime end, Lang lang) {
    ZonedDateTime s = local(start);
    ZonedDateTime e = local(end);
    DateTimeFormatter day = weekdayDate(lang);
    return s.toLocalDate().equals(e.toLocalDate())
        ? day.format(s) + ", " + CLOCK.format(s) + "–" + CLOCK.format(e)
        : day.format(s) + " " + CLOCK.format(s) + " – " + day.format(e) + " " + CLOCK.format(e);
  }

  /** The same, starting with a capital, as a line of its own says it: "Tisdag 14 april 2026, 09:00–16:00". */
  public static String when(OffsetDateTime start, OffsetDateTime end, Lang lang) {
    return capitalized(span(start, end, lang), lang);
  }

  /** A date, a date and time, a weekday, … in this language's way (see the formatters above), in Swedish time. */
  public static String format(DateTimeFormatter format, TemporalAccessor t) {
    return format.format(t instanceof OffsetDateTime o ? local(o) : t);
  }

  static String capitalized(String text, Lang lang) {
    return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(lang.locale()) + text.substring(1);
  }
}
