package se.hok.samla.events;

/**
 * A room of a venue, with its own accessibility facts: a hearing loop in the hall is not one in the group rooms.
 * {@code wheelchairPlaces}: how many wheelchair users the room takes (0: none, or not known).
 */
public record Room(long id, long venueId, String name, boolean hearingLoop, boolean stepFree, int wheelchairPlaces,
                   String notes) {

  /** Whether the room has what a need asks of a room; a need that asks nothing of the room is always met. */
  public boolean meets(String needCode) {
    return switch (needCode) {
      case "horslinga" -> hearingLoop;
      case "rullstolsplats" -> stepFree && wheelchairPlaces > 0;
      default -> true;
    };
  }
}
