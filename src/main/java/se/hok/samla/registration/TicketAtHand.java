package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.config.Limits;
import se.hok.samla.events.Event;
import se.hok.samla.events.EventService;
import se.hok.samla.events.EventStatus;
import se.hok.samla.events.EventView;
import se.hok.samla.tickets.QrCodes;
import se.hok.samla.tickets.TicketService;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.Msg;
import se.hok.samla.web.RateLimiter;
import se.hok.samla.web.Templates;
import se.hok.samla.web.TooManyRequestsException;
import se.hok.samla.web.ValidationException;

/**
 * The ticket at hand, behind the manage link: the QR code and reference on the page, the PDF and the calendar file to
 * download, "send the ticket again" (limited per registration), and handing the seat over to a colleague. An online
 * meeting has no ticket (no door): its page shows the meeting link and offers the calendar file instead.
 *
 * <p>Everything here is for the holder of the link only; what it shows is what the ticket e-mail shows. Nothing is
 * cached by the browser or a proxy ({@code no-store}): the files name the person.
 */
public final class TicketAtHand {
  static final String RESEND = "ticket-resend";

  private final Vertx vertx;
  private final RegistrationService registrations;
  private final EventService events;
  private final TicketService tickets;
  private final TicketArtifacts files;
  private final RateLimiter limiter;
  private final Limits limits;
  private final Templates templates;
  private final String publicUrl;
  private final Clock clock;

