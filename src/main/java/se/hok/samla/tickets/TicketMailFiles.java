package se.hok.samla.tickets;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.events.Event;
import se.hok.samla.mail.MailRenderer;
import se.hok.samla.registration.Registration;
import se.hok.samla.registration.RegistrationService;

/** What a ticket e-mail carries: the current ticket's QR, its PDF and the registration's calendar file. */
public final class TicketMailFiles implements MailRenderer.TicketArtifacts {
  /** SEQUENCE counts from here, so a later ticket always has a higher one (RFC 5545 needs it to grow). */
  private static final long SEQUENCE_EPOCH = 1_767_225_600L;

  private final Vertx vertx;
  private final TicketService tickets;
  private final RegistrationService registrations;
  private final String host;

  public TicketMailFiles(Vertx vertx, TicketService tickets, RegistrationService registrations, String host) {
    this.vertx = vertx;
    this.tickets = tickets;
    this.registrations = registrations;
    this.host = host;
  }

  @Override
  public Future<MailRenderer.TicketFiles> forRegistration(Registration r, Event e, String manageUrl, boolean reissue) {
    String lang = r.language();
    return tickets.current(r.id(), e.id(), reissue)
        .compose(ticket -> registrations.catalogue().map(catalogue -> {
          Map<String, String> labels = new HashMap<>();
          catalogue.forEach(n -> labels.put(n.code(), "en".equals(lang) ? n.labelEn() : n.labelSv()));
          List<String> needs = r.needs().stream()
              .map(n -> labels.getOrDefault(n.code(), n.code()) + (n.detail() == null ? "" : ": " + n.detail()))
              .toList();
          return Map.entry(ticket, needs);
        }))
        // QR and PDF are CPU work: off the event loop.
        .compose(t -> vertx.executeBlocking(() -> {
          Ticket ticket = t.getKey();
          String title = "en".equals(lang) && e.titleEn() != null ? e.titleEn() : e.titleSv();
          String place = e.venue() != null ? e.venue().name() + ", " + e.venue().address() : e.onlineUrl();
          byte[] qr = QrCodes.png(ticket.code(), QrCodes.TICKET_PIXELS);
          byte[] pdf = TicketPdf.render(new TicketPdf.Content(title, TicketPdf.when(e.startsAt(), e.endsAt(), lang), place,
              r.name(), r.companion(), ticket.code(), ticket.reference(),
              e.venue() == null ? List.of() : TicketPdf.accessibility(e.venue(), lang), t.getValue(), manageUrl, lang));
          int sequence = (int) Math.max(0, ticket.issuedAt().toEpochSecond() - SEQUENCE_EPOCH);
          String ics = RegistrationCalendar.ics(r.id(), title, e.startsAt(), e.endsAt(), place, e.descriptionSv(), manageUrl,
              sequence, host, false);
          return new MailRenderer.TicketFiles(ticket.code(), ticket.reference(), qr, pdf, ics);
        }, false));
  }
}
