package se.hok.samla.tickets;

import java.util.UUID;

/**
 * What a scanned code turned out to be. INVALID: not a code Samla signed (forged, altered, misread); the ids are
 * then null. REVOKED: a genuine code that no longer admits anyone (replaced by a newer ticket, its registration
 * cancelled or not confirmed, its event cancelled). VALID: admits the registration to event {@code eventId} (the
 * check-in desk compares it with its own event).
 */
public record Verification(Result result, Long ticketId, Long eventId, UUID registrationId) {
  public enum Result { VALID, INVALID, REVOKED }

  static Verification invalid() {
    return new Verification(Result.INVALID, null, null, null);
  }

  public boolean valid() {
    return result == Result.VALID;
  }
}
