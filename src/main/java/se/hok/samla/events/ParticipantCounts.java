package se.hok.samla.events;

import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;

/**
 * What the organiser pages of events need to know about the people registered, as counts only (no names, no needs):
 * supplied by the registration package, which owns registrations and the organisers' tasks.
 */
public interface ParticipantCounts {
  /** An event's needs still to book (open tasks), and the earliest date by which one of them must be booked. */
  record NeedsToBook(long count, LocalDate firstBookBy) {}

  /** Per event id with needs still to book; events without any are left out. */
  Future<Map<Long, NeedsToBook>> needsToBook(Collection<Long> eventIds);

  /** Who would be e-mailed if the event were cancelled now: confirmed and waitlisted people with an address. */
  record ToTell(long confirmed, long waitlisted, long withoutEmail) {}

  Future<ToTell> toTell(long eventId);
}
