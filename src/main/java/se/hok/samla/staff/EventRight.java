package se.hok.samla.staff;

/**
 * What a person may do with one event. Decided by {@link EventAccess} from the account's role and the event's staff
 * ({@link EventStaff}); admins have every right on every event.
 */
public enum EventRight {
  /** The event's organisers: its facts, participants, needs, diet, tasks, mail, feedback comments, exports, staff. */
  MANAGE,
  /** Its door staff and organisers: the door page, live counts and the check-in operations. */
  DOOR,
  /** The follow-up figures of any event (counts, "< 3" rule, ratings): viewers, organisers and admins. */
  FIGURES
}
