package se.hok.samla.events;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * An event as stored, with its venue (if any), action-plan year, the planned activity it carries out and sessions. A
 * cancelled event may have the reason ({@code cancelReason}) and the new date ({@code rescheduledTo}) its organiser gave.
 */
public record Event(
    long id,
    EventKind kind,
    String titleSv,
    String titleEn,
    String descriptionSv,
    String descriptionEn,
    OffsetDateTime startsAt,
    OffsetDateTime endsAt,
    Venue venue,
    String onlineUrl,
    int capacity,
    int seatsTaken,
    OffsetDateTime registrationOpensAt,
    OffsetDateTime registrationClosesAt,
    EventStatus status,
    PlanYear planYear,
    String organiserName,
    String organiserEmail,
    List<EventSession> sessions,
    int reminderDays,
    String cancelReason,
    java.time.LocalDate rescheduledTo,
    PlannedActivity plannedActivity) {

  /** Held online only: no venue, a meeting link. There is no door, so no ticket to show at one. */
  public boolean onlineOnly() {
    return venue == null && onlineUrl != null && !onlineUrl.isBlank();
  }

  /** Has a meeting link (online only, or at a venue and online too). */
  public boolean online() {
    return onlineUrl != null && !onlineUrl.isBlank();
  }

  public int seatsLeft() {
    return Math.max(0, capacity - seatsTaken);
  }

  /** Whether a sign-up would be accepted at {@code now}. */
  public boolean registrationOpen(OffsetDateTime now) {
    return status == EventStatus.PUBLISHED
        && (registrationOpensAt == null || !now.isBefore(registrationOpensAt))
        && (registrationClosesAt == null ? now.isBefore(startsAt) : now.isBefore(registrationClosesAt));
  }

  public boolean isPast(OffsetDateTime now) {
    return endsAt.isBefore(now);
  }
}
