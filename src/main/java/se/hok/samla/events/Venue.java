package se.hok.samla.events;

/** A place events are held, with the accessibility facts participants ask about. */
public record Venue(
    long id,
    String name,
    String address,
    boolean stepFreeEntrance,
    boolean hearingLoop,
    boolean accessibleToilet,
    boolean disabledParking,
    String accessibilityNotes) {}
