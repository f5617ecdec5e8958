package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
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
import se.hok.samla.events.EventView;
import se.hok.samla.events.Organisation;
import se.hok.samla.registration.ParticipantPages.Choice;
import se.hok.samla.registration.ParticipantPages.NeedChoice;
import se.hok.samla.registration.ParticipantPages.Option;
import se.hok.samla.registration.ParticipantPages.SessionChoice;
import se.hok.samla.registration.ParticipantPages.SlotChoice;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.Msg;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;

/**
 * The public form where a contact person signs several people up at once ({@code /evenemang/{id}/anmalan/grupp}). A
 * plain HTML form that works without JavaScript: it offers {@link GroupInput#FORM_ROWS} people, "Lägg till en person"
 * sends the form back with one more (everything typed kept), and blank rows are skipped. Its answer is the single
 * sign-up's receipt, whatever happened; mistakes come back per person in the GOV.UK error summary. The rules are
 * {@link RegistrationService#registerGroup}.
 */
public final class GroupSignUpPages {
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[0-9a-fA-F-]{36}");

  private final RegistrationService registrations;
  private final EventService events;
  private final Templates templates;
  private final Clock clock;

  public GroupSignUpPages(RegistrationService registrations, EventService events, Templates templates, Clock clock) {
    this.registrations = registrations;
    this.events = events;
    this.templates = templates;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/evenemang/:id/anmalan/grupp").handler(this::form);
    router.post("/evenemang/:id/anmalan/grupp").handler(this::signUp);
  }

  private void form(RoutingContext ctx) {
    Lang lang = Lang.of(ctx);
    events.getPublic(RegistrationApi.eventId(ctx)).compose(event -> {
      Msg closed = closedReason(event);
      if (closed != null) {
        return unavailable(ctx, 200, event, closed);
      }
      GroupInput blank = new GroupInput(null, null, lang.code(), false, List.of());
      return render(ctx, 200, event, blank, GroupInput.FORM_ROWS, UUID.randomUUID().toString(), Map.of(), null);
    }).onFailure(ctx::fail);
  }

  private void signUp(RoutingContext ctx) {
    long eventId = RegistrationApi.eventId(ctx);
    MultiMap form = ctx.request().formAttributes();
    GroupInput typed = GroupInput.fromForm(form);
    String key = form.get("idempotencyKey");
    String idempotencyKey = key != null && IDEMPOTENCY_KEY.matcher(key).matches() ? key : null;
    String formKey = idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey;
    int rows = rowsShown(form.get("rows"));
    Map<String, Msg> unstorable = unstorable(form);
    events.getPublic(eventId).compose(event -> {
      if ("add".equals(form.get("action"))) {
        // One more person: nothing is sent yet; the form comes back as typed, focus on the new person's name.
        return render(ctx, 200, event, typed, Math.min(GroupInput.MAX_PEOPLE, Math.max(rows, typed.people().size()) + 1),
            formKey, Map.of(), null);
      }
      return (unstorable.isEmpty()
          ? registrations.registerGroup(eventId, typed, idempotencyKey, RegistrationService.Source.WEB,
              SignUpLimits.groupEffects(ctx))
          : Future.<RegistrationResult>failedFuture(new ValidationException(unstorable)))
          .compose(done -> ctx.response().setStatusCode(303)
                  .putHeader("Location", "/evenemang/" + eventId + "/anmalan/klar").end(),
              err -> {
                if (err instanceof ValidationException v) {
                  return render(ctx, 422, event, typed, rows, formKey, v.messages(Lang.of(ctx)), null);
                }
                if (err instanceof ConflictException c && RegistrationService.KEY_REUSED.equals(c.code())) {
                  return render(ctx, 409, event, typed, rows, UUID.randomUUID().toString(), Map.of(),
                      Messages.get(Lang.of(ctx), c.msg()));
                }
                if (err instanceof ConflictException c) {
                  return unavailable(ctx, 409, event, c.msg());
                }
                return Future.failedFuture(err);
              });
    }).onFailure(ctx::fail);
  }

