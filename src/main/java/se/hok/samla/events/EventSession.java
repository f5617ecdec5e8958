package se.hok.samla.events;

import java.time.OffsetDateTime;

/**
 * A parallel session (workshop) of an event; sessions starting at the same time share a time slot. {@code room}: where
 * in the venue it is held ("Sal 3"), as printed on tickets, or null; {@code inRoom}: the venue's room it is held in,
 * with that room's accessibility facts, or null (a place given only as text).
 */
public record EventSession(
    long id, String titleSv, String titleEn, OffsetDateTime startsAt, OffsetDateTime endsAt, int capacity, int seatsTaken,
    String room, Room inRoom) {

  public EventSession(long id, String titleSv, String titleEn, OffsetDateTime startsAt, OffsetDateTime endsAt, int capacity,
                      int seatsTaken, String room) {
    this(id, titleSv, titleEn, startsAt, endsAt, capacity, seatsTaken, room, null);
  }

  public EventSession(long id, String titleSv, String titleEn, OffsetDateTime startsAt, OffsetDateTime endsAt, int capacity,
                      int seatsTaken) {
    this(id, titleSv, titleEn, startsAt, endsAt, capacity, seatsTaken, null);
  }

  public int seatsLeft() {
    return Math.max(0, capacity - seatsTaken);
  }
}
