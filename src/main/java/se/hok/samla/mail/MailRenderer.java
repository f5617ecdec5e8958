package se.hok.samla.mail;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import se.hok.samla.events.Event;
import se.hok.samla.events.EventService;
import se.hok.samla.events.EventSession;
import se.hok.samla.events.EventStatus;
import se.hok.samla.registration.TicketArtifacts;
import se.hok.samla.registration.TicketFiles;
import se.hok.samla.staff.StaffNotices;
import se.hok.samla.web.EventTimes;
import se.hok.samla.events.EventView;
import se.hok.samla.events.Venue;
import se.hok.samla.mail.MailContent.Action;
import se.hok.samla.mail.MailContent.Notice;
import se.hok.samla.mail.MailContent.Row;
import se.hok.samla.mail.MailContent.Section;
import se.hok.samla.mail.MailContent.Ticket;
import se.hok.samla.registration.Registration;
import se.hok.samla.registration.RegistrationApi;
import se.hok.samla.registration.RegistrationService;
import se.hok.samla.registration.RegistrationService.NeedEntry;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.Templates;

/**
 * Turns an outbox row into an e-mail, from the data as it is when the mail is sent: in the participant's
 * language, with a fresh manage link, and with the ticket (QR inline, PDF and .ics attached) where there is one.
 *
 * <p>The HTML is made for what the big mail clients accept: tables for layout, inline styles only, nothing loaded
 * from the web, a {@code lang} attribute. Every piece of participant data is escaped by the template. The plain
 * text part carries the same information and the same link.
 *
 * <p>Kinds: {@code confirmed}, {@code waitlisted}, {@code promoted}, {@code changed}, {@code cancelled},
 * {@code manage_link}, {@code event_cancelled}, {@code reminder} (to the participant), {@code password_reset} and
 * {@code account_locked} (to a staff member, see staff/StaffNotices) and {@code organiser_alert} (to the event's
 * organiser), and {@code thank_you} (after the event, to those who attended, with the feedback survey's link); and
 * {@code event_changed} (the "Ändrat" notice of a changed event), {@code message} (an organiser's message to a group),
 * {@code ticket} (the ticket again, asked for on the manage page), {@code handed_over} (to who handed their seat over),
 * {@code handed_to} (to who got it) and {@code handover_existing} (to an address that was registered already); and
 * {@code need_outcome} (a need with a lead time booked, or one that could not be arranged and what to do then). An
 * {@code group_contact} (to a contact person who signed others up: each person's ticket and manage link). An
 * online-only meeting's mail has no ticket (no door): the link and a calendar file. An unknown kind is an error (the
 * worker retries, then marks the row failed).
 */
public final class MailRenderer implements MailWorker.Renderer {
  /** The content id of the inline QR image. */
  public static final String QR_CONTENT_ID = "qr@samla";
  /** The QR image's size in the HTML, in CSS pixels. */
  static final int QR_SIZE = 200;
  static final Set<String> KINDS = Set.of("confirmed", "waitlisted", "promoted", "changed", "cancelled", "manage_link",
      "event_cancelled", "reminder", "organiser_alert", "thank_you", "event_changed", "message", "ticket", "handed_over",
      "handed_to", "handover_existing", "need_outcome");
  /** E-mails to staff members about their account, with no registration behind them. */
  static final Set<String> STAFF_KINDS = Set.of("password_reset", "account_locked");
  /** Kinds that bring the ticket (QR inline, PDF) and the calendar file to a confirmed registration. */
  private static final Set<String> TICKET_KINDS = Set.of("confirmed", "promoted", "changed", "reminder", "event_changed",
      "ticket", "handed_to");
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;
  private static final String HTML = "templates/mail/mail.html.peb";
  private static final String TEXT = "templates/mail/mail.txt.peb";
  private static final Future<Optional<RenderedMail>> NOTHING = Future.succeededFuture(Optional.empty());

  /** The feedback survey's link, supplied by the caller so this class does not depend on the follow-up package. */
  public interface FeedbackLinks {
    /** A new link (path from the site root) for a registration that attended, while the survey is open; else empty. */
    Future<Optional<FeedbackLink>> forRegistration(UUID registrationId);
  }

  /** A survey link: its path (e.g. {@code /utvardering/TOKEN}) and when the survey closes. */
  public record FeedbackLink(String path, OffsetDateTime closesAt) {}

  private final RegistrationService registrations;
  private final EventService events;
  private final TicketArtifacts tickets;
  private final String publicUrl;
  private final Clock clock;
  private final PebbleTemplate html;
  private final PebbleTemplate text;

  public MailRenderer(RegistrationService registrations, EventService events, TicketArtifacts tickets,
                      String publicUrl) {
    this(registrations, events, tickets, publicUrl, Clock.systemDefaultZone());
  }

  /** With a clock: "today" decides whether a need's book-by date has passed. */
  public MailRenderer(RegistrationService registrations, EventService events, TicketArtifacts tickets,
                      String publicUrl, Clock clock) {
    this(registrations, events, tickets, publicUrl, clock, compile());
  }

  /** With the templates compiled beforehand ({@link #compile()}, on a worker thread). */
  public MailRenderer(RegistrationService registrations, EventService events, TicketArtifacts tickets,
                      String publicUrl, Clock clock, Compiled templates) {
    this.registrations = registrations;
    this.events = events;
    this.tickets = tickets;
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    this.clock = clock;
    this.html = templates.html();
    this.text = templates.text();
  }

  /** The e-mail's HTML and text templates, compiled. */
  public record Compiled(PebbleTemplate html, PebbleTemplate text) {}

  /**
   * Compiles the e-mail templates: reads the class path and compiles, so it blocks (done once, at start, on a worker
   * thread); rendering is then CPU work only, fine on the event loop. Strict in the tests, as the pages are
   * ({@link Templates#strict()}): a variable or attribute the templates name that is not there fails the mail.
   */
  public static Compiled compile() {
    ClassLoader classes = MailRenderer.class.getClassLoader();
    return new Compiled(
        new PebbleEngine.Builder().loader(new ClasspathLoader(classes)).strictVariables(Templates.strict())
            .autoEscaping(true).defaultEscapingStrategy("html").build().getTemplate(HTML),
        new PebbleEngine.Builder().loader(new ClasspathLoader(classes)).strictVariables(Templates.strict())
            .autoEscaping(false).newLineTrimming(false).build().getTemplate(TEXT));
  }

