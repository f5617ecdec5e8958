package se.hok.samla.registration;

import io.vertx.core.Future;
import java.util.List;
import se.hok.samla.events.Event;

/**
 * The files of a registration's ticket (QR, PDF, calendar file), made from the ticket by the mail feature
 * ({@code mail/TicketMailFiles}) and handed in by Main: the ticket e-mails ({@code MailRenderer}) and the ticket at
 * hand ({@link TicketAtHand}) take them through this interface, which registration owns, so that neither reaches up
 * into the package that makes them.
 */
public interface TicketArtifacts {
  /** The current ticket for the registration (reissue when the ticket must change): code, reference, QR PNG, PDF, .ics. */
  Future<TicketFiles> forRegistration(Registration r, Event e, String manageUrl, boolean reissue);

  /**
   * The same; the calendar file also takes out the entries of {@code droppedSessions} (sessions the registration
   * had and has no more), so a calendar that had them is put right.
   */
  default Future<TicketFiles> forRegistration(Registration r, Event e, String manageUrl, boolean reissue,
                                              List<Long> droppedSessions) {
    return forRegistration(r, e, manageUrl, reissue);
  }

  /**
   * The calendar file alone, for a registration with no ticket to show at a door (an online meeting), or, when
   * {@code cancelled}, the entries taken out of the calendar (the event called off, the seat handed over). Null
   * when there is none to make.
   */
  default Future<String> calendar(Registration r, Event e, String manageUrl, List<Long> droppedSessions,
                                  boolean cancelled) {
    return Future.succeededFuture(null);
  }
}
