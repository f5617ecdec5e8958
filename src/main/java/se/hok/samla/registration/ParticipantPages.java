package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import se.hok.samla.events.Event;
import se.hok.samla.events.EventService;
import se.hok.samla.events.EventSession;
import se.hok.samla.events.EventStatus;
import se.hok.samla.web.EventTimes;
import se.hok.samla.events.EventView;
import se.hok.samla.events.Organisation;
import se.hok.samla.web.ConflictException;
import se.hok.samla.privacy.PersonalData;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.Msg;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;

/**
 * The participant's pages: the sign-up form, its answer, and the manage page behind the emailed link.
 * Plain HTML forms that work without JavaScript; the rules live in {@link RegistrationService}.
 */
public final class ParticipantPages {
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;
  /** The form's own key is a UUID; anything else (or nothing) means no idempotency, never a database error. */
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[0-9a-fA-F-]{36}");

  private final RegistrationService registrations;
  private final EventService events;
  private final Templates templates;
  private final PersonalData personalData;
  private final Clock clock;
  /** The ticket's part of the manage page (its own routes are mounted on their own). */
  private TicketAtHand ticket;

  public ParticipantPages(RegistrationService registrations, EventService events, PersonalData personalData,
                          Templates templates, Clock clock) {
    this.registrations = registrations;
    this.events = events;
    this.templates = templates;
    this.personalData = personalData;
    this.clock = clock;
  }

  /** The ticket, its files and handing the seat over, on the manage page. Set once, at start. */
  public ParticipantPages withTicket(TicketAtHand ticket) {
    this.ticket = ticket;
    return this;
  }