  /**
   * Renders an outbox row from CURRENT data, in the participant's language (registration.language(), sv default).
   * Returns empty when there is nothing to send any more: e.g. a confirmation/ticket for a registration that is
   * cancelled by now, or any mail to an erased registration, or a waitlisted mail when the person has been promoted meanwhile.
   */
  @Override
  public Future<Optional<RenderedMail>> render(String kind, Long eventId, UUID registrationId, JsonObject payload) {
    if (kind != null && STAFF_KINDS.contains(kind)) {
      return staffNotices.notice(kind, payload == null ? new JsonObject() : payload)
          .map(found -> found.map(notice -> toStaff(kind, notice)));
    }
    if ("group_contact".equals(kind)) {
      return toContact(payload == null ? new JsonObject() : payload);
    }
    if (kind == null || !KINDS.contains(kind)) {
      return Future.failedFuture(new IllegalArgumentException("No e-mail for outbox kind " + kind));
    }
    if ("organiser_alert".equals(kind) && registrationId == null && payload != null && payload.containsKey("alerts")) {
      return gatheredOrganiserAlert(eventId, payload.getJsonArray("alerts"));
    }
    if (registrationId == null) {
      return Future.failedFuture(new IllegalArgumentException("Outbox kind " + kind + " needs a registration"));
    }
    JsonObject p = payload == null ? new JsonObject() : payload;
    return registrations.byId(registrationId)
        .map(Optional::of)
        .recover(e -> e instanceof NotFoundException ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e))
        .compose(found -> {
          if (found.isEmpty() || found.get().erased()) {
            return NOTHING;
          }
          if (found.get().mailTo() == null && !"organiser_alert".equals(kind)) {
            return NOTHING;  // a walk-in who gave no address: nothing to send them
          }
          Registration r = found.get();
          return events.get(eventId != null ? eventId : r.eventId()).compose(e -> {
            if (!stillToSend(kind, r, e, OffsetDateTime.now(clock))) {
              return NOTHING;
            }
            return "organiser_alert".equals(kind) ? organiserAlert(r, e, p)
                : "thank_you".equals(kind) ? thankYou(r, e) : toParticipant(kind, r, e, p);
          });
        });
  }

  /** Whether the mail still says something true and useful, given what has happened since it was queued. */
  static boolean stillToSend(String kind, Registration r, Event e, OffsetDateTime now) {
    boolean eventOn = e.status() != EventStatus.CANCELLED;
    return switch (kind) {
      case "confirmed", "promoted" -> r.isConfirmed() && eventOn;
      case "waitlisted" -> r.isWaitlisted() && eventOn;
      case "changed" -> !r.isCancelled() && eventOn;
      case "cancelled" -> r.isCancelled();
      case "manage_link" -> true;
      case "event_cancelled" -> !eventOn && !r.isCancelled();
      case "reminder" -> r.isConfirmed() && eventOn && e.startsAt().isAfter(now);
      case "organiser_alert" -> !r.isCancelled() && eventOn && e.organiserEmail() != null && !e.organiserEmail().isBlank();
      case "thank_you" -> !r.isCancelled() && eventOn;
      case "event_changed", "handed_to", "handover_existing" -> !r.isCancelled() && eventOn;
      case "ticket" -> r.isConfirmed() && eventOn;
      // A message may be about the event being called off ("the new date is …"); only a cancelled registration is not told.
      case "message" -> !r.isCancelled();
      case "handed_over" -> r.isCancelled();
      case "need_outcome" -> !r.isCancelled() && eventOn;
      default -> false;
    };
  }

  // ------------------------------------------------------------------------------------------------
  // To the participant
  // ------------------------------------------------------------------------------------------------

  /**
   * Which link each e-mail carries (see {@link RegistrationService#issueToken} for how long links work): every e-mail
   * to the participant about their registration carries a manage link of its own, made as it is rendered; the
   * {@code manage_link} e-mail, asked for by signing up again, replaces the links issued before it was asked for. The
   * thank-you carries the survey link instead, the organiser's alert no link. So the most recent e-mail's link works.
   */
  private Future<Optional<RenderedMail>> toParticipant(String kind, Registration r, Event e, JsonObject payload) {
    if ("event_changed".equals(kind) && ChangeLines.of(payload, r, e, Lang.SV).isEmpty()) {
      return NOTHING;  // every change was undone before the notice went out: nothing to tell
    }
    return extra(kind, payload).compose(extra -> {
      if (extra == null) {
        return NOTHING;
      }
      Lang lang = extra.message() != null ? extra.message().lang(r) : Lang.parse(r.language(), Lang.SV);
      OffsetDateTime replacesLinksBefore = "manage_link".equals(kind) ? requestedAt(payload) : null;
      return registrations.issueToken(r.id(), replacesLinksBefore).compose(token -> {
        String manageUrl = RegistrationApi.manageUrl(publicUrl, token);
        return files(kind, r, e, payload, manageUrl).compose(t -> registrations.catalogue().map(catalogue -> {
          MailContent content = participantContent(kind, r, e, payload, lang, manageUrl, t, byCode(catalogue), extra);
          List<RenderedMail.Part> parts = new ArrayList<>();
          if (t != null && t.hasTicket()) {
            parts.add(new RenderedMail.Part("qr.png", "image/png", t.qrPng(), QR_CONTENT_ID));
            parts.add(new RenderedMail.Part(msg(lang, "mail.file.pdf"), "application/pdf", t.pdf(), null));
          }
          if (t != null && t.ics() != null) {
            parts.add(new RenderedMail.Part(msg(lang, "mail.file.ics"), "text/calendar; charset=UTF-8; method=PUBLISH",
                t.ics().getBytes(StandardCharsets.UTF_8), null));
          }
          return Optional.of(mail(r.mailTo(), content, lang, parts));
        }));
      });
    }).recover(failure -> failure instanceof ConflictException
        // Cancelled (or the event called off) between reading the registration and issuing its ticket: this mail is no
        // longer true, and the mail that change queued says what is. Skipped now, not retried half a minute later.
        ? NOTHING
        : Future.failedFuture(failure));
  }

  /**
   * What the mail carries: the ticket with its calendar file for a confirmed registration at a venue; only the calendar
   * file at an online meeting (no door); a calendar file that takes the entries out when the event is called off or the
   * seat was handed over; nothing else.
   */
  private Future<TicketFiles> files(String kind, Registration r, Event e, JsonObject payload, String manageUrl) {
    if (TICKET_KINDS.contains(kind) && r.isConfirmed()) {
      List<Long> dropped = droppedFromCalendar(kind, payload, r);
      return e.onlineOnly()
          ? tickets.calendar(r, e, manageUrl, dropped, false).map(ics -> ics == null ? null : TicketFiles.calendarOnly(ics))
          : tickets.forRegistration(r, e, manageUrl, "changed".equals(kind), dropped);
    }
    boolean hadEntry = "event_cancelled".equals(kind) && r.isConfirmed()
        || "handed_over".equals(kind) && payload.getBoolean("hadTicket", false);
    if (hadEntry) {
      return tickets.calendar(r, e, manageUrl, List.of(), true).map(ics -> ics == null ? null : TicketFiles.calendarOnly(ics));
    }
    return Future.succeededFuture(null);
  }

  /** Sessions the registration had before a change of its own and has no more: their calendar entries go. */
  private static List<Long> droppedFromCalendar(String kind, JsonObject payload, Registration r) {
    if (!"changed".equals(kind)) {
      return List.of();
    }
    List<Long> dropped = new ArrayList<>();
    for (Object id : payload.getJsonArray("previousSessions", new JsonArray())) {
      try {
        long sessionId = Long.parseLong(String.valueOf(id));
        if (!r.sessions().contains(sessionId)) {
          dropped.add(sessionId);
        }
      } catch (NumberFormatException notAnId) {
        // not one of ours
      }
    }
    return dropped;
  }

  /** What some kinds need besides the registration and the event: the message, or who handed a seat over. */
  record Extra(MailStore.Message message, String fromName) {
    static final Extra NONE = new Extra(null, null);
  }

  /** Null: nothing to send (the message is gone). */
  private Future<Extra> extra(String kind, JsonObject payload) {
    if ("message".equals(kind)) {
      Long id = payload.getLong("message");
      return id == null ? Future.succeededFuture(null)
          : messages.message(id).map(found -> found.map(m -> new Extra(m, null)).orElse(null));
    }
    if ("handed_to".equals(kind) || "handover_existing".equals(kind)) {
      String from = payload.getString("fromRegistration");
      if (from == null) {
        return Future.succeededFuture(Extra.NONE);
      }
      UUID fromId;
      try {
        fromId = UUID.fromString(from);
      } catch (IllegalArgumentException notAnId) {
        return Future.succeededFuture(Extra.NONE);
      }
      // Read when sent, never stored with this mail: a giver who erased their data since is not named.
      return registrations.byId(fromId)
          .map(giver -> giver.erased() ? Extra.NONE : new Extra(null, giver.name()))
          .recover(e -> e instanceof NotFoundException ? Future.succeededFuture(Extra.NONE) : Future.failedFuture(e));
    }
    return Future.succeededFuture(Extra.NONE);
  }

  private volatile MessageSource messages = id -> Future.succeededFuture(Optional.empty());

  /** Where {@code message} e-mails find their text. */
  interface MessageSource {
    Future<Optional<MailStore.Message>> message(long id);
  }

  /** Messages to participants are read from this database. Set once, at start. */
  public MailRenderer messagesFrom(io.vertx.sqlclient.Pool pool) {
    MailStore store = new MailStore(pool);
    this.messages = store::message;
    return this;
  }

  private MailContent participantContent(String kind, Registration r, Event e, JsonObject payload, Lang lang,
                                         String manageUrl, TicketFiles t, Map<String, NeedEntry> catalogue, Extra extra) {
    EventView view = EventView.of(e, lang, OffsetDateTime.now(clock));
    String title = view.title();
    String key = key(kind);
    boolean eventOn = e.status() != EventStatus.CANCELLED;
    // An online meeting has no door: no ticket, no QR, nothing about an entrance; the link and a calendar file instead.
    boolean online = e.onlineOnly();
    boolean ticket = t != null && t.hasTicket();

    List<String> intro = new ArrayList<>();
    Notice notice = null;
    String subject = null;
    String heading = null;
    switch (kind) {
      case "confirmed" -> {
        if (online) {
          subject = subjectOf(lang, "notices.mail.subject.confirmedOnline", title);
        }
        intro.add(msg(lang, online ? "notices.mail.intro.confirmedOnline" : "mail.intro.confirmed", title));
        intro.add(filesText(lang, t));
        notice = lateNeeds(r, e, lang, catalogue);
      }
      case "waitlisted" -> {
        intro.add(msg(lang, "mail.intro.waitlisted", title));
        intro.add(msg(lang, "mail.intro.waitlistedPosition", r.waitlistPosition()));
        intro.add(msg(lang, "mail.intro.waitlistedNext"));
        notice = lateNeeds(r, e, lang, catalogue);
      }
      case "promoted" -> {
        intro.add(msg(lang, online ? "notices.mail.intro.promotedOnline" : "mail.intro.promoted", title));
        intro.add(filesText(lang, t));
        List<String> dropped = droppedSessions(payload, r, e, lang);
        if (!dropped.isEmpty()) {
          notice = new Notice(msg(lang, "mail.dropped.heading"), dropped, msg(lang, "mail.dropped.text"));
        }
      }
      case "changed" -> {
        intro.add(msg(lang, "mail.intro.changed", title));
        if (ticket) {
          intro.add(msg(lang, "mail.intro.changedTicket"));
          intro.add(msg(lang, "mail.intro.ticketFiles"));
        } else if (t != null) {
          intro.add(filesText(lang, t));
        } else if (r.isWaitlisted()) {
          intro.add(msg(lang, "mail.intro.changedWaitlisted", r.waitlistPosition()));
        }
      }
      case "cancelled" -> {
        intro.add(msg(lang, "mail.intro.cancelled", title));
        if (eventOn && e.registrationOpen(OffsetDateTime.now(clock))) {
          intro.add(msg(lang, "mail.intro.cancelledAgain"));
        }
      }
      case "manage_link" -> {
        intro.add(msg(lang, "mail.intro.manageLink", title));
        intro.add(msg(lang, "mail.intro.manageLinkUse"));
        intro.add(msg(lang, "mail.intro.manageLinkReplaces"));
        intro.add(msg(lang, "mail.intro.manageLinkNotYou"));
      }
      case "reminder" -> {
        intro.add(msg(lang, online ? "notices.mail.intro.reminderOnline" : "mail.intro.reminder", title));
        intro.add(msg(lang, "mail.intro.reminderCannotCome"));
      }
      case "event_cancelled" -> {
        intro.add(msg(lang, "mail.intro.eventCancelled", title));
        if (e.cancelReason() != null && !e.cancelReason().isBlank()) {
          intro.add(msg(lang, "notices.mail.cancelReason", e.cancelReason().strip()));
        }
        if (e.rescheduledTo() != null) {
          intro.add(msg(lang, "notices.mail.newDate",
              EventTimes.weekdayDate(lang).format(e.rescheduledTo())));
        }
        intro.add(msg(lang, "mail.intro.eventCancelledNothingToDo"));
        if (t != null) {
          intro.add(msg(lang, "notices.mail.calendarCancelled"));
        }
      }
      case "event_changed" -> {
        subject = subjectOf(lang, "notices.mail.subject.eventChanged", title);
        heading = msg(lang, "notices.mail.heading.eventChanged");
        intro.add(msg(lang, "notices.mail.intro.eventChanged", title));
        for (Object note : payload.getJsonArray("notes", new JsonArray())) {
          if (note instanceof String text && !text.isBlank()) {
            intro.add(msg(lang, "notices.mail.note", text.strip()));
          }
        }
        String after = ticket ? msg(lang, "notices.mail.changedTicket")
            : t != null ? msg(lang, "notices.mail.changedCalendar")
            : r.isWaitlisted() ? msg(lang, "mail.intro.changedWaitlisted", r.waitlistPosition()) : "";
        notice = new Notice(msg(lang, "notices.mail.changes.heading"), ChangeLines.of(payload, r, e, lang), after);
      }
      case "message" -> {
        MailStore.Message m = extra.message();
        subject = oneLine(lang == Lang.EN ? m.subjectEn() : m.subjectSv());
        heading = subject;
        intro.addAll(paragraphs(lang == Lang.EN ? m.bodyEn() : m.bodySv()));
        intro.add(msg(lang, "notices.mail.message.from", title));
      }
      case "ticket" -> {
        subject = subjectOf(lang, online ? "notices.mail.subject.linkAgain" : "notices.mail.subject.ticketAgain", title);
        heading = msg(lang, online ? "notices.mail.heading.linkAgain" : "notices.mail.heading.ticketAgain");
        intro.add(msg(lang, online ? "notices.mail.intro.linkAgain" : "notices.mail.intro.ticketAgain", title));
        intro.add(filesText(lang, t));
        intro.add(msg(lang, "notices.mail.intro.againNotYou"));
      }
      case "handed_over" -> {
        subject = subjectOf(lang, "notices.mail.subject.handedOver", title);
        heading = msg(lang, "notices.mail.heading.handedOver");
        intro.add(msg(lang, "notices.mail.intro.handedOver", title));
        intro.add(msg(lang, "notices.mail.intro.handedOverTold"));
        if (t != null) {
          intro.add(msg(lang, "notices.mail.calendarCancelled"));
        }
      }
      case "handed_to" -> {
        subject = subjectOf(lang, "notices.mail.subject.handedTo", title);
        heading = msg(lang, r.isConfirmed() ? "mail.heading.confirmed" : "mail.heading.waitlisted");
        String giver = extra.fromName();
        intro.add(giver == null ? msg(lang, "notices.mail.intro.handedToSomeone", title)
            : msg(lang, "notices.mail.intro.handedTo", giver, title));
        if (r.isConfirmed()) {
          intro.add(filesText(lang, t));
        } else {
          intro.add(msg(lang, "mail.intro.waitlistedPosition", r.waitlistPosition()));
          intro.add(msg(lang, "mail.intro.waitlistedNext"));
        }
        intro.add(msg(lang, "notices.mail.intro.handedToNeeds"));
      }
      case "handover_existing" -> {
        subject = subjectOf(lang, "notices.mail.subject.handoverExisting", title);
        heading = msg(lang, "notices.mail.heading.handoverExisting");
        String giver = extra.fromName();
        intro.add(giver == null ? msg(lang, "notices.mail.intro.handoverExistingSomeone", title)
            : msg(lang, "notices.mail.intro.handoverExisting", giver, title));
        intro.add(msg(lang, "notices.mail.intro.handoverExistingUnchanged"));
      }
      case "need_outcome" -> {
        boolean booked = "booked".equals(payload.getString("state"));
        String which = booked ? "Booked" : "Unavailable";
        NeedEntry need = catalogue.get(payload.getString("need", ""));
        String label = need == null ? payload.getString("need", "") : lang == Lang.EN ? need.labelEn() : need.labelSv();
        subject = subjectOf(lang, "mail.subject.need" + which, title);
        heading = msg(lang, "mail.heading.need" + which);
        intro.add(msg(lang, "mail.intro.need" + which, label, title));
        String organiser = e.organiserEmail() == null || e.organiserEmail().isBlank() ? null : e.organiserEmail().strip();
        if (booked) {
          intro.add(msg(lang, "mail.intro.needBookedNothingToDo"));
        } else {
          intro.add(organiser == null ? msg(lang, "mail.intro.needUnavailableWhatNow")
              : msg(lang, "mail.intro.needUnavailableWhatNowContact", organiser));
          intro.add(msg(lang, "mail.intro.needUnavailableCancel"));
        }
      }
      default -> throw new IllegalArgumentException(kind);
    }
    if (Set.of("confirmed", "waitlisted", "promoted", "changed").contains(kind)) {
      intro.addAll(roomWarnings(r, e, lang));
    }
    intro.removeIf(String::isEmpty);
    if (!eventOn && !"event_cancelled".equals(kind)) {
      intro.add(msg(lang, "mail.eventCancelledNote"));
    }

    Ticket box = !ticket ? null : new Ticket(msg(lang, "mail.ticket.heading"), QR_CONTENT_ID,
        msg(lang, "mail.ticket.qrAlt", t.reference(), title), QR_SIZE, msg(lang, "mail.ticket.reference"), t.reference(),
        msg(lang, "mail.ticket.hint"), msg(lang, "mail.ticket.textHint"));

    List<Section> sections = new ArrayList<>();
    sections.add(new Section(msg(lang, "mail.section.event"), eventRows(e, view, r, lang, !r.isCancelled() && eventOn)));
    if ((eventOn || r.isCancelled()) && !"message".equals(kind)) {
      sections.add(new Section(msg(lang, "mail.section.registration"), registrationRows(r, lang, catalogue)));
    }

    // What the link is for: changing a live registration, or only reading (and erasing) one that is over.
    String manage = r.isCancelled() ? "Cancelled" : !eventOn ? "EventCancelled" : "";
    Action action = new Action(msg(lang, "mail.manage.heading" + manage), msg(lang, "mail.manage.text" + manage),
        msg(lang, "mail.manage.button"), manageUrl, msg(lang, "mail.manage.copy"));

    return new MailContent(lang.code(), subject != null ? subject : subject(lang, key, title),
        heading != null ? heading : msg(lang, "mail.heading." + key),
        greeting(lang, r), intro, notice, box, sections, action,
        List.of(msg(lang, "mail.footer.participant"), msg(lang, "mail.footer.about")));
  }

  /**
   * The person by name; or, where the e-mail goes to the contact person who signed them up (they have no address of
   * their own), the contact, told whom it is about.
   */
  private static String greeting(Lang lang, Registration r) {
    return r.managedByContact() ? msg(lang, "mail.greeting.contact", r.name()) : msg(lang, "mail.greeting", r.name());
  }

  // ------------------------------------------------------------------------------------------------
  // To a contact person who signed others up
  // ------------------------------------------------------------------------------------------------

  /**
   * The contact person's one e-mail about the people they signed up without an address of their own: for each person
   * still on, their place (seat or waiting list), ticket number and a manage link of their own (new with this e-mail;
   * the person's page shows the ticket, changes, cancels or erases), and each confirmed person's ticket as a PDF. Read
   * when sent: people cancelled or erased since are not listed; a contact with nobody left gets nothing.
   */
  private Future<Optional<RenderedMail>> toContact(JsonObject payload) {
    UUID contactId;
    try {
      contactId = UUID.fromString(payload.getString("contact", ""));
    } catch (IllegalArgumentException notAnId) {
      return NOTHING;
    }
    return registrations.contactWithPeople(contactId).compose(found -> {
      if (found.isEmpty() || found.get().people().isEmpty()) {
        return NOTHING;
      }
      RegistrationService.GroupContact c = found.get();
      return events.get(c.eventId()).compose(e -> {
        if (e.status() == EventStatus.CANCELLED) {
          return NOTHING;
        }
        Lang lang = Lang.parse(c.language(), Lang.SV);
        List<Section> sections = new ArrayList<>();
        List<RenderedMail.Part> parts = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (Registration r : c.people()) {
          chain = chain.compose(v -> registrations.issueToken(r.id(), null).compose(token -> {
            String manageUrl = RegistrationApi.manageUrl(publicUrl, token);
            Future<TicketFiles> files = r.isConfirmed() && !e.onlineOnly()
                ? tickets.forRegistration(r, e, manageUrl, false) : Future.succeededFuture(null);
            return files.map(t -> {
              List<Row> rows = new ArrayList<>();
              rows.add(new Row(msg(lang, "mail.label.status"), List.of(r.isConfirmed() ? msg(lang, "group.mail.confirmed")
                  : msg(lang, "group.mail.waitlisted", r.waitlistPosition()))));
              if (t != null && t.hasTicket()) {
                rows.add(new Row(msg(lang, "mail.ticket.reference"), List.of(t.reference())));
                parts.add(new RenderedMail.Part(msg(lang, "group.mail.file.pdf", fileName(r.name())), "application/pdf",
                    t.pdf(), null));
              }
              List<String> chosen = new ArrayList<>();
              e.sessions().stream().filter(s -> r.sessions().contains(s.id()))
                  .sorted(Comparator.comparing(EventSession::startsAt)).forEach(s -> chosen.add(sessionLine(s, lang)));
              if (!chosen.isEmpty()) {
                rows.add(new Row(msg(lang, "group.mail.sessions"), chosen));
              }
              // The address written out too, as every link in these e-mails is, for clients that show no links.
              rows.add(new Row(msg(lang, "group.mail.manage"), List.of(msg(lang, "group.mail.manageLink", r.name())),
                  manageUrl, manageUrl));
              sections.add(new Section(r.name(), rows));
              return null;
            });
          }));
        }
        return chain.map(v -> {
          EventView view = EventView.of(e, lang, OffsetDateTime.now(clock));
          List<Section> all = new ArrayList<>();
          all.add(new Section(msg(lang, "mail.section.event"), eventRows(e, view, c.people().get(0), lang, false)));
          all.addAll(sections);
          List<String> intro = new ArrayList<>();
          intro.add(msg(lang, "group.mail.intro", view.title(), c.people().size()));
          intro.add(msg(lang, parts.isEmpty() ? "group.mail.noTickets" : "group.mail.tickets"));
          intro.add(msg(lang, "group.mail.links"));
          MailContent content = new MailContent(lang.code(), subjectOf(lang, "group.mail.subject", view.title()),
              msg(lang, "group.mail.heading"), msg(lang, "mail.greeting", c.name()), intro, null, null, all, null,
              List.of(msg(lang, "group.mail.footer"), msg(lang, "mail.footer.about")));
          return Optional.of(mail(c.email(), content, lang, parts));
        });
      });
    });
  }

  /** A person's name as part of a file name: letters, digits, spaces and dashes only. */
  static String fileName(String name) {
    String clean = name.replaceAll("[^\\p{L}\\p{N} -]", "").strip();
    return clean.isEmpty() ? "deltagare" : clean.length() > 60 ? clean.substring(0, 60) : clean;
  }

  /**
   * The sign-up form's warnings, for the record (and for whoever sent the form without its script): a need the person
   * stated that the room of a session they chose does not meet – a hearing loop, a wheelchair place.
   */
  private static List<String> roomWarnings(Registration r, Event e, Lang lang) {
    List<String> out = new ArrayList<>();
    for (EventSession s : e.sessions()) {
      if (s.inRoom() == null || !r.sessions().contains(s.id())) {
        continue;
      }
      String title = lang == Lang.EN && s.titleEn() != null && !s.titleEn().isBlank() ? s.titleEn() : s.titleSv();
      for (Registration.NeedChoice n : r.needs()) {
        if (List.of("horslinga", "rullstolsplats").contains(n.code()) && !s.inRoom().meets(n.code())) {
          out.add(msg(lang, "reg.room.warning." + n.code(), title, s.inRoom().name()));
        }
      }
    }
    return out;
  }

  /** What files the mail brings: the ticket as PDF with the calendar file, or (an online meeting) the calendar file. */
  private static String filesText(Lang lang, TicketFiles t) {
    if (t == null) {
      return "";
    }
    return msg(lang, t.hasTicket() ? "mail.intro.ticketFiles" : "notices.mail.onlineFiles");
  }

  /** The organiser's text as paragraphs: a blank line, or a line break, starts a new one. */
  static List<String> paragraphs(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    for (String line : text.split("\\R")) {
      if (!line.isBlank()) {
        out.add(line.strip());
      }
    }
    return out;
  }

  /** A text from a message file, with the title, as one header line. */
  private static String subjectOf(Lang lang, String fullKey, String title) {
    return oneLine(msg(lang, fullKey, title));
  }

  /** One line: a header cannot carry a line break (and must not be made to). */
  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("[\\r\\n\\t]+", " ").strip();
  }

  /**
   * Needs stated after their book-by date (the event's first day minus the need's lead days, as of the day of the
   * sign-up): the organiser may not manage to arrange them, and the person is told so in their first e-mail. Null when none.
   */
  private static Notice lateNeeds(Registration r, Event e, Lang lang, Map<String, NeedEntry> catalogue) {
    LocalDate eventDay = e.startsAt().atZoneSameInstant(STOCKHOLM).toLocalDate();
    LocalDate signedUp = r.createdAt().atZoneSameInstant(STOCKHOLM).toLocalDate();
    List<String> late = new ArrayList<>();
    for (Registration.NeedChoice n : r.needs()) {
      NeedEntry entry = catalogue.get(n.code());
      if (entry != null && entry.leadDays() != null && signedUp.isAfter(eventDay.minusDays(entry.leadDays()))) {
        late.add(lang == Lang.EN ? entry.labelEn() : entry.labelSv());
      }
    }
    if (late.isEmpty()) {
      return null;
    }
    String organiser = e.organiserEmail() == null || e.organiserEmail().isBlank() ? null : e.organiserEmail().strip();
    return new Notice(msg(lang, "mail.late.heading"), late,
        organiser == null ? msg(lang, "mail.late.text") : msg(lang, "mail.late.textContact", organiser));
  }

  /**
   * When a re-sent link was asked for ({@code requestedAt}, written by the database with the outbox row); a row
   * without it (written before it existed) replaces every older link, as the request is older than the rendering.
   */
  private OffsetDateTime requestedAt(JsonObject payload) {
    String at = payload.getString("requestedAt");
    if (at != null) {
      try {
        return OffsetDateTime.parse(at);
      } catch (java.time.format.DateTimeParseException ignored) {
        // fall through: replace every older link
      }
    }
    return OffsetDateTime.now(clock);
  }

  /** Sessions the person chose but did not get when promoted, unless they hold them again by now. */
  private static List<String> droppedSessions(JsonObject payload, Registration r, Event e, Lang lang) {
    JsonArray ids = payload.getJsonArray("droppedSessions", new JsonArray());
    List<String> out = new ArrayList<>();
    for (Object id : ids) {
      long sessionId;
      try {
        sessionId = Long.parseLong(String.valueOf(id));
      } catch (NumberFormatException ex) {
        continue;
      }
      if (r.sessions().contains(sessionId)) {
        continue;
      }
      e.sessions().stream().filter(s -> s.id() == sessionId).findFirst()
          .ifPresent(s -> out.add(sessionLine(s, lang)));
    }
    return out;
  }

  private List<Row> eventRows(Event e, EventView view, Registration r, Lang lang, boolean withSessions) {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row(msg(lang, "mail.label.what"), List.of(view.title())));
    rows.add(new Row(msg(lang, "mail.label.date"), List.of(view.date())));
    rows.add(new Row(msg(lang, "mail.label.time"), List.of(msg(lang, "mail.time.local", view.time()))));
    Venue v = e.venue();
    if (v != null) {
      List<String> place = new ArrayList<>();
      place.add(v.name());
      place.add(v.address());
      rows.add(new Row(msg(lang, "mail.label.place"), place));
      List<String> facts = new ArrayList<>();
      facts.add(fact(lang, "mail.access.stepFree", v.stepFreeEntrance()));
      facts.add(fact(lang, "mail.access.hearingLoop", v.hearingLoop()));
      facts.add(fact(lang, "mail.access.toilet", v.accessibleToilet()));
      facts.add(fact(lang, "mail.access.parking", v.disabledParking()));
      if (v.accessibilityNotes() != null && !v.accessibilityNotes().isBlank()) {
        facts.add(v.accessibilityNotes().strip());
      }
      rows.add(new Row(msg(lang, "mail.label.access"), facts));
    }
    // The meeting link is for those with a seat: the waiting list hears that it comes with the seat.
    if (isLink(e.onlineUrl()) && r.isConfirmed() && e.status() != EventStatus.CANCELLED) {
      rows.add(new Row(msg(lang, v == null ? "mail.label.online" : "mail.label.alsoOnline"),
          List.of(msg(lang, "mail.online.text")), e.onlineUrl(), e.onlineUrl()));
    } else if (isLink(e.onlineUrl()) && r.isWaitlisted()) {
      rows.add(new Row(msg(lang, v == null ? "mail.label.online" : "mail.label.alsoOnline"),
          List.of(msg(lang, "notices.mail.online.waitlisted"))));
    }
    if (withSessions) {
      List<String> chosen = new ArrayList<>();
      e.sessions().stream().filter(s -> r.sessions().contains(s.id()))
          .sorted(Comparator.comparing(EventSession::startsAt))
          .forEach(s -> chosen.add(sessionLine(s, lang)));
      if (!chosen.isEmpty()) {
        rows.add(new Row(msg(lang, "mail.label.sessions"), chosen));
      }
    }
    if (e.organiserEmail() != null && !e.organiserEmail().isBlank()) {
      List<String> who = e.organiserName() == null || e.organiserName().isBlank() ? List.of() : List.of(e.organiserName());
      rows.add(new Row(msg(lang, "mail.label.organiser"), who, "mailto:" + e.organiserEmail().strip(), e.organiserEmail().strip()));
    } else if (e.organiserName() != null && !e.organiserName().isBlank()) {
      rows.add(new Row(msg(lang, "mail.label.organiser"), List.of(e.organiserName())));
    }
    String page = publicUrl + "/evenemang/" + e.id();
    rows.add(new Row(msg(lang, "mail.label.eventPage"), List.of(), page, page));
    return rows;
  }

  private static List<Row> registrationRows(Registration r, Lang lang, Map<String, NeedEntry> catalogue) {
    List<Row> rows = new ArrayList<>();
    String status = switch (r.status()) {
      case "confirmed" -> msg(lang, "mail.status.confirmed");
      case "waitlisted" -> msg(lang, "mail.status.waitlisted", r.waitlistPosition());
      default -> msg(lang, "mail.status.cancelled");
    };
    rows.add(new Row(msg(lang, "mail.label.status"), List.of(status)));
    rows.add(new Row(msg(lang, "mail.label.name"), List.of(r.name())));
    if (r.isCancelled()) {
      return rows;
    }
    if (r.organisationName() != null) {
      rows.add(new Row(msg(lang, "mail.label.organisation"), List.of(r.organisationName())));
    }
    List<String> needs = new ArrayList<>();
    for (Registration.NeedChoice n : r.needs()) {
      NeedEntry entry = catalogue.get(n.code());
      String label = entry == null ? n.code() : lang == Lang.EN ? entry.labelEn() : entry.labelSv();
      needs.add(n.detail() == null || n.detail().isBlank() ? label : label + ": " + n.detail().strip());
    }
    rows.add(new Row(msg(lang, "mail.label.needs"), needs.isEmpty() ? List.of(msg(lang, "mail.none")) : needs));
    List<String> diet = r.diet().stream().map(d -> msg(lang, "mail.diet." + d)).toList();
    rows.add(new Row(msg(lang, "mail.label.diet"), List.of(diet.isEmpty() ? msg(lang, "mail.none") : String.join(", ", diet))));
    rows.add(new Row(msg(lang, "companion.label"), List.of(msg(lang, r.companion() ? "companion.yes" : "companion.no"))));
    return rows;
  }

  // ------------------------------------------------------------------------------------------------
  // To the organiser
  // ------------------------------------------------------------------------------------------------

  /**
   * The needs of one registration that must be booked ahead, each with its book-by date (the event's first day
   * minus the need's lead days). Only needs the person still has. No name and no details: the organiser reads
   * those in Samla, where reading them is logged.
   */
  private Future<Optional<RenderedMail>> organiserAlert(Registration r, Event e, JsonObject payload) {
    Map<String, Integer> people = new HashMap<>();
    stillStated(r, payload.getJsonArray("needs")).forEach(code -> people.put(code, 1));
    return organiserAlert(e, people);
  }

  /** The needs of this registration that were alerted and that it still states. */
  private static Set<String> stillStated(Registration r, JsonArray asked) {
    Set<String> codes = new LinkedHashSet<>();
    r.needs().forEach(n -> {
      if (asked == null || asked.contains(n.code())) {
        codes.add(n.code());
      }
    });
    return codes;
  }

  /**
   * Several registrations' new needs in one e-mail (OrganiserAlerts gathers them): per need, how many people
   * still state it, counting only registrations that are still on (not cancelled or erased).
   */
  private Future<Optional<RenderedMail>> gatheredOrganiserAlert(Long eventId, JsonArray alerts) {
    if (eventId == null || alerts == null) {
      return NOTHING;
    }
    Map<UUID, Set<String>> asked = new java.util.LinkedHashMap<>();
    for (Object o : alerts) {
      if (o instanceof JsonObject alert && alert.getString("registration") != null) {
        try {
          asked.computeIfAbsent(UUID.fromString(alert.getString("registration")), k -> new LinkedHashSet<>())
              .addAll(alert.getJsonArray("needs", new JsonArray()).stream().map(String::valueOf).toList());
        } catch (IllegalArgumentException notAnId) {
          // not one of ours: nothing to count
        }
      }
    }
    List<Future<Optional<Registration>>> found = new ArrayList<>();
    asked.keySet().forEach(id -> found.add(registrations.byId(id).map(Optional::of)
        .recover(e -> e instanceof NotFoundException ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e))));
    return Future.all(found).compose(all -> events.get(eventId).compose(e -> {
      Map<String, Integer> people = new HashMap<>();
      for (Future<Optional<Registration>> f : found) {
        Optional<Registration> r = f.result();
        if (r.isPresent() && !r.get().isCancelled() && !r.get().erased()) {
          stillStated(r.get(), new JsonArray(List.copyOf(asked.get(r.get().id()))))
              .forEach(code -> people.merge(code, 1, Integer::sum));
        }
      }
      if (people.isEmpty() || e.status() == EventStatus.CANCELLED || e.organiserEmail() == null || e.organiserEmail().isBlank()) {
        return NOTHING;
      }
      return organiserAlert(e, people);
    }));
  }

  /** The needs to book, each with how many people state it and its book-by date. */
  private Future<Optional<RenderedMail>> organiserAlert(Event e, Map<String, Integer> people) {
    Lang lang = Lang.SV;
    return registrations.catalogue().map(list -> {
      Map<String, NeedEntry> catalogue = byCode(list);
      Set<String> codes = people.keySet();
      LocalDate eventDay = e.startsAt().atZoneSameInstant(STOCKHOLM).toLocalDate();
      LocalDate today = LocalDate.now(clock.withZone(STOCKHOLM));
      record Due(NeedEntry need, LocalDate bookBy) {}
      List<Due> due = new ArrayList<>();
      for (String code : codes) {
        NeedEntry n = catalogue.get(code);
        if (n != null && n.leadDays() != null) {
          due.add(new Due(n, eventDay.minusDays(n.leadDays())));
        }
      }
      if (due.isEmpty()) {
        return Optional.<RenderedMail>empty();
      }
      due.sort(Comparator.comparing(Due::bookBy).thenComparing(d -> d.need().sortOrder()));
      DateTimeFormatter day = EventTimes.weekdayDate(lang);
      List<Row> needRows = new ArrayList<>();
      boolean anyLate = false;
      for (Due d : due) {
        List<String> lines = new ArrayList<>();
        lines.add(msg(lang, "mail.organiser.people", people.get(d.need().code())));
        lines.add(msg(lang, "mail.organiser.bookBy", day.format(d.bookBy()), d.bookBy().toString()));
        if (today.isAfter(d.bookBy())) {
          lines.add(msg(lang, "mail.organiser.late"));
          anyLate = true;
        }
        needRows.add(new Row(d.need().labelSv(), lines));
      }
      EventView view = EventView.of(e, lang, OffsetDateTime.now(clock));
      List<String> intro = new ArrayList<>();
      intro.add(msg(lang, "mail.intro.organiserAlert", view.title()));
      intro.add(msg(lang, "mail.intro.organiserGathered"));
      if (anyLate) {
        intro.add(msg(lang, "mail.intro.organiserLate"));
      }
      intro.add(msg(lang, "mail.intro.organiserPrivacy"));
      List<Row> eventRows = new ArrayList<>();
      eventRows.add(new Row(msg(lang, "mail.label.what"), List.of(view.title())));
      eventRows.add(new Row(msg(lang, "mail.label.date"), List.of(view.date())));
      eventRows.add(new Row(msg(lang, "mail.label.time"), List.of(msg(lang, "mail.time.local", view.time()))));
      if (e.venue() != null) {
        eventRows.add(new Row(msg(lang, "mail.label.place"), List.of(e.venue().name(), e.venue().address())));
      } else if (isLink(e.onlineUrl())) {
        eventRows.add(new Row(msg(lang, "mail.label.online"), List.of(), e.onlineUrl(), e.onlineUrl()));
      }
      String page = publicUrl + "/arrangor/evenemang/" + e.id() + "/anmalningar";
      MailContent content = new MailContent(lang.code(), subject(lang, "organiserAlert", view.title()),
          msg(lang, "mail.heading.organiserAlert"), msg(lang, "mail.greeting.organiser"), intro, null, null,
          List.of(new Section(msg(lang, "mail.section.needs"), needRows), new Section(msg(lang, "mail.section.event"), eventRows)),
          new Action(msg(lang, "mail.organiser.action.heading"), msg(lang, "mail.organiser.action.text"),
              msg(lang, "mail.organiser.action.button"), page, msg(lang, "mail.manage.copy")),
          List.of(msg(lang, "mail.footer.organiser"), msg(lang, "mail.footer.about")));
      return Optional.of(mail(e.organiserEmail().strip(), content, lang, List.of()));
    });
  }

  // ------------------------------------------------------------------------------------------------
  // To staff
  // ------------------------------------------------------------------------------------------------

  private volatile StaffNotices staffNotices = (kind, payload) -> Future.succeededFuture(Optional.empty());

  /** Where e-mails to staff get their person and link; without it, none are sent. Set once, at start. */
  public MailRenderer staffNotices(StaffNotices notices) {
    this.staffNotices = notices;
    return this;
  }

  /** "Choose a new password" (the single-use link) or "many failed sign-ins on your account". */
  private RenderedMail toStaff(String kind, StaffNotices.Notice n) {
    Lang lang = n.lang();
    String key = "password_reset".equals(kind) ? "passwordReset" : "accountLocked";
    List<String> intro = new ArrayList<>();
    Action action;
    List<String> footer = new ArrayList<>();
    if ("password_reset".equals(kind)) {
      intro.add(msg(lang, n.byAdmin() ? "mail.staff.reset.byAdmin" : "mail.staff.reset.asked", n.to()));
      action = new Action(msg(lang, "mail.staff.reset.action.heading"), msg(lang, "mail.staff.reset.action.text"),
          msg(lang, "mail.staff.reset.action.button"), n.link(), msg(lang, "mail.manage.copy"));
      footer.add(msg(lang, "mail.staff.reset.notYou"));
    } else {
      intro.add(msg(lang, "mail.staff.locked.what", n.to()));
      intro.add(msg(lang, "mail.staff.locked.wait"));
      action = new Action(msg(lang, "mail.staff.locked.action.heading"), msg(lang, "mail.staff.locked.action.text"),
          msg(lang, "mail.staff.locked.action.button"), n.link(), msg(lang, "mail.manage.copy"));
      footer.add(msg(lang, "mail.staff.locked.once"));
    }
    footer.add(msg(lang, "mail.footer.about"));
    String subject = msg(lang, "mail.subject." + key).replaceAll("[\\r\\n\\t]+", " ").strip();
    MailContent content = new MailContent(lang.code(), subject, msg(lang, "mail.heading." + key),
        msg(lang, "mail.greeting", n.name()), intro, null, null, List.of(), action, footer);
    return mail(n.to(), content, lang, List.of());
  }

  // ------------------------------------------------------------------------------------------------
  // After the event
  // ------------------------------------------------------------------------------------------------

  private volatile FeedbackLinks feedbackLinks = id -> Future.succeededFuture(Optional.empty());

  /** Where thank-you e-mails get their survey link; without it, no thank-you is sent. Set once, at start. */
  public MailRenderer feedbackLinks(FeedbackLinks links) {
    this.feedbackLinks = links;
    return this;
  }

  /**
   * The thank-you with the survey link. Nothing when the link says there is nothing to ask any more (the person did
   * not attend after all, e.g. a check-in undone, or the survey has closed). No manage link: the event is over.
   */
  private Future<Optional<RenderedMail>> thankYou(Registration r, Event e) {
    Lang lang = Lang.parse(r.language(), Lang.SV);
    return feedbackLinks.forRegistration(r.id()).map(found -> found.map(link -> {
      EventView view = EventView.of(e, lang, OffsetDateTime.now(clock));
      // The page in the language of the mail; the choice then sticks (Lang).
      String url = publicUrl + link.path() + (lang == Lang.EN ? "?lang=en" : "");
      LocalDate lastDay = link.closesAt().minusNanos(1).atZoneSameInstant(STOCKHOLM).toLocalDate();
      String closes = EventTimes.date(lang).format(lastDay);
      List<String> intro = List.of(msg(lang, "feedback.mail.intro", view.title()), msg(lang, "feedback.mail.ask"),
          msg(lang, "feedback.mail.anonymous"));
      List<Row> rows = List.of(new Row(msg(lang, "mail.label.what"), List.of(view.title())),
          new Row(msg(lang, "mail.label.date"), List.of(view.date())));
      // One line: a header cannot carry a line break.
      String subject = msg(lang, "feedback.mail.subject", view.title()).replaceAll("[\\r\\n\\t]+", " ").strip();
      MailContent content = new MailContent(lang.code(), subject, msg(lang, "feedback.mail.heading"), greeting(lang, r), intro, null, null,
          List.of(new Section(msg(lang, "mail.section.event"), rows)),
          new Action(msg(lang, "feedback.mail.action.heading"), msg(lang, "feedback.mail.action.text", closes),
              msg(lang, "feedback.mail.action.button"), url, msg(lang, "mail.manage.copy")),
          List.of(msg(lang, "feedback.mail.footer"), msg(lang, "mail.footer.about")));
      return mail(r.mailTo(), content, lang, List.of());
    }));
  }

  // ------------------------------------------------------------------------------------------------
  // Shared
  // ------------------------------------------------------------------------------------------------

  private RenderedMail mail(String to, MailContent content, Lang lang, List<RenderedMail.Part> parts) {
    Map<String, Object> model = new HashMap<>();
    model.put("m", content);
    model.put("brand", msg(lang, "mail.brand"));
    return new RenderedMail(to, content.subject(), evaluate(html, model, lang.locale()), evaluate(text, model, lang.locale()),
        parts);
  }

  private static String evaluate(PebbleTemplate template, Map<String, Object> model, Locale locale) {
    StringWriter out = new StringWriter();
    try {
      template.evaluate(out, model, locale);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** One line: a header cannot carry a line break (and must not be made to). */
  private static String subject(Lang lang, String key, String title) {
    return msg(lang, "mail.subject." + key, title).replaceAll("[\\r\\n\\t]+", " ").strip();
  }

  private static String key(String kind) {
    return switch (kind) {
      case "manage_link" -> "manageLink";
      case "event_cancelled" -> "eventCancelled";
      case "organiser_alert" -> "organiserAlert";
      default -> kind;
    };
  }

  private static String fact(Lang lang, String key, boolean yes) {
    return msg(lang, "mail.access.fact", msg(lang, key), msg(lang, yes ? "mail.yes" : "mail.no"));
  }

  /** A session as the mail lists it: its time, title and room ("10:00–11:00 Workshop A, Sal 3"). */
  static String sessionLine(EventSession s, Lang lang) {
    String title = lang == Lang.EN && s.titleEn() != null && !s.titleEn().isBlank() ? s.titleEn() : s.titleSv();
    return EventTimes.hours(s.startsAt(), s.endsAt())
        + " " + title + (s.room() == null || s.room().isBlank() ? "" : ", " + s.room().strip());
  }

  /** Only web links go into an href: no javascript:, data: or other schemes, whatever was stored. */
  static boolean isLink(String url) {
    if (url == null) {
      return false;
    }
    String u = url.strip().toLowerCase(Locale.ROOT);
    return u.startsWith("https://") || u.startsWith("http://");
  }

  private static Map<String, NeedEntry> byCode(List<NeedEntry> catalogue) {
    Map<String, NeedEntry> map = new HashMap<>();
    catalogue.forEach(n -> map.put(n.code(), n));
    return map;
  }

  private static String msg(Lang lang, String key, Object... args) {
    return Messages.get(lang, key, args);
  }
}
