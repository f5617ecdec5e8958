package se.hok.samla.events;

import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;

/**
 * An event as a page shows it: texts in the reader's language, times in Swedish local time. Where an English page
 * shows the Swedish text (no English one was written), {@code titleLang} / {@code descriptionLang} say so ("sv"), so
 * the page marks it {@code lang="sv"} and screen readers read it in Swedish (WCAG 3.1.2); otherwise they are null.
 */
public record EventView(
    Event event,
    String title,
    String description,
    String kindLabel,
    String date,
    String time,
    String isoStart,
    String isoEnd,
    String registrationCloses,
    boolean registrationOpen,
    boolean past,
    List<Slot> slots,
    String titleLang,
    String descriptionLang) {

  /** Sessions that run side by side. */
  public record Slot(String time, List<SessionView> sessions) {}

  public record SessionView(EventSession session, String title, int seatsLeft, String titleLang) {}

  public static EventView of(Event e, Lang lang, OffsetDateTime now) {
    ZonedDateTime start = EventTimes.local(e.startsAt());
    ZonedDateTime end = EventTimes.local(e.endsAt());
    DateTimeFormatter day = EventTimes.weekdayDate(lang);
    DateTimeFormatter hm = EventTimes.CLOCK;
    String date = day.format(start);
    String time = hm.format(start) + "–" + hm.format(end);
    if (!start.toLocalDate().equals(end.toLocalDate())) {
      date = date + " – " + day.format(end);
      time = hm.format(start) + " – " + hm.format(end);
    }
    String closes = e.registrationClosesAt() == null ? null
        : EventTimes.dateAndClock(lang).format(EventTimes.local(e.registrationClosesAt()));
    Map<String, List<SessionView>> slots = new LinkedHashMap<>();
    for (EventSession s : e.sessions()) {
      String slotTime = EventTimes.hours(s.startsAt(), s.endsAt());
      slots.computeIfAbsent(slotTime, k -> new ArrayList<>())
          .add(new SessionView(s, pick(lang, s.titleSv(), s.titleEn()), s.seatsLeft(), swedishIn(lang, s.titleEn())));
    }
    List<Slot> slotList = new ArrayList<>();
    slots.forEach((t, list) -> slotList.add(new Slot(t, list)));
    return new EventView(e, pick(lang, e.titleSv(), e.titleEn()), pick(lang, e.descriptionSv(), e.descriptionEn()),
        Messages.get(lang, "kind." + e.kind().code()), capitalize(date), time,
        start.toOffsetDateTime().toString(), end.toOffsetDateTime().toString(), closes,
        e.registrationOpen(now), e.isPast(now), slotList, swedishIn(lang, e.titleEn()),
        e.descriptionSv() == null || e.descriptionSv().isBlank() ? null : swedishIn(lang, e.descriptionEn()));
  }

  /** "sv" when a page in {@code lang} shows the Swedish text because {@code english} is missing; else null. */
  static String swedishIn(Lang lang, String english) {
    return lang == Lang.EN && (english == null || english.isBlank()) ? "sv" : null;
  }

  static String pick(Lang lang, String sv, String en) {
    return lang == Lang.EN && en != null && !en.isBlank() ? en : sv;
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
