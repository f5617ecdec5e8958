package se.hok.samla.registration;

/**
 * A ticket as files: the code in the QR, the reference people read out, the QR image, the PDF and the calendar entry.
 * An online meeting's has only the calendar entry (no door, so nothing to show at one).
 */
public record TicketFiles(String code, String reference, byte[] qrPng, byte[] pdf, String ics) {
  public static TicketFiles calendarOnly(String ics) {
    return new TicketFiles(null, null, null, null, ics);
  }

  public boolean hasTicket() {
    return qrPng != null;
  }
}
