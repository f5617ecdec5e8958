package se.hok.samla.events;

import java.time.LocalDate;

/**
 * An organisation that takes part. Signatory organisations are the parties to the agreement: since when (null: since
 * before Samla knew the date) and until when (null: still a party). The contact person is whom the working group keeps
 * informed; only staff who keep the register see it.
 */
public record Organisation(long id, String name, String sector, boolean signatory, LocalDate signatorySince,
                           LocalDate signatoryUntil, String contactName, String contactEmail) {

  /** A name and sector only (the public's view, and the follow-up's when it needs no more). */
  public static Organisation of(long id, String name, String sector, boolean signatory) {
    return new Organisation(id, name, sector, signatory, null, null, null, null);
  }

  /** Whether it was a party at any time from {@code from} to {@code to} (inclusive). */
  public boolean partyDuring(LocalDate from, LocalDate to) {
    return signatory && (signatorySince == null || !signatorySince.isAfter(to))
        && (signatoryUntil == null || !signatoryUntil.isBefore(from));
  }
}