  public void mount(Router router) {
    router.get("/evenemang/:id/anmalan").handler(this::signUpForm);
    router.post("/evenemang/:id/anmalan").handler(this::signUp);
    router.get("/evenemang/:id/anmalan/klar").handler(this::receipt);
    // Before /anmalan/:token, which would otherwise take "raderad" for a token.
    router.get("/anmalan/raderad").handler(ctx -> templates.render(ctx, "registration/erased", Map.of()).onFailure(ctx::fail));
    // Every page behind a manage link: a link that does not (or no longer) work gets the page that says what to do.
    router.routeWithRegex("^/anmalan/[^/]+(/.*)?$").failureHandler(this::linkUnavailable);
    router.get("/anmalan/:token").handler(this::manage);
    router.post("/anmalan/:token").handler(this::change);
    router.get("/anmalan/:token/avboka").handler(ctx -> confirmPage(ctx, "cancel"));
    router.post("/anmalan/:token/avboka").handler(this::cancel);
    router.get("/anmalan/:token/radera").handler(ctx -> confirmPage(ctx, "erase"));
    router.post("/anmalan/:token/radera").handler(this::erase);
    router.get("/anmalan/:token/mina-uppgifter").handler(this::myData);
    router.get("/anmalan/:token/mina-uppgifter.json").handler(this::myDataJson);
    if (ticket != null) {
      ticket.mount(router);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Signing up
  // ------------------------------------------------------------------------------------------------

  private void signUpForm(RoutingContext ctx) {
    Lang lang = Lang.of(ctx);
    events.getPublic(RegistrationApi.eventId(ctx)).compose(event -> {
      Msg closed = closedReason(event, now());
      if (closed != null) {
        return renderUnavailable(ctx, 200, event, closed);
      }
      RegistrationInput blank = new RegistrationInput(null, null, null, null, null, null, null, List.of(), Map.of(),
          List.of(), false, false, lang.code());
      return renderSignUpForm(ctx, 200, event, blank, UUID.randomUUID().toString(), Map.of());
    }).onFailure(ctx::fail);
  }

  /**
   * Whatever happened – registered, waitlisted, the address was already registered, or it was signed up more often than
   * its limits allow (then nothing is kept: {@link SignUpLimits}) – the answer is the same page, with nothing in its
   * address: the seat and the manage link come by e-mail, to the address. A form sent again with its
   * key but other content (back, change, send) is refused with the form shown again under a new key; nothing changes.
   */
  private void signUp(RoutingContext ctx) {
    long eventId = RegistrationApi.eventId(ctx);
    MultiMap form = ctx.request().formAttributes();
    Map<String, Msg> unstorable = unstorable(form);
    RegistrationInput typed = RegistrationInput.fromForm(storable(form));
    String key = form.get("idempotencyKey");
    String idempotencyKey = key != null && IDEMPOTENCY_KEY.matcher(key).matches() ? key : null;
    events.getPublic(eventId).compose(event -> (unstorable.isEmpty()
            ? registrations.register(eventId, typed, idempotencyKey, RegistrationService.Source.WEB,
                SignUpLimits.effect(ctx))
            : Future.<RegistrationResult>failedFuture(new ValidationException(unstorable)))
        // Post/redirect/get: reloading the receipt asks nothing again (a re-sent form would fail the rotated CSRF token).
        .compose(result -> seeOther(ctx, receiptPath(eventId)),
            err -> {
              if (err instanceof ValidationException v) {
                return renderSignUpForm(ctx, 422, event, typed, idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey,
                    v.messages(Lang.of(ctx)));
              }
              if (err instanceof ConflictException c && RegistrationService.KEY_REUSED.equals(c.code())) {
                return renderSignUpForm(ctx, 409, event, typed, UUID.randomUUID().toString(), Map.of(),
                    Messages.get(Lang.of(ctx), c.msg()));
              }
              if (err instanceof ConflictException c) {
                return renderUnavailable(ctx, 409, event, c.msg());
              }
              return Future.failedFuture(err);
            }))
        .onFailure(ctx::fail);
  }

  /** The one receipt: the same for everyone, nothing in its address. */
  private static String receiptPath(long eventId) {
    return "/evenemang/" + eventId + "/anmalan/klar";
  }

  /** "Thank you – check your e-mail": what happens next, when the e-mail comes, what to do when it does not. */
  private void receipt(RoutingContext ctx) {
    long eventId = RegistrationApi.eventId(ctx);
    Lang lang = Lang.of(ctx);
    events.getPublic(eventId)
        .compose(event -> templates.render(ctx, "registration/check-email", Map.of("e", EventView.of(event, lang, now()))))
        .onFailure(ctx::fail);
  }

  private Future<Void> renderSignUpForm(RoutingContext ctx, int status, Event event, RegistrationInput input, String key,
                                        Map<String, String> errors) {
    return renderSignUpForm(ctx, status, event, input, key, errors, null);
  }

  /** @param keyReused why the form sent was refused as a second request under its key, or null */
  private Future<Void> renderSignUpForm(RoutingContext ctx, int status, Event event, RegistrationInput input, String key,
                                        Map<String, String> errors, String keyReused) {
    Lang lang = Lang.of(ctx);
    return Future.all(registrations.needs(), events.organisations(null)).compose(all -> {
      List<Need> catalogue = all.resultAt(0);
      List<Organisation> organisations = all.resultAt(1);
      Map<String, Object> model = choices(lang, event, input, catalogue, errors);
      model.put("idempotencyKey", key);
      model.put("keyReused", keyReused);
      model.put("full", event.seatsLeft() == 0);
      String chosenOrg = RegistrationInput.blankToNull(input.organisationId());
      model.put("organisations", organisations.stream()
          .map(o -> new Option(String.valueOf(o.id()), o.name(), String.valueOf(o.id()).equals(chosenOrg))).toList());
      List<Choice> sectors = new ArrayList<>();
      for (String code : List.of("ideburen", "offentlig", "privat", "ovrig")) {
        sectors.add(new Choice(sectors.isEmpty() ? "sector" : "sector-" + code, code, Messages.get(lang, "sector." + code),
            code.equals(RegistrationInput.blankToNull(input.sector()))));
      }
      model.put("sectors", sectors);
      return templates.render(ctx, status, "registration/form", model);
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Self-service behind the manage link
  // ------------------------------------------------------------------------------------------------

  private void manage(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    registrations.byToken(token)
        .compose(r -> renderManage(ctx, 200, token, r, inputOf(r), Map.of()))
        .onFailure(ctx::fail);
  }

  private void change(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    MultiMap form = ctx.request().formAttributes();
    Map<String, Msg> unstorable = unstorable(form);
    RegistrationInput typed = RegistrationInput.fromForm(storable(form));
    registrations.byToken(token).compose(current -> {
      // Name, e-mail and organisation are not the participant's to change here: they stay as stored.
      RegistrationInput input = new RegistrationInput(current.name(), current.email(), typed.phone(), null, null, null,
          typed.roleTitle(), typed.sessions(), typed.needs(), typed.diet(), typed.companion(), typed.consent(), typed.language(),
          typed.untickedDetails());
      return (unstorable.isEmpty() ? registrations.change(token, input)
          : Future.<Registration>failedFuture(new ValidationException(unstorable))).compose(
          changed -> seeOther(ctx, managePath(token) + "?sparad=1"),
          err -> err instanceof ValidationException v
              ? renderManage(ctx, 422, token, current, typed, v.messages(Lang.of(ctx)))
              : Future.failedFuture(err));
    }).onFailure(ctx::fail);
  }

  private void confirmPage(RoutingContext ctx, String what) {
    String token = ctx.pathParam("token");
    Lang lang = Lang.of(ctx);
    registrations.byToken(token)
        .compose(r -> events.get(r.eventId()).compose(event -> templates.render(ctx, "registration/confirm", Map.of(
            "what", what,
            "e", EventView.of(event, lang, now()),
            "reg", r,
            "managePath", managePath(token)))))
        .onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    registrations.cancelByToken(token)
        .compose(r -> seeOther(ctx, managePath(token) + "?avbokad=1"))
        .onFailure(ctx::fail);
  }

  private void erase(RoutingContext ctx) {
    registrations.eraseByToken(ctx.pathParam("token"))
        .compose(v -> seeOther(ctx, "/anmalan/raderad"))
        .onFailure(ctx::fail);
  }

  /**
   * A manage link that does not work – never issued, replaced by a link asked for later, erased, or more than
   * {@link RegistrationService#LINK_DAYS_AFTER_EVENT} days after the event – gets one page (the same for all, so it
   * says nothing about which) telling how to get a working link.
   */
  private void linkUnavailable(RoutingContext ctx) {
    if (!(ctx.failure() instanceof NotFoundException) || ctx.response().headWritten()) {
      ctx.next();
      return;
    }
    templates.render(ctx, 404, "registration/link-unavailable", Map.of("days", RegistrationService.LINK_DAYS_AFTER_EVENT))
        .onFailure(e -> ctx.next());
  }

  /** Everything Samla holds about the registration, readable (GDPR art. 15). */
  private void myData(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    Lang lang = Lang.of(ctx);
    registrations.byToken(token)
        .compose(r -> personalData.of(r.id()))
        .compose(data -> templates.render(ctx, "registration/my-data", MyData.model(data, lang, managePath(token))))
        .onFailure(ctx::fail);
  }

  /** The same as a JSON file to keep or take elsewhere (GDPR art. 20). */
  private void myDataJson(RoutingContext ctx) {
    registrations.byToken(ctx.pathParam("token"))
        .compose(r -> personalData.of(r.id()))
        .onSuccess(data -> ctx.response()
            .putHeader("Content-Type", "application/json; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"samla-mina-uppgifter-" + data.event().id() + ".json\"")
            .putHeader("Cache-Control", "no-store")
            .end(MyData.json(data)))
        .onFailure(ctx::fail);
  }

  private Future<Void> renderManage(RoutingContext ctx, int status, String token, Registration r, RegistrationInput input,
                                    Map<String, String> errors) {
    Lang lang = Lang.of(ctx);
    return Future.all(events.get(r.eventId()), registrations.needs()).compose(all -> {
      Event event = all.resultAt(0);
      List<Need> catalogue = all.resultAt(1);
      Map<String, Need> needs = byCode(catalogue);
      Map<Long, EventSession> sessions = new HashMap<>();
      event.sessions().forEach(s -> sessions.put(s.id(), s));
      Map<String, Object> model = choices(lang, event, input, catalogue, errors);
      model.put("reg", r);
      model.put("managePath", managePath(token));
      model.put("statusText", switch (r.status()) {
        case "confirmed" -> Messages.get(lang, "reg.manage.status.confirmed");
        case "waitlisted" -> Messages.get(lang, "reg.manage.status.waitlisted", r.waitlistPosition());
        default -> Messages.get(lang, r.handedOver() ? "notices.manage.status.handedOver" : "reg.manage.status.cancelled");
      });
      model.put("sessionTitles", r.sessions().stream().filter(sessions::containsKey)
          .map(id -> slotTime(sessions.get(id)) + " " + pick(lang, sessions.get(id).titleSv(), sessions.get(id).titleEn())).toList());
      model.put("needLabels", r.needs().stream().map(n -> {
        String label = needs.containsKey(n.code()) ? needs.get(n.code()).label(lang) : n.code();
        return n.detail() == null ? label : label + ": " + n.detail();
      }).toList());
      model.put("dietLabels", r.diet().stream().map(d -> Messages.get(lang, "reg.diet." + d)).toList());
      model.put("languageLabel", Messages.get(lang, "reg.language." + r.language()));
      model.put("saved", ctx.queryParams().contains("sparad"));
      model.put("cancelledNow", ctx.queryParams().contains("avbokad"));
      model.put("ticketSent", ctx.queryParams().contains("biljett"));
      model.put("handedOverNow", ctx.queryParams().contains("overlamnad"));
      Future<Map<String, Object>> ticketPart = ticket == null ? Future.succeededFuture(Map.of()) : ticket.model(r, event);
      return ticketPart.compose(part -> {
        model.putAll(part);
        return templates.render(ctx, status, "registration/manage", model);
      });
    });
  }

  /**
   * The stored registration as the change form shows it. Stated needs were stored with consent. A companion stated as
   * a need before it was one question (V19) shows as the companion answer: saving the form books its seat.
   */
  static RegistrationInput inputOf(Registration r) {
    Map<String, String> needs = new LinkedHashMap<>();
    r.needs().stream().filter(n -> !Need.COMPANION.equals(n.code())).forEach(n -> needs.put(n.code(), n.detail()));
    boolean companion = r.companion() || r.needs().stream().anyMatch(n -> Need.COMPANION.equals(n.code()));
    return new RegistrationInput(r.name(), r.email(), r.phone(), null, null, null, r.roleTitle(),
        r.sessions().stream().map(String::valueOf).toList(), needs, r.diet(), companion, !r.needs().isEmpty(), r.language());
  }

  // ------------------------------------------------------------------------------------------------
  // What both forms ask: sessions, needs, diet, companion, consent, language
  // ------------------------------------------------------------------------------------------------

  /** A radio button or checkbox; the first of a group carries the group's id so the error summary can link to it. */
  public record Choice(String id, String value, String label, boolean checked) {}

  /** An entry of a select list. */
  public record Option(String value, String label, boolean selected) {}

  /** One time slot of parallel sessions: one radio group. */
  public record SlotChoice(String name, String legend, String firstId, List<SessionChoice> sessions, boolean noneChecked) {}

  /**
   * A session to choose; {@code roomFacts}: its room's accessibility in words, or null; {@code warnings}: for each need
   * its room does not meet, what to tell a person who ticks that need and chooses it (shown by the page's script, and by
   * the server when the form comes back).
   */
  public record SessionChoice(String id, String value, String title, String seats, boolean checked, String roomFacts,
                              List<RoomWarning> warnings) {
    public SessionChoice(String id, String value, String title, String seats, boolean checked) {
      this(id, value, title, seats, checked, null, List.of());
    }
  }

  /** A need the session's room does not meet, and what the person is told. */
  public record RoomWarning(String code, String text) {}

  /** Needs that ask something of the room: a hearing loop, a step-free room with a wheelchair place. */
  static final List<String> ROOM_NEEDS = List.of("horslinga", "rullstolsplats");

  /** The room's facts in words ("Grupprum 2: ingen hörslinga, steglöst, rullstolsplatser: 1"), or null. */
  static String roomFacts(Lang lang, EventSession s) {
    se.hok.samla.events.Room r = s.inRoom();
    if (r == null) {
      return null;
    }
    String facts = String.join(", ", Messages.get(lang, r.hearingLoop() ? "reg.room.hearingLoop" : "reg.room.noHearingLoop"),
        Messages.get(lang, r.stepFree() ? "reg.room.stepFree" : "reg.room.notStepFree"),
        Messages.get(lang, "reg.room.wheelchairPlaces", r.wheelchairPlaces()));
    return Messages.get(lang, "reg.room.facts", r.name(), facts);
  }

  /** For each need the session's room does not meet, the warning a person gets who asks for it there. */
  static List<RoomWarning> roomWarnings(Lang lang, EventSession s, String title) {
    se.hok.samla.events.Room r = s.inRoom();
    if (r == null) {
      return List.of();
    }
    List<RoomWarning> out = new ArrayList<>();
    for (String code : ROOM_NEEDS) {
      if (!r.meets(code)) {
        out.add(new RoomWarning(code, Messages.get(lang, "reg.room.warning." + code, title, r.name())));
      }
    }
    return out;
  }

  /** The warnings that hold for what the input chose: a ticked need that a chosen session's room does not meet. */
  static List<String> currentWarnings(Lang lang, Event event, RegistrationInput input) {
    Set<String> chosen = new HashSet<>();
    input.sessions().forEach(x -> chosen.add(x.strip()));
    List<String> out = new ArrayList<>();
    for (EventSession s : event.sessions()) {
      if (chosen.contains(String.valueOf(s.id()))) {
        for (RoomWarning w : roomWarnings(lang, s, pick(lang, s.titleSv(), s.titleEn()))) {
          if (input.needs().containsKey(w.code())) {
            out.add(w.text());
          }
        }
      }
    }
    return out;
  }

  /** A need from the catalogue: its checkbox, its booking deadline (if any) and its free-text detail (if it has one). */
  public record NeedChoice(String id, String code, String label, String hint, boolean late, boolean checked,
                           boolean withDetail, String detailLabel, String detailText) {}

  private Map<String, Object> choices(Lang lang, Event event, RegistrationInput input, List<Need> catalogue,
                                      Map<String, String> errors) {
    Map<String, Object> model = new HashMap<>();
    model.put("e", EventView.of(event, lang, now()));
    model.put("input", input);
    model.put("errors", errors);
    model.put("slots", slots(lang, event, input));
    model.put("roomWarnings", currentWarnings(lang, event, input));
    model.put("needs", needs(lang, event, input, catalogue));
    // The error summary names the need a detail box belongs to (its links must say which box they lead to).
    Map<String, String> fieldLabels = new HashMap<>();
    catalogue.forEach(n -> fieldLabels.put("needs." + n.code(), n.label(lang)));
    model.put("fieldLabels", fieldLabels);
    List<Choice> diets = new ArrayList<>();
    for (String code : RegistrationInput.DIETS) {
      diets.add(new Choice(diets.isEmpty() ? "diet" : "diet-" + code, code, Messages.get(lang, "reg.diet." + code),
          input.diet().contains(code)));
    }
    model.put("diets", diets);
    String chosenLang = RegistrationInput.blankToNull(input.language()) == null ? lang.code() : input.language().strip();
    model.put("languages", List.of(
        new Choice("language", "sv", Messages.get(lang, "reg.language.sv"), !"en".equals(chosenLang)),
        new Choice("language-en", "en", Messages.get(lang, "reg.language.en"), "en".equals(chosenLang))));
    return model;
  }

  /** Sessions that start together form a slot; the form sends session.SLOT=id, and the "none" choice sends nothing. */
  private static List<SlotChoice> slots(Lang lang, Event event, RegistrationInput input) {
    Set<String> chosen = new HashSet<>();
    input.sessions().forEach(s -> chosen.add(s.strip()));
    // Grouped by start instant, as the rules count a slot.
    Map<java.time.Instant, List<EventSession>> bySlot = new java.util.TreeMap<>();
    event.sessions().forEach(s -> bySlot.computeIfAbsent(s.startsAt().toInstant(), k -> new ArrayList<>()).add(s));
    List<SlotChoice> out = new ArrayList<>();
    int index = 0;
    for (Map.Entry<java.time.Instant, List<EventSession>> slot : bySlot.entrySet()) {
      List<SessionChoice> sessions = new ArrayList<>();
      boolean any = false;
      for (EventSession s : slot.getValue()) {
        String value = String.valueOf(s.id());
        boolean checked = chosen.contains(value);
        any |= checked;
        String title = pick(lang, s.titleSv(), s.titleEn());
        sessions.add(new SessionChoice(index == 0 && sessions.isEmpty() ? "sessions" : "session-" + index + "-" + s.id(), value,
            title,
            s.seatsLeft() == 0 ? Messages.get(lang, "reg.session.full") : Messages.get(lang, "event.sessionSeats", s.seatsLeft()),
            checked, roomFacts(lang, s), roomWarnings(lang, s, title)));
      }
      out.add(new SlotChoice("session." + index, Messages.get(lang, "reg.slot", slotTime(slot.getValue().get(0))), "session-" + index,
          sessions, !any));
      index++;
    }
    return out;
  }

  private List<NeedChoice> needs(Lang lang, Event event, RegistrationInput input, List<Need> catalogue) {
    return needChoices(lang, event, input, catalogue, "", now());
  }

  /**
   * The needs to tick on a sign-up form, with each one's book-by hint and what was ticked and typed; {@code idPrefix}
   * keeps the ids apart where one page asks several people (the group form).
   */
  static List<NeedChoice> needChoices(Lang lang, Event event, RegistrationInput input, List<Need> catalogue,
                                      String idPrefix, java.time.OffsetDateTime now) {
    LocalDate eventDay = event.startsAt().atZoneSameInstant(STOCKHOLM).toLocalDate();
    LocalDate today = now.atZoneSameInstant(STOCKHOLM).toLocalDate();
    DateTimeFormatter day = EventTimes.date(lang);
    List<NeedChoice> out = new ArrayList<>();
    for (Need n : catalogue) {
      if (Need.COMPANION.equals(n.code())) {
        continue;  // asked once, as the companion question
      }
      String hint = null;
      boolean late = false;
      if (n.leadDays() != null) {
        LocalDate bookBy = eventDay.minusDays(n.leadDays());
        late = today.isAfter(bookBy);
        hint = Messages.get(lang, late ? "reg.need.late" : "reg.need.bookBy", day.format(bookBy));
      }
      String detailKey = "reg.needDetail." + n.code();
      String detailLabel = Messages.all(lang).containsKey(detailKey)
          ? Messages.get(lang, detailKey) : Messages.get(lang, "reg.needDetail", n.label(lang));
      out.add(new NeedChoice(out.isEmpty() ? idPrefix + "needs" : idPrefix + "need-" + n.code(), n.code(), n.label(lang), hint, late,
          input.needs().containsKey(n.code()), n.hasDetail(), detailLabel, input.detailText(n.code())));
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------

  /** Why the public cannot sign up now, or null when they can (a full event still takes sign-ups: the waiting list). */
  private static Msg closedReason(Event event, OffsetDateTime now) {
    if (event.status() == EventStatus.CANCELLED) {
      return Msg.of("error.reg.eventCancelled");
    }
    if (event.registrationOpen(now)) {
      return null;
    }
    if (event.registrationOpensAt() != null && now.isBefore(event.registrationOpensAt())) {
      return Msg.of("error.reg.notOpen");
    }
    return event.isPast(now) ? Msg.of("error.reg.eventOver") : Msg.of("error.reg.closed");
  }

  private Future<Void> renderUnavailable(RoutingContext ctx, int status, Event event, Msg reason) {
    Lang lang = Lang.of(ctx);
    Map<String, Object> model = new HashMap<>();
    model.put("e", EventView.of(event, lang, now()));
    model.put("message", Messages.get(lang, reason));
    if ("error.reg.notOpen".equals(reason.key()) && event.registrationOpensAt() != null) {
      model.put("opens", Messages.get(lang, "reg.unavailable.opens", EventTimes.dateAndClock(lang)
          .format(event.registrationOpensAt().atZoneSameInstant(STOCKHOLM))));
    }
    return templates.render(ctx, status, "registration/unavailable", model);
  }

  /**
   * PostgreSQL cannot store the NUL character in text, and the rules do not refuse it yet: such a field is sent back
   * with an error instead of ending in a database failure.
   */
  private static Map<String, Msg> unstorable(MultiMap form) {
    Map<String, Msg> errors = new LinkedHashMap<>();
    for (Map.Entry<String, String> field : form) {
      if (field.getValue().indexOf('\0') >= 0 || field.getKey().indexOf('\0') >= 0) {
        String key = field.getKey();
        String name = key.startsWith("needDetail.") ? "needs." + key.substring(11)
            : key.startsWith("need.") ? "needs" : key.startsWith("session.") ? "sessions" : key;
        errors.putIfAbsent(name, Msg.of("reg.error.unstorable"));
      }
    }
    return errors;
  }

  /** The form as it can be shown again: a NUL becomes the replacement character, visible where it was. */
  private static MultiMap storable(MultiMap form) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    form.forEach(field -> out.add(field.getKey().replace('\0', '\uFFFD'), field.getValue().replace('\0', '\uFFFD')));
    return out;
  }

  private static Future<Void> seeOther(RoutingContext ctx, String location) {
    return ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }

  private static String managePath(String token) {
    return "/anmalan/" + token;
  }

  private static Map<String, Need> byCode(List<Need> catalogue) {
    Map<String, Need> out = new HashMap<>();
    catalogue.forEach(n -> out.put(n.code(), n));
    return out;
  }

  private static String slotTime(EventSession s) {
    return EventTimes.hours(s.startsAt(), s.endsAt());
  }

  private static String pick(Lang lang, String sv, String en) {
    return lang == Lang.EN && en != null && !en.isBlank() ? en : sv;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }
}