  /** How many person rows the form showed (its hidden field), within what a form may offer. */
  private static int rowsShown(String value) {
    try {
      return Math.max(GroupInput.FORM_ROWS, Math.min(GroupInput.MAX_PEOPLE, Integer.parseInt(value == null ? "" : value.strip())));
    } catch (NumberFormatException e) {
      return GroupInput.FORM_ROWS;
    }
  }

  /** One person's part of the form: its fields are named {@code people[i].FIELD}, its ids {@code people-i-FIELD}. */
  public record PersonRow(int number, String name, String id, String legend, RegistrationInput input,
                          List<Option> organisations, List<Option> sectors, List<SlotChoice> slots, List<NeedChoice> needs,
                          boolean focus, List<String> roomWarnings) {}

  private Future<Void> render(RoutingContext ctx, int status, Event event, GroupInput input, int rows, String key,
                              Map<String, String> errors, String keyReused) {
    Lang lang = Lang.of(ctx);
    boolean added = status == 200 && !input.people().isEmpty();
    return Future.all(registrations.needs(), events.organisations(null)).compose(all -> {
      List<Need> catalogue = all.resultAt(0);
      List<Organisation> organisations = all.resultAt(1);
      int shown = Math.max(rows, input.people().size());
      List<PersonRow> people = new ArrayList<>();
      Map<String, String> fieldLabels = new HashMap<>();
      for (int i = 0; i < shown; i++) {
        RegistrationInput p = i < input.people().size() ? input.people().get(i)
            : new RegistrationInput(null, null, null, null, null, null, null, List.of(), Map.of(), List.of(), false, false, null);
        String name = "people[" + i + "].";
        String id = "people-" + i + "-";
        String legend = Messages.get(lang, "group.person.legend", i + 1);
        String chosenOrg = RegistrationInput.blankToNull(p.organisationId());
        List<Option> orgs = new ArrayList<>();
        organisations.forEach(o -> orgs.add(new Option(String.valueOf(o.id()), o.name(), String.valueOf(o.id()).equals(chosenOrg))));
        List<Option> sectors = new ArrayList<>();
        for (String code : List.of("ideburen", "offentlig", "privat", "ovrig")) {
          sectors.add(new Option(code, Messages.get(lang, "sector." + code), code.equals(RegistrationInput.blankToNull(p.sector()))));
        }
        people.add(new PersonRow(i + 1, name, id, legend, p, orgs, sectors, slots(lang, event, p, name, id),
            needs(lang, event, p, catalogue, id), added && i == input.people().size(),
            ParticipantPages.currentWarnings(lang, event, p)));
        for (String field : List.of("name", "email", "organisationId", "organisationName", "sector", "sessions", "needs",
            "companion")) {
          fieldLabels.put(name + field, Messages.get(lang, "group.fieldLabel", i + 1, Messages.get(lang, "reg.label." + field)));
        }
        for (Need n : catalogue) {
          fieldLabels.put(name + "needs." + n.code(), Messages.get(lang, "group.fieldLabel", i + 1, n.label(lang)));
        }
      }
      fieldLabels.put("contact.name", Messages.get(lang, "group.label.contact.name"));
      fieldLabels.put("contact.email", Messages.get(lang, "group.label.contact.email"));
      fieldLabels.put("people", Messages.get(lang, "group.people.title"));
      fieldLabels.put("consent", Messages.get(lang, "reg.label.consent"));
      Map<String, Object> model = new HashMap<>();
      model.put("e", EventView.of(event, lang, now()));
      model.put("input", input);
      model.put("people", people);
      model.put("rows", shown);
      model.put("canAdd", shown < GroupInput.MAX_PEOPLE);
      model.put("max", GroupInput.MAX_PEOPLE);
      model.put("errors", errors);
      model.put("fieldLabels", fieldLabels);
      model.put("idempotencyKey", key);
      model.put("keyReused", keyReused);
      model.put("full", event.seatsLeft() == 0);
      return templates.render(ctx, status, "registration/group", model);
    });
  }

