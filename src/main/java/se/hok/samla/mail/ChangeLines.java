package se.hok.samla.mail;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import se.hok.samla.events.Event;
import se.hok.samla.events.EventSession;
import se.hok.samla.registration.Registration;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;

/**
 * What an "Ändrat" e-mail ({@code event_changed}) says changed: each change its notice recorded (what it was before the
 * first edit, see events.ChangeNotices), compared with the event as it is now, in the reader's language – "Time: now
 * …, was …". A change undone since says nothing; a session the person no longer has, or that is gone, neither.
 */
final class ChangeLines {
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;

  private ChangeLines() {}

  static List<String> of(JsonObject payload, Registration r, Event e, Lang lang) {
    JsonObject changes = payload == null ? new JsonObject() : payload.getJsonObject("changes", new JsonObject());
    List<String> lines = new ArrayList<>();
    JsonObject time = changes.getJsonObject("time");
    if (time != null) {
      OffsetDateTime start = time(time.getString("startsAt"));
      OffsetDateTime end = time(time.getString("endsAt"));
      if (start != null && end != null && (!start.isEqual(e.startsAt()) || !end.isEqual(e.endsAt()))) {
        lines.add(msg(lang, "notices.change.time", span(e.startsAt(), e.endsAt(), lang), span(start, end, lang)));
      }
    }
    JsonObject venue = changes.getJsonObject("venue");
    if (venue != null) {
      Long was = venue.getLong("id");
      Long is = e.venue() == null ? null : e.venue().id();
      if (!Objects.equals(was, is)) {
        String now = e.venue() == null ? msg(lang, "notices.change.onlineOnly") : e.venue().name() + ", " + e.venue().address();
        String before = was == null ? msg(lang, "notices.change.onlineOnly") : venue.getString("name", "");
        lines.add(msg(lang, "notices.change.place", now, before));
      }
    }
    JsonObject link = changes.getJsonObject("onlineUrl");
    if (link != null && r.isConfirmed()) {
      String was = blankToNull(link.getString("url"));
      String is = blankToNull(e.onlineUrl());
      if (!Objects.equals(was, is)) {
        lines.add(msg(lang, is == null ? "notices.change.linkGone" : was == null ? "notices.change.linkNew"
            : "notices.change.link"));
      }
    }
    for (EventSession s : e.sessions()) {
      JsonObject session = changes.getJsonObject("session:" + s.id());
      if (session == null || !r.sessions().contains(s.id())) {
        continue;
      }
      OffsetDateTime start = time(session.getString("startsAt"));
      OffsetDateTime end = time(session.getString("endsAt"));
      String room = blankToNull(session.getString("room"));
      boolean moved = start != null && end != null && (!start.isEqual(s.startsAt()) || !end.isEqual(s.endsAt()));
      if (moved || !Objects.equals(room, blankToNull(s.room()))) {
        String title = lang == Lang.EN && s.titleEn() != null && !s.titleEn().isBlank() ? s.titleEn() : s.titleSv();
        lines.add(msg(lang, "notices.change.session", title, sessionPlace(s.startsAt(), s.endsAt(), blankToNull(s.room()), lang),
            sessionPlace(start == null ? s.startsAt() : start, end == null ? s.endsAt() : end, room, lang)));
      }
    }
    return lines;
  }

  /** "tisdag 14 april 2026, 09:00–16:00" (Swedish time). */
  static String span(OffsetDateTime start, OffsetDateTime end, Lang lang) {
    return EventTimes.span(start, end, lang);
  }

  private static String sessionPlace(OffsetDateTime start, OffsetDateTime end, String room, Lang lang) {
    String when = span(start, end, lang);
    return room == null ? when : when + ", " + room;
  }

  private static OffsetDateTime time(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static String msg(Lang lang, String key, Object... args) {
    return Messages.get(lang, key, args);
  }
}
