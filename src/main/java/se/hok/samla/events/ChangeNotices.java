package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a saved change of an event means for the people registered: when a published event that is not over gets
 * another time, place or online link, or one of its sessions another time or room, everyone it concerns gets an
 * "Ändrat" e-mail ({@code event_changed}) saying what changed, with their ticket and calendar file as they are now.
 *
 * <p>Who: the time and the place concern everyone confirmed or waiting; the link only the confirmed (the waiting list
 * does not have it); a session only those who chose it. The e-mail records what each thing was before ("before" values
 * of the first edit), and is rendered from the event as it is when it is sent, so it says "was X, is now Y" and a change
 * undone in the meantime says nothing (no e-mail at all if nothing is left).
 *
 * <p>A burst of edits gives one e-mail: the notice waits {@code delay} and each further edit within it is merged into
 * the waiting e-mail, which waits {@code delay} again (see {@link EventMails#noticeChanges}). Edits of one event are
 * serialised by the event row's lock, which {@link EventService#update} holds.
 */
public final class ChangeNotices {
  private ChangeNotices() {}

  /** Who is told: how many confirmed and waiting, and which kinds of change ("time", "venue", "onlineUrl", "session"). */
  public record Told(int confirmed, int waitlisted, List<String> what) {
    static final Told NOBODY = new Told(0, 0, List.of());

    public int total() {
      return confirmed + waitlisted;
    }
  }

  /** Compares the event before and after the edit and writes (or merges) the notices, in the edit's transaction. */
  static Future<Told> tell(SqlConnection conn, EventMails mails, Event before, Event after, String note, Duration delay, OffsetDateTime now) {
    if (before.status() != EventStatus.PUBLISHED || after.status() != EventStatus.PUBLISHED
        || !after.endsAt().isAfter(now)) {
      return Future.succeededFuture(Told.NOBODY);
    }
    JsonObject everyone = new JsonObject();
    List<String> what = new ArrayList<>();
    if (!before.startsAt().isEqual(after.startsAt()) || !before.endsAt().isEqual(after.endsAt())) {
      everyone.put("time", new JsonObject().put("startsAt", before.startsAt().toString())
          .put("endsAt", before.endsAt().toString()));
      what.add("time");
    }
    if (!Objects.equals(venueId(before), venueId(after))) {
      everyone.put("venue", before.venue() == null ? new JsonObject()
          : new JsonObject().put("id", before.venue().id()).put("name", before.venue().name())
              .put("address", before.venue().address()));
      what.add("venue");
    }
    JsonObject confirmed = new JsonObject();
    if (!Objects.equals(link(before), link(after))) {
      confirmed.put("onlineUrl", new JsonObject().put("url", link(before)));
      what.add("onlineUrl");
    }
    JsonObject sessions = new JsonObject();
    Map<Long, EventSession> now2 = after.sessions().stream().collect(Collectors.toMap(EventSession::id, Function.identity()));
    for (EventSession s : before.sessions()) {
      EventSession later = now2.get(s.id());
      if (later != null && (!s.startsAt().isEqual(later.startsAt()) || !s.endsAt().isEqual(later.endsAt())
          || !Objects.equals(blankToNull(s.room()), blankToNull(later.room())))) {
        sessions.put(String.valueOf(s.id()), new JsonObject().put("title", s.titleSv()).put("startsAt", s.startsAt().toString())
            .put("endsAt", s.endsAt().toString()).put("room", blankToNull(s.room())));
      }
    }
    if (!sessions.isEmpty()) {
      what.add("session");
    }
    if (everyone.isEmpty() && confirmed.isEmpty() && sessions.isEmpty()) {
      return Future.succeededFuture(Told.NOBODY);
    }
    JsonArray notes = note == null || note.isBlank() ? new JsonArray() : new JsonArray().add(note.strip());
    return mails.noticeChanges(conn, after.id(), everyone, confirmed, sessions, notes, delay)
        .map(counts -> new Told(counts[0], counts[1], List.copyOf(what)));
  }

  private static Long venueId(Event e) {
    return e.venue() == null ? null : e.venue().id();
  }

  private static String link(Event e) {
    return blankToNull(e.onlineUrl());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
