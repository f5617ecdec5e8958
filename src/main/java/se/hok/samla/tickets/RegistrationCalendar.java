package se.hok.samla.tickets;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.TzId;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import se.hok.samla.web.EventTimes;

/**
 * One registration as an .ics to put in one's own calendar (attached to the ticket mails, offered on the manage page):
 * the event, and each chosen session as an entry of its own.
 *
 * <p>The UID belongs to the registration, not the event, and stays the same for its whole life; each change is sent
 * with a higher SEQUENCE, so calendar programs update the entry they already have instead of adding a second one.
 * METHOD:PUBLISH, not REQUEST: a REQUEST needs an ORGANIZER and ATTENDEE and makes mail programs offer to answer an
 * invitation, which this is not. A cancellation is the same UID with STATUS:CANCELLED (METHOD:CANCEL would need
 * the same ORGANIZER and ATTENDEE).
 */
public final class RegistrationCalendar {
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;
  /**
   * Made once: copying ical4j's zone (it does so with parallel streams) was a tenth of a ticket e-mail's CPU time.
   * ical4j 4 components keep their properties in immutable lists, so one instance serves every calendar and thread.
   */
  private static final VTimeZone STOCKHOLM_ZONE = se.hok.samla.events.Calendars.stockholmZone();

  private RegistrationCalendar() {}

  /**
   * @param location  where it is held (a venue's name and address, or the online link); may be null
   * @param description  free text; the manage link is added after it
   * @param url  the registration's manage page
   * @param sequence  0 for the first version, higher for each change
   * @param host  the service's host name, to make the UID globally unique
   */
  public static String ics(UUID registrationId, String title, OffsetDateTime start, OffsetDateTime end,
                           String location, String description, String url, int sequence, String host,
                           boolean cancelled) {
    return ics(registrationId, title, start, end, location, description, url, sequence, host, cancelled, List.of(), List.of());
  }

  /**
   * A chosen session, as its own entry: its title, time and room (the event's place is added after the room).
   */
  public record SessionEntry(long id, String title, OffsetDateTime start, OffsetDateTime end, String room) {}

  /**
   * The registration's entry and one entry per chosen session, each with its own time (UID of the registration and
   * the session, so a later version updates it); {@code dropped}: sessions the registration had and has no more, sent
   * as cancelled entries so a calendar that had them takes them out. With {@code cancelled}, every entry is cancelled.
   */
  public static String ics(UUID registrationId, String title, OffsetDateTime start, OffsetDateTime end,
                           String location, String description, String url, int sequence, String host,
                           boolean cancelled, List<SessionEntry> sessions, List<SessionEntry> dropped) {
    Objects.requireNonNull(registrationId, "registrationId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative");
    }
    Calendar calendar = new Calendar()
        .add(new ProdId("-//HÖK//Samla//SV"))
        .add(ImmutableVersion.VERSION_2_0)
        .add(ImmutableCalScale.GREGORIAN)
        .add(ImmutableMethod.PUBLISH);
    calendar.add(STOCKHOLM_ZONE);

    VEvent event = new VEvent(start.atZoneSameInstant(STOCKHOLM), end.atZoneSameInstant(STOCKHOLM),
        title == null ? "" : title);
    event.add(new Uid(uid(registrationId, host)));
    event.add(new Sequence(sequence));
    event.add(new Status(cancelled ? Status.VALUE_CANCELLED : Status.VALUE_CONFIRMED));
    if (location != null && !location.isBlank()) {
      event.add(new Location(location));
    }
    String text = description == null || description.isBlank() ? "" : description.strip();
    if (url != null && !url.isBlank()) {
      text = text.isEmpty() ? url : text + "\n\n" + url;
      try {
        event.add(new Url(URI.create(url)));
      } catch (IllegalArgumentException e) {
        // not a URI a calendar could open: it stays in the description as text
      }
    }
    if (!text.isEmpty()) {
      event.add(new Description(text));
    }
    calendar.add(event);
    for (SessionEntry s : sessions) {
      calendar.add(session(registrationId, title, s, location, url, sequence, host, cancelled));
    }
    for (SessionEntry s : dropped) {
      calendar.add(session(registrationId, title, s, location, url, sequence, host, true));
    }
    return calendar.toString();
  }

  private static VEvent session(UUID registrationId, String eventTitle, SessionEntry s, String location, String url,
                                int sequence, String host, boolean cancelled) {
    String summary = (s.title() == null ? "" : s.title()) + (eventTitle == null || eventTitle.isBlank() ? "" : " – " + eventTitle);
    VEvent event = new VEvent(s.start().atZoneSameInstant(STOCKHOLM), s.end().atZoneSameInstant(STOCKHOLM), summary);
    event.add(new Uid(sessionUid(registrationId, s.id(), host)));
    event.add(new Sequence(sequence));
    event.add(new Status(cancelled ? Status.VALUE_CANCELLED : Status.VALUE_CONFIRMED));
    String room = s.room() == null || s.room().isBlank() ? null : s.room().strip();
    String where = room == null ? location : location == null || location.isBlank() ? room : room + ", " + location;
    if (where != null && !where.isBlank()) {
      event.add(new Location(where));
    }
    if (url != null && !url.isBlank()) {
      event.add(new Description(url));
      try {
        event.add(new Url(URI.create(url)));
      } catch (IllegalArgumentException e) {
        // the description has it as text
      }
    }
    return event;
  }

  /** A chosen session's UID: the registration's and the session's, the same in every version. */
  static String sessionUid(UUID registrationId, long sessionId, String host) {
    return "registration-" + registrationId + "-session-" + sessionId + "@" + (host == null || host.isBlank() ? "samla" : host);
  }

  /** The registration's UID: the same in every version of its .ics. */
  static String uid(UUID registrationId, String host) {
    return "registration-" + registrationId + "@" + (host == null || host.isBlank() ? "samla" : host);
  }
}
