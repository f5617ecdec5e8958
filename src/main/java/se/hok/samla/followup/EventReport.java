package se.hok.samla.followup;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One event's follow-up: how many signed up, cancelled (and how late), came, walked in, did not come; per session;
 * the needs there were (counts only); and how the event was rated.
 */
public record EventReport(Info event, Turnout turnout, List<SessionTurnout> sessions, List<NeedCount> needs,
                          Ratings ratings) {

  public record Info(long id, String kind, String titleSv, String titleEn, OffsetDateTime startsAt,
                     OffsetDateTime endsAt, String status, Integer planYear, int capacity) {}

  /**
   * registered = every registration ever made (confirmed + waitlisted + cancelled); attended = registrations with
   * an admission (to the event or any of its sessions) that was not undone; confirmedNotAdmitted = confirmed
   * registrations without one. Cancellations are counted by how long before the start they came: within a day (or
   * after the start), one to seven days, earlier.
   *
   * <p>Attendance is known only when the door was used: an event held without check-in (an online meeting, or an
   * organiser who never opened the door page) has no admission at all, and reading that as "everybody stayed away"
   * would report a 100 % no-show rate for a meeting that may have been full. So with no admission, no-shows and
   * both rates are unknown (null) rather than computed.
   */
  public record Turnout(long registered, long confirmed, long waitlisted, long cancelled, long cancelledWithinDay,
                        long cancelledWithinWeek, long cancelledEarlier, long attended, long walkIns,
                        long confirmedAttended, long confirmedNotAdmitted) {
    /** At least one admission to the event or one of its sessions that was not undone. */
    public boolean attendanceRecorded() {
      return attended > 0;
    }

    /** Confirmed registrations that did not come; null when attendance was not recorded. */
    public Long noShows() {
      return attendanceRecorded() ? confirmedNotAdmitted : null;
    }

    /** No-shows / confirmed; null when nobody is confirmed or attendance was not recorded. */
    public Double noShowRate() {
      return confirmed == 0 || !attendanceRecorded() ? null : (double) confirmedNotAdmitted / confirmed;
    }

    /** The share of confirmed registrations that came: 1 − no-show rate, and unknown when that is. */
    public Double attendanceRate() {
      return confirmed == 0 || !attendanceRecorded() ? null : (double) confirmedAttended / confirmed;
    }
  }

  /** booked = confirmed registrations holding a seat in the session; attended = admissions to the session. */
  public record SessionTurnout(long id, String titleSv, String titleEn, OffsetDateTime startsAt, int capacity,
                               long booked, long attended) {}

  /** How many confirmed registrations stated a need. Shown as "< 3" below {@link #SMALL}, to point at nobody. */
  public record NeedCount(String code, String labelSv, String labelEn, long count) {
    public static final int SMALL = 3;

    public boolean small() {
      return count < SMALL;
    }
  }
}
