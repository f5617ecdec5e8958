package se.hok.samla.events;

import java.time.OffsetDateTime;

/** A parallel session (workshop) of an event; sessions starting at the same time share a time slot. */
public record EventSession(
    long id, String titleSv, String titleEn, OffsetDateTime startsAt, OffsetDateTime endsAt, int capacity, int seatsTaken) {

  public int seatsLeft() {
    return Math.max(0, capacity - seatsTaken);
  }
}