  public TicketAtHand(Vertx vertx, RegistrationService registrations, EventService events, TicketService tickets,
                      TicketArtifacts files, RateLimiter limiter, Limits limits, Templates templates,
                      String publicUrl, Clock clock) {
    this.vertx = vertx;
    this.registrations = registrations;
    this.events = events;
    this.tickets = tickets;
    this.files = files;
    this.limiter = limiter;
    this.limits = limits;
    this.templates = templates;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  void mount(Router router) {
    router.get("/anmalan/:token/biljett.png").handler(this::qr);
    router.get("/anmalan/:token/biljett.pdf").handler(this::pdf);
    router.get("/anmalan/:token/kalender.ics").handler(this::ics);
    router.post("/anmalan/:token/skicka-biljetten").handler(this::sendAgain);
    router.get("/anmalan/:token/lamna-over").handler(this::handOverForm);
    router.post("/anmalan/:token/lamna-over").handler(this::handOverCheck);
    router.post("/anmalan/:token/lamna-over/bekrafta").handler(this::handOver);
  }

  // ------------------------------------------------------------------------------------------------ on the manage page

  /**
   * What the manage page shows of the ticket: for a confirmed registration of an event still on, the reference (the
   * QR is {@code biljett.png}) where there is a door, the meeting link where it is online; whether the seat can be
   * handed over. The ticket is issued here if the first e-mail has not done so yet.
   */
  Future<Map<String, Object>> model(Registration r, Event e) {
    Map<String, Object> model = new HashMap<>();
    boolean on = e.status() != EventStatus.CANCELLED && !e.isPast(OffsetDateTime.now(clock));
    boolean seat = r.isConfirmed() && on;
    model.put("ticketShown", seat);
    model.put("atDoor", seat && !e.onlineOnly());
    model.put("meetingLink", seat && isLink(e.onlineUrl()) ? e.onlineUrl().strip() : null);
    model.put("canHandOver", !r.isCancelled() && on);
    if (!seat || e.onlineOnly()) {
      return Future.succeededFuture(model);
    }
    return tickets.current(r.id(), e.id(), false).map(t -> {
      model.put("reference", t.reference());
      return model;
    });
  }

  // ------------------------------------------------------------------------------------------------ the files

  private void qr(RoutingContext ctx) {
    withTicket(ctx).compose(held -> tickets.current(held.registration().id(), held.event().id(), false))
        .compose(t -> vertx.executeBlocking(() -> QrCodes.png(t.code(), QrCodes.TICKET_PIXELS), false))
        .compose(png -> send(ctx, "image/png", null, png))
        .onFailure(ctx::fail);
  }

  private void pdf(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    withTicket(ctx)
        .compose(held -> files.forRegistration(held.registration(), held.event(), RegistrationApi.manageUrl(publicUrl, token), false))
        .compose(f -> send(ctx, "application/pdf", "biljett.pdf", f.pdf()))
        .onFailure(ctx::fail);
  }

  private void ics(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    String url = RegistrationApi.manageUrl(publicUrl, token);
    held(ctx)
        .compose(held -> held.event().onlineOnly()
            ? files.calendar(held.registration(), held.event(), url, List.of(), false)
            : files.forRegistration(held.registration(), held.event(), url, false).map(TicketFiles::ics))
        .compose(ics -> send(ctx, "text/calendar; charset=utf-8", "kalender.ics",
            ics.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .onFailure(ctx::fail);
  }

  /** A registration with a seat at an event still on, and the event. */
  private record Held(Registration registration, Event event) {}

  private Future<Held> held(RoutingContext ctx) {
    return registrations.byToken(ctx.pathParam("token")).compose(r -> events.get(r.eventId()).compose(e -> {
      if (!r.isConfirmed()) {
        return Future.failedFuture(new ConflictException("registration_not_confirmed", Msg.of("error.ticket.notConfirmed")));
      }
      if (e.status() == EventStatus.CANCELLED) {
        return Future.failedFuture(new ConflictException("event_cancelled", Msg.of("error.reg.eventCancelled")));
      }
      return Future.succeededFuture(new Held(r, e));
    }));
  }

  /** The same, at an event with a door: an online meeting has no ticket. */
  private Future<Held> withTicket(RoutingContext ctx) {
    return held(ctx).compose(h -> h.event().onlineOnly()
        ? Future.failedFuture(new ConflictException("no_ticket", Msg.of("notices.ticket.online")))
        : Future.succeededFuture(h));
  }

  private static Future<Void> send(RoutingContext ctx, String type, String filename, byte[] body) {
    var response = ctx.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-store");
    if (filename != null) {
      response.putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    }
    return response.end(io.vertx.core.buffer.Buffer.buffer(body));
  }

  // ------------------------------------------------------------------------------------------------ send it again

  /**
   * One more ticket e-mail to the registration's own address, at most {@link Limits#ticketResendPerRegistration()}:
   * the link's holder may ask for it, but not fill the inbox with it.
   */
  private void sendAgain(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    registrations.byToken(token)
        .compose(r -> limiter.take(RESEND, limits.ticketResendPerRegistration(), r.id().toString()).compose(decision ->
            decision.allowed() ? registrations.queueTicketAgain(token)
                : Future.failedFuture(new TooManyRequestsException(decision.retryAfter(), "notices.ticket.tooMany"))))
        .compose(r -> seeOther(ctx, "/anmalan/" + token + "?biljett=skickad"))
        .onFailure(ctx::fail);
  }

  // ------------------------------------------------------------------------------------------------ handing over

  private void handOverForm(RoutingContext ctx) {
    renderHandOver(ctx, 200, "registration/handover", null, null, Map.of()).onFailure(ctx::fail);
  }

  /** The form checked, then shown back for a last look before anything happens (WCAG 3.3.4). */
  private void handOverCheck(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    String name = form.get("name");
    String email = form.get("email");
    Lang lang = Lang.of(ctx);
    se.hok.samla.web.FieldChecks checks = new se.hok.samla.web.FieldChecks();
    checks.text("name", name, true, 200);
    checks.email("email", email, true);
    if (form.contains("andra")) {
      // "Change" on the last look: the form again, as it was filled in.
      renderHandOver(ctx, 200, "registration/handover", name, email, Map.of()).onFailure(ctx::fail);
      return;
    }
    registrations.byToken(ctx.pathParam("token")).compose(r -> {
      if (!checks.has("email") && r.email() != null && email != null && r.email().equalsIgnoreCase(email.strip())) {
        checks.add("email", "notices.handover.error.ownAddress");
      }
      if (!checks.ok()) {
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        try {
          checks.throwIfAny();
        } catch (ValidationException v) {
          errors.putAll(v.messages(lang));
        }
        return renderHandOver(ctx, 422, "registration/handover", name, email, errors);
      }
      return renderHandOver(ctx, 200, "registration/handover-confirm", name.strip(), email.strip(), Map.of());
    }).onFailure(ctx::fail);
  }

  /**
   * Hands the seat over. The colleague's address is e-mailed as a sign-up's is, so it counts against the same limits per
   * address ({@code SAMLA_LIMIT_SIGNUPS_PER_EMAIL}, {@code …_PER_EMAIL_EVENT}): a handover is no way round them to fill
   * someone's inbox. A handover refused for its content gives its tokens back.
   */
  private void handOver(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    MultiMap form = ctx.request().formAttributes();
    Lang lang = Lang.of(ctx);
    String email = form.get("email");
    String address = email == null || email.isBlank() || email.length() > 254 ? null : email.strip().toLowerCase(java.util.Locale.ROOT);
    List<String[]> taken = new java.util.ArrayList<>();
    registrations.byToken(token)
        .compose(r -> address == null ? Future.<Void>succeededFuture()
            : take(taken, SignUpLimits.EMAIL, limits.signUpsPerEmail(), address)
                .compose(v -> take(taken, SignUpLimits.EMAIL_EVENT, limits.signUpsPerEmailEvent(), address + "|" + r.eventId())))
        .compose(v -> registrations.handOver(token, form.get("name"), email))
        // Only handovers that were made count.
        .onFailure(err -> taken.forEach(t -> limiter.giveBack(t[0], t[0].equals(SignUpLimits.EMAIL) ? limits.signUpsPerEmail()
            : limits.signUpsPerEmailEvent(), t[1])))
        .compose(v -> seeOther(ctx, "/anmalan/" + token + "?overlamnad=1"),
            err -> {
              if (err instanceof ValidationException v) {
                return renderHandOver(ctx, 422, "registration/handover", form.get("name"), form.get("email"), v.messages(lang));
              }
              // Sent twice (a double click): the first one handed it over, which is what the page then says.
              if (err instanceof ConflictException c && "registration_cancelled".equals(c.code())) {
                return registrations.byToken(token).compose(r -> r.handedOver()
                    ? seeOther(ctx, "/anmalan/" + token + "?overlamnad=1") : Future.failedFuture(err));
              }
              return Future.failedFuture(err);
            })
        .onFailure(ctx::fail);
  }

  /** A token of a sign-up limit for this address, or 429 (the caller gives back what was taken when anything fails). */
  private Future<Void> take(List<String[]> taken, String name, se.hok.samla.config.Limit limit, String subject) {
    return limiter.take(name, limit, subject).compose(decision -> {
      if (!decision.allowed()) {
        return Future.failedFuture(new TooManyRequestsException(decision.retryAfter(), "signup.tooManyForEmail"));
      }
      taken.add(new String[] {name, subject});
      return Future.succeededFuture();
    });
  }

  private Future<Void> renderHandOver(RoutingContext ctx, int status, String template, String name, String email,
                                      Map<String, String> errors) {
    String token = ctx.pathParam("token");
    Lang lang = Lang.of(ctx);
    return registrations.byToken(token).compose(r -> events.get(r.eventId()).compose(e -> {
      if (r.isCancelled()) {
        return Future.failedFuture(new ConflictException("registration_cancelled", Msg.of("error.reg.cancelled")));
      }
      if (e.status() == EventStatus.CANCELLED || e.isPast(OffsetDateTime.now(clock))) {
        return Future.failedFuture(new ConflictException("event_over", Msg.of(e.status() == EventStatus.CANCELLED
            ? "error.reg.eventCancelled" : "error.reg.eventOver")));
      }
      Map<String, Object> model = new HashMap<>();
      model.put("e", EventView.of(e, lang, OffsetDateTime.now(clock)));
      model.put("reg", r);
      model.put("managePath", "/anmalan/" + token);
      model.put("name", name);
      model.put("email", email);
      model.put("errors", errors);
      model.put("confirmText", Messages.get(lang, r.isConfirmed() ? "notices.handover.confirm.seat"
          : "notices.handover.confirm.place", name == null ? "" : name, email == null ? "" : email));
      return templates.render(ctx, status, template, model);
    }));
  }

  private static Future<Void> seeOther(RoutingContext ctx, String location) {
    return ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }

  private static boolean isLink(String url) {
    if (url == null) {
      return false;
    }
    String u = url.strip().toLowerCase(java.util.Locale.ROOT);
    return u.startsWith("https://") || u.startsWith("http://");
  }
}
