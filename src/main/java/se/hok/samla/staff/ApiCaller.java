package se.hok.samla.staff;

/**
 * Who an API token speaks for, and how far: a full token carries every right of its account; a door token
 * ({@code doorEventId} set) only the check-in operations of that one event.
 */
public record ApiCaller(StaffMember member, long tokenId, Long doorEventId) {
  public boolean doorOnly() {
    return doorEventId != null;
  }
}
