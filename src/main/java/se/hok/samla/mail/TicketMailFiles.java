package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.events.Event;
import se.hok.samla.events.EventSession;
import se.hok.samla.registration.Registration;
import se.hok.samla.registration.RegistrationService;
import se.hok.samla.registration.TicketArtifacts;
import se.hok.samla.registration.TicketFiles;
import se.hok.samla.tickets.QrCodes;
import se.hok.samla.tickets.RegistrationCalendar;
import se.hok.samla.tickets.Ticket;
import se.hok.samla.tickets.TicketPdf;
import se.hok.samla.tickets.TicketService;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;

/**
 * What a ticket e-mail carries, and the manage page offers: the current ticket's QR, its PDF and the registration's
 * calendar file, each with the sessions the person chose (time and room).
 *
 * <p>The calendar file's SEQUENCE is raised each time a file is made for the registration (counting on from the
 * seconds since 2026 that files used before), and the file is made from the data as it is then: the newest file a
 * calendar gets has the highest SEQUENCE and is the true one, whether the registration changed (a new ticket), the
 * event changed (the same ticket, another time or place), or nothing did.
 */
public final class TicketMailFiles implements TicketArtifacts {
  /** SEQUENCE is at least the seconds since this time, as files made before the counter had it. */
  private static final long SEQUENCE_EPOCH = 1_767_225_600L;
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;

  private final Vertx vertx;
  private final TicketService tickets;
  private final RegistrationService registrations;
  private final String host;
  private final Clock clock;

  public TicketMailFiles(Vertx vertx, TicketService tickets, RegistrationService registrations, String host) {
    this(vertx, tickets, registrations, host, Clock.systemUTC());
  }

  public TicketMailFiles(Vertx vertx, TicketService tickets, RegistrationService registrations, String host, Clock clock) {
    this.vertx = vertx;
    this.tickets = tickets;
    this.registrations = registrations;
    this.host = host;
    this.clock = clock;
  }

  @Override
  public Future<TicketFiles> forRegistration(Registration r, Event e, String manageUrl, boolean reissue) {
    return forRegistration(r, e, manageUrl, reissue, List.of());
  }

  @Override
  public Future<TicketFiles> forRegistration(Registration r, Event e, String manageUrl, boolean reissue,
                                                         List<Long> droppedSessions) {
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
        .compose(t -> sequence(r).map(sequence -> Map.entry(t, sequence)))
        // QR and PDF are CPU work: off the event loop.
        .compose(ts -> vertx.executeBlocking(() -> {
          var t = ts.getKey();
          Ticket ticket = t.getKey();
          String title = title(e, lang);
          byte[] qr = QrCodes.png(ticket.code(), QrCodes.TICKET_PIXELS);
          byte[] pdf = TicketPdf.render(new TicketPdf.Content(title, TicketPdf.when(e.startsAt(), e.endsAt(), lang), place(e),
              r.name(), r.companion(), ticket.code(), ticket.reference(),
              e.venue() == null ? List.of() : TicketPdf.accessibility(e.venue(), lang), t.getValue(), manageUrl, lang,
              sessionLines(r, e, lang)));
          return new TicketFiles(ticket.code(), ticket.reference(), qr, pdf,
              ics(r, e, manageUrl, droppedSessions, false, ts.getValue()));
        }, false));
  }

  @Override
  public Future<String> calendar(Registration r, Event e, String manageUrl, List<Long> droppedSessions, boolean cancelled) {
    return sequence(r).map(sequence -> ics(r, e, manageUrl, droppedSessions, cancelled, sequence));
  }

  /**
   * The registration's calendar file: the event (its description lists the chosen sessions and, for those with a seat,
   * the meeting link) and each chosen session as an entry of its own.
   */
  String ics(Registration r, Event e, String manageUrl, List<Long> droppedSessions, boolean cancelled, int sequence) {
    String lang = r.language();
    Lang l = Lang.parse(lang, Lang.SV);
    List<String> description = new ArrayList<>();
    List<String> sessions = sessionLines(r, e, lang);
    if (!sessions.isEmpty()) {
      description.add(Messages.get(l, "notices.ics.sessions") + "\n" + String.join("\n", sessions));
    }
    if (e.online() && e.venue() != null && r.isConfirmed()) {
      description.add(Messages.get(l, "notices.ics.alsoOnline", e.onlineUrl().strip()));
    }
    String text = "en".equals(lang) && e.descriptionEn() != null && !e.descriptionEn().isBlank() ? e.descriptionEn()
        : e.descriptionSv();
    if (text != null && !text.isBlank()) {
      description.add(text.strip());
    }
    List<RegistrationCalendar.SessionEntry> chosen = chosen(r, e).stream().map(s -> entry(s, lang)).toList();
    List<RegistrationCalendar.SessionEntry> dropped = e.sessions().stream()
        .filter(s -> droppedSessions.contains(s.id()) && !r.sessions().contains(s.id())).map(s -> entry(s, lang)).toList();
    // An online meeting's place is its link, which only those with a seat have.
    String location = e.venue() != null ? place(e) : r.isConfirmed() ? e.onlineUrl() : null;
    return RegistrationCalendar.ics(r.id(), title(e, lang), e.startsAt(), e.endsAt(), location,
        String.join("\n\n", description), manageUrl, sequence, host, cancelled, chosen, dropped);
  }

  /** A SEQUENCE higher than every file of the registration before (see the class comment). */
  private Future<Integer> sequence(Registration r) {
    return registrations.nextCalendarSequence(r.id(), (int) Math.max(0, clock.instant().getEpochSecond() - SEQUENCE_EPOCH));
  }

  private static List<EventSession> chosen(Registration r, Event e) {
    return e.sessions().stream().filter(s -> r.sessions().contains(s.id()))
        .sorted(Comparator.comparing(EventSession::startsAt)).toList();
  }

  /** The chosen sessions as the ticket lists them: "10:00–11:00 Workshop A, Sal 3". */
  static List<String> sessionLines(Registration r, Event e, String lang) {
    return chosen(r, e).stream().map(s -> EventTimes.hours(s.startsAt(), s.endsAt()) + " " + sessionTitle(s, lang)
        + (s.room() == null || s.room().isBlank() ? "" : ", " + s.room().strip())).toList();
  }

  private static RegistrationCalendar.SessionEntry entry(EventSession s, String lang) {
    return new RegistrationCalendar.SessionEntry(s.id(), sessionTitle(s, lang), s.startsAt(), s.endsAt(), s.room());
  }

  private static String sessionTitle(EventSession s, String lang) {
    return "en".equals(lang) && s.titleEn() != null && !s.titleEn().isBlank() ? s.titleEn() : s.titleSv();
  }

  private static String title(Event e, String lang) {
    return "en".equals(lang) && e.titleEn() != null ? e.titleEn() : e.titleSv();
  }

  private static String place(Event e) {
    return e.venue() != null ? e.venue().name() + ", " + e.venue().address() : e.onlineUrl();
  }
}
