package se.hok.samla.events;

/**
 * One of a plan year's planned activities: what the working group means to do ("Dialogmöten mellan Region Hallands
 * psykiatri och idéburna aktörer"), of which kind if it is an event (null: not an event, e.g. a website), with an
 * optional target ("två öppna aktiviteter") and notes. Events carry it out by being linked to it.
 */
public record PlannedActivity(long id, int year, String title, String kind, String target, String notes,
                              int position) {}