  /** The sessions of each time slot, as the single form offers them, named for this person. */
  private static List<SlotChoice> slots(Lang lang, Event event, RegistrationInput input, String name, String id) {
    Set<String> chosen = new HashSet<>();
    input.sessions().forEach(s -> chosen.add(s.strip()));
    Map<java.time.Instant, List<EventSession>> bySlot = new java.util.TreeMap<>();
    event.sessions().forEach(s -> bySlot.computeIfAbsent(s.startsAt().toInstant(), k -> new ArrayList<>()).add(s));
    List<SlotChoice> out = new ArrayList<>();
    int index = 0;
    DateTimeFormatter hm = EventTimes.CLOCK;
    for (Map.Entry<java.time.Instant, List<EventSession>> slot : bySlot.entrySet()) {
      List<SessionChoice> sessions = new ArrayList<>();
      boolean any = false;
      for (EventSession s : slot.getValue()) {
        String value = String.valueOf(s.id());
        boolean checked = chosen.contains(value);
        any |= checked;
        String title = lang == Lang.EN && s.titleEn() != null && !s.titleEn().isBlank() ? s.titleEn() : s.titleSv();
        sessions.add(new SessionChoice(index == 0 && sessions.isEmpty() ? id + "sessions" : id + "session-" + index + "-" + s.id(),
            value, title + (s.inRoom() != null || s.room() == null || s.room().isBlank() ? "" : ", " + s.room().strip()),
            s.seatsLeft() == 0 ? Messages.get(lang, "reg.session.full") : Messages.get(lang, "event.sessionSeats", s.seatsLeft()),
            checked, ParticipantPages.roomFacts(lang, s), ParticipantPages.roomWarnings(lang, s, title)));
      }
      EventSession first = slot.getValue().get(0);
      String time = hm.format(first.startsAt().atZoneSameInstant(STOCKHOLM)) + "–" + hm.format(first.endsAt().atZoneSameInstant(STOCKHOLM));
      out.add(new SlotChoice(name + "session." + index, Messages.get(lang, "reg.slot", time), id + "session-" + index, sessions, !any));
      index++;
    }
    return out;
  }

  /** The needs catalogue, as the single form offers it, named for this person. */
  private List<NeedChoice> needs(Lang lang, Event event, RegistrationInput input, List<Need> catalogue, String id) {
    return ParticipantPages.needChoices(lang, event, input, catalogue, id, now());
  }

  private Msg closedReason(Event event) {
    if (event.status() == EventStatus.CANCELLED) {
      return Msg.of("error.reg.eventCancelled");
    }
    if (event.registrationOpen(now())) {
      return null;
    }
    if (event.registrationOpensAt() != null && now().isBefore(event.registrationOpensAt())) {
      return Msg.of("error.reg.notOpen");
    }
    return event.isPast(now()) ? Msg.of("error.reg.eventOver") : Msg.of("error.reg.closed");
  }

  private Future<Void> unavailable(RoutingContext ctx, int status, Event event, Msg reason) {
    Lang lang = Lang.of(ctx);
    Map<String, Object> model = new HashMap<>();
    model.put("e", EventView.of(event, lang, now()));
    model.put("message", Messages.get(lang, reason));
    return templates.render(ctx, status, "registration/unavailable", model);
  }

  /** PostgreSQL cannot store NUL: such a field is an error on the form, not a database failure. */
  private static Map<String, Msg> unstorable(MultiMap form) {
    Map<String, Msg> errors = new LinkedHashMap<>();
    for (Map.Entry<String, String> field : form) {
      if (field.getValue().indexOf('\0') >= 0 || field.getKey().indexOf('\0') >= 0) {
        errors.putIfAbsent("people", Msg.of("reg.error.unstorable"));
      }
    }
    return errors;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }
}
