package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import se.hok.samla.events.Event;
import se.hok.samla.events.EventSession;
import se.hok.samla.events.EventService;
import se.hok.samla.events.EventStatus;
import se.hok.samla.web.EventTimes;
import se.hok.samla.events.EventView;
import se.hok.samla.events.Organisation;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.Csv;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;

/** The organiser's view of who comes: registrations, waiting list, needs to arrange, diet list, export. */
public final class OrganiserRegistrationPages {
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;
  /** The sectors in the order people think of them (RegistrationInput.SECTORS is a set). */
  private static final List<String> SECTORS = List.of("ideburen", "offentlig", "privat", "ovrig");

  private final RegistrationService registrations;
  private final EventNeeds needs;
  private final NeedTasks tasks;
  private final EventService events;
  private final EventAccess access;
  private final AuditLog audit;
  private final Templates templates;
  private final Clock clock;

  public OrganiserRegistrationPages(RegistrationService registrations, EventNeeds needs, NeedTasks tasks,
                                    EventService events, EventAccess access, AuditLog audit, Templates templates,
                                    Clock clock) {
    this.registrations = registrations;
    this.needs = needs;
    this.tasks = tasks;
    this.events = events;
    this.access = access;
    this.audit = audit;
    this.templates = templates;
    this.clock = clock;
  }

  public void mount(Router router) {
    String base = "/arrangor/evenemang/:id/anmalningar";
    router.get(base).handler(access.page(EventRight.MANAGE)).handler(this::page);
    router.post(base).handler(access.page(EventRight.MANAGE)).handler(this::add);
    router.get(base + ".csv").handler(access.page(EventRight.MANAGE)).handler(this::csv);
    // Removing cancels, e-mails the person and erases them: a page of its own asks first (WCAG 3.3.4).
    router.get(base + "/:regId/ta-bort").handler(access.page(EventRight.MANAGE)).handler(this::removePage);
    router.post(base + "/:regId/ta-bort").handler(access.page(EventRight.MANAGE)).handler(this::remove);
    router.post(base + "/:regId/flytta-upp").handler(access.page(EventRight.MANAGE)).handler(this::promote);
    // A task's outcome (booked, could not be arranged …); booked and could-not-be-arranged are e-mailed to the person.
    router.post(base + "/uppgifter/:taskId").handler(access.page(EventRight.MANAGE)).handler(this::setTask);
    router.get("/arrangor/evenemang/:id/kost").handler(access.page(EventRight.MANAGE)).handler(this::diet);
  }

  // ------------------------------------------------------------------------------------------------ handlers

  private void page(RoutingContext ctx) {
    render(ctx, 200, new PageState(notice(ctx), null, null, Map.of()));
  }

  /** A phone or walk-in registration, typed in by the organiser on the person's behalf. */
  private void add(RoutingContext ctx) {
    long eventId = eventId(ctx);
    MultiMap form = ctx.request().formAttributes();
    RegistrationInput input = RegistrationInput.fromForm(form);
    Lang lang = Lang.of(ctx);
    registrations.register(eventId, input, idempotencyKey(form.get("key")), RegistrationService.Source.ORGANISER)
        .onSuccess(result -> {
          if (result.duplicate()) {
            render(ctx, 422, new PageState(null, null, input, Map.of("email", Messages.get(lang, "org.add.duplicate"))));
          } else {
            ctx.redirect(pagePath(eventId) + "?tillagd=" + result.id() + "#resultat");
          }
        })
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            render(ctx, 422, new PageState(null, null, input, v.messages(lang)));
          } else if (err instanceof ConflictException c) {
            render(ctx, 409, new PageState(null, Messages.get(lang, c.msg()), input, Map.of()));
          } else {
            ctx.fail(err);
          }
        });
  }

  /**
   * Who is removed, what they are told and where, and that it cannot be undone. The page shows one person's name and
   * address: logged as a read of one person, without needs. A registration of another event is not found here.
   */
  private void setTask(RoutingContext ctx) {
    long eventId = eventId(ctx);
    long taskId = se.hok.samla.web.PathIds.id(ctx, "taskId");
    MultiMap form = ctx.request().formAttributes();
    String field = "task-" + taskId;
    tasks.set(eventId, taskId, form.get("state"), form.get("note"), field, field + "-note")
        .onSuccess(changed -> ctx.redirect(pagePath(eventId) + "?klart=" + (changed.participantTold() ? "uppgift-meddelad" : "uppgift")
            + stateFilter(form.get("visa")).map(f -> "&uppgifter=" + f).orElse("")
            + sessionFilter(form.get("visa-pass")).map(f -> "&session=" + f).orElse("") + "#" + field))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            render(ctx, 422, new PageState(null, null, null, v.messages(Lang.of(ctx))));
          } else {
            ctx.fail(err);
          }
        });
  }

  private void removePage(RoutingContext ctx) {
    long eventId = eventId(ctx);
    UUID id = registrationId(ctx);
    Lang lang = Lang.of(ctx);
    events.get(eventId)
        .compose(event -> registrations.byId(id).compose(r -> {
          if (r.eventId() != eventId) {
            return Future.failedFuture(new NotFoundException("registration"));
          }
          boolean removable = !r.isCancelled() && !r.erased();
          return (removable ? audit.read(ctx, eventId, AuditLog.Read.REMOVAL_CONFIRMATION, false, 1) : Future.<Void>succeededFuture())
              .compose(v -> {
                Map<String, Object> model = new HashMap<>();
                model.put("event", EventView.of(event, lang, OffsetDateTime.now(clock)));
                model.put("reg", r);
                model.put("removable", removable);
                return templates.render(ctx, "organiser/remove-registration", model);
              });
        }))
        .onFailure(ctx::fail);
  }

  private void remove(RoutingContext ctx) {
    long eventId = eventId(ctx);
    registrations.remove(eventId, registrationId(ctx))
        .onSuccess(v -> ctx.redirect(pagePath(eventId) + "?klart=borttagen"))
        .onFailure(err -> conflictOnPage(ctx, err));
  }

  private void promote(RoutingContext ctx) {
    long eventId = eventId(ctx);
    registrations.promoteOne(eventId, registrationId(ctx))
        .onSuccess(v -> ctx.redirect(pagePath(eventId) + "?klart=uppflyttad"))
        .onFailure(err -> conflictOnPage(ctx, err));
  }

  /** For the caterer: counts and allergy details, never names. */
  private void diet(RoutingContext ctx) {
    long eventId = eventId(ctx);
    Lang lang = Lang.of(ctx);
    events.get(eventId)
        .compose(event -> needs.dietList(eventId)
            // The counts are about nobody in particular; each allergy note is about one person.
            .compose(diet -> audit.read(ctx, eventId, AuditLog.Read.DIET_LIST, true, diet.allergies().size()).map(diet))
            .compose(diet -> {
              Map<String, Object> model = new HashMap<>();
              model.put("event", EventView.of(event, lang, OffsetDateTime.now(clock)));
              model.put("diets", dietLines(diet, lang));
              model.put("total", diet.total());
              model.put("allergies", diet.allergies());
              return templates.render(ctx, "organiser/registrations-diet", model);
            }))
        .onFailure(ctx::fail);
  }

  /** The list as a spreadsheet. Needs (health data) only when asked for explicitly. */
  private void csv(RoutingContext ctx) {
    long eventId = eventId(ctx);
    boolean withNeeds = "true".equals(ctx.queryParams().get("needs"));
    Lang lang = Lang.of(ctx);
    events.get(eventId)
        .compose(event -> Future.all(registrations.list(eventId), registrations.catalogue())
            .compose(all -> {
              List<Registration> list = all.resultAt(0);
              int people = (int) list.stream().filter(r -> !r.isCancelled() && !r.erased()).count();
              return audit.read(ctx, eventId, AuditLog.Read.REGISTRATIONS_CSV, withNeeds, people)
                  .map(v -> csv(event, list, needLabels(all.resultAt(1), lang), withNeeds, lang));
            }))
        .onSuccess(text -> ctx.response()
            .putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"anmalningar-" + (withNeeds ? "med-behov-" : "")
                + "evenemang-" + eventId + ".csv\"")
            .putHeader("Cache-Control", "no-store")
            .end(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8))))
        .onFailure(ctx::fail);
  }

  // ------------------------------------------------------------------------------------------------ the page

  /** What a render of the page carries besides the data: a notice, a problem, and the manual-add form as sent. */
  private record PageState(String notice, String problem, RegistrationInput input, Map<String, String> errors) {}

  /** Success messages come back through the redirect as fixed codes, never as text from the URL. */
  private static String notice(RoutingContext ctx) {
    String done = ctx.queryParams().get("klart");
    return switch (done == null ? "" : done) {
      case "borttagen" -> Messages.get(Lang.of(ctx), "org.notice.removed");
      case "uppflyttad" -> Messages.get(Lang.of(ctx), "org.notice.promoted");
      case "uppgift" -> Messages.get(Lang.of(ctx), "org.notice.taskSaved");
      case "uppgift-meddelad" -> Messages.get(Lang.of(ctx), "org.notice.taskSavedTold");
      default -> null;
    };
  }

  /** A clash with the current state (no free seat, already moved up …) is shown on the page, not as an error page. */
  private void conflictOnPage(RoutingContext ctx, Throwable err) {
    if (err instanceof ConflictException c) {
      Lang lang = Lang.of(ctx);
      String hint = "no_seats".equals(c.code()) ? " " + Messages.get(lang, "org.problem.noSeatsHint") : "";
      render(ctx, 409, new PageState(null, Messages.get(lang, c.msg()) + hint, null, Map.of()));
    } else {
      ctx.fail(err);
    }
  }

  private void render(RoutingContext ctx, int status, PageState state) {
    long eventId = eventId(ctx);
    Lang lang = Lang.of(ctx);
    OffsetDateTime now = OffsetDateTime.now(clock);
    String taskFilter = stateFilter(ctx.queryParams().get("uppgifter")).orElse(null);
    Long sessionFilter = sessionFilter(ctx.queryParams().get("session")).orElse(null);
    // The event first: an unknown id is a 404 before anything is read or logged.
    events.get(eventId).compose(event -> Future.all(List.of(
            registrations.list(eventId),
            needs.needsSummary(eventId),
            needs.tasks(eventId, taskFilter, sessionFilter),
            needs.dietList(eventId),
            registrations.needs(),
            events.organisations(""),
            registrations.catalogue()))
        .compose(all -> audit.read(ctx, eventId, AuditLog.Read.REGISTRATIONS, true, all.<List<Registration>>resultAt(0).size())
            .map(all))
        .compose(all -> {
          List<Registration> list = all.resultAt(0);
          // Labels from the whole catalogue: a need hidden since keeps its name on older registrations.
          Map<String, String> needLabels = needLabels(all.resultAt(6), lang);
          Map<Long, String> sessionTitles = sessionTitles(event, lang);

          List<Row> confirmed = new ArrayList<>();
          List<Row> waitlist = new ArrayList<>();
          List<Row> cancelled = new ArrayList<>();
          for (Registration r : list) {
            Row row = row(r, needLabels, sessionTitles, lang);
            (r.isConfirmed() ? confirmed : r.isWaitlisted() ? waitlist : cancelled).add(row);
          }

          Map<String, Object> model = new HashMap<>();
          model.put("event", EventView.of(event, lang, now));
          model.put("confirmed", confirmed);
          model.put("waitlist", waitlist);
          model.put("cancelled", cancelled);
          model.put("seatsTaken", event.seatsTaken());
          model.put("capacity", event.capacity());
          model.put("companions", list.stream().filter(r -> r.isConfirmed() && r.companion()).count());
          model.put("needLines", needLines(all.resultAt(1), lang, now));
          model.put("tasks", taskLines(all.resultAt(2), lang, now));
          model.put("taskFilter", taskFilter);
          model.put("sessionFilter", sessionFilter);
          model.put("taskSessions", event.sessions().stream()
              .map(x -> new Choice(String.valueOf(x.id()), sessionTitles.get(x.id())
                  + (x.room() == null || x.room().isBlank() ? "" : " (" + x.room() + ")"),
                  sessionFilter != null && sessionFilter == x.id())).toList());
          model.put("taskStates", NeedTasks.STATES.stream()
              .map(st -> new Choice(st, Messages.get(lang, "org.tasks.stateName." + st), st.equals(taskFilter))).toList());
          EventNeeds.DietList diet = all.resultAt(3);
          model.put("diets", dietLines(diet, lang));
          model.put("dietTotal", diet.total());
          model.put("allergyCount", diet.allergies().size());

          model.put("added", added(ctx, list, lang));
          model.put("notice", state.notice());
          model.put("problem", state.problem());
          model.put("errors", state.errors());
          model.put("errorLinks", errorLinks(state.errors(), needLabels, lang));
          model.put("canAdd", event.status() == EventStatus.PUBLISHED && now.isBefore(event.endsAt()));
          model.put("form", form(state.input(), all.resultAt(4), all.resultAt(5), event, lang, now));
          return templates.render(ctx, status, "organiser/registrations", model);
        }))
        .onFailure(ctx::fail);
  }

  /** After a manual add: who was added, and whether they got a seat. */
  private static String added(RoutingContext ctx, List<Registration> list, Lang lang) {
    String id = ctx.queryParams().get("tillagd");
    if (id == null) {
      return null;
    }
    for (Registration r : list) {
      if (r.id().toString().equals(id)) {
        return r.isConfirmed() ? Messages.get(lang, "org.added.confirmed", r.name())
            : r.isWaitlisted() ? Messages.get(lang, "org.added.waitlisted", r.name(), r.waitlistPosition())
            : null;
      }
    }
    return null;
  }

  /** One registration as the table shows it: labels in the reader's language. */
  public record Row(UUID id, String name, String email, String phone, String organisation, String sector,
                    String status, String statusLabel, Integer position, boolean companion, List<NeedText> needs,
                    List<String> diet, List<String> sessions, boolean erased) {}

  public record NeedText(String label, String detail) {}

  /** The address, or – for someone signed up through a contact person – whose address their e-mail goes to. */
  private static String address(Registration r, Lang lang) {
    return r.managedByContact() ? Messages.get(lang, "group.viaContact", r.contactEmail()) : r.email();
  }

  private static Row row(Registration r, Map<String, String> needs, Map<Long, String> sessionTitles, Lang lang) {
    List<NeedText> needTexts = r.needs().stream()
        .map(n -> new NeedText(needs.getOrDefault(n.code(), n.code()), n.detail()))
        .toList();
    return new Row(r.id(), r.name(), address(r, lang), r.phone(), r.organisationName(),
        r.sector() == null ? null : Messages.get(lang, "sector." + r.sector()),
        r.status(), Messages.get(lang, "org.status." + r.status()), r.waitlistPosition(), r.companion(), needTexts,
        r.diet().stream().map(d -> dietLabel(d, lang)).toList(),
        r.sessions().stream().map(s -> sessionTitles.getOrDefault(s, "#" + s)).toList(), r.erased());
  }

  /** "3 × Hörslinga/teleslinga", with the book-by date of needs that must be booked ahead. */
  public record NeedLine(String label, long count, String bookBy, long urgent, boolean overdue, List<SessionLine> sessions) {}

  /** Where a need is needed: "Workshop B (Grupprum 2): 2", flagged when the room lacks what the need asks of it. */
  public record SessionLine(String text, boolean roomLacks) {}

  private static List<NeedLine> needLines(List<EventNeeds.NeedCount> counts, Lang lang, OffsetDateTime now) {
    LocalDate today = now.atZoneSameInstant(STOCKHOLM).toLocalDate();
    return counts.stream().map(n -> new NeedLine(lang == Lang.EN ? n.labelEn() : n.labelSv(), n.count(),
        n.bookBy() == null ? null : n.bookBy().toString(), n.urgent(),
        n.bookBy() != null && n.bookBy().isBefore(today),
        n.sessions().stream().map(s -> {
          String title = lang == Lang.EN && s.titleEn() != null && !s.titleEn().isBlank() ? s.titleEn() : s.titleSv();
          return new SessionLine(s.room() == null || s.room().isBlank()
              ? Messages.get(lang, "needs.sessionNoRoom", title, s.count())
              : Messages.get(lang, "needs.sessionRoom", title, s.room(), s.count()), s.roomLacks());
        }).toList())).toList();
  }

  /** A task as the table shows it; {@code overdue}: still to book after its book-by day. */
  public record TaskLine(long id, String need, String participant, String bookBy, boolean urgent, boolean overdue,
                         String state, String stateLabel, String note, boolean told, List<String> where) {}

  private static List<TaskLine> taskLines(List<EventNeeds.Task> tasks, Lang lang, OffsetDateTime now) {
    LocalDate today = now.atZoneSameInstant(STOCKHOLM).toLocalDate();
    return tasks.stream().map(t -> new TaskLine(t.id(), lang == Lang.EN ? t.labelEn() : t.labelSv(), t.participant(),
        t.bookBy().toString(), t.urgent(), !t.done() && t.bookBy().isBefore(today), t.state(),
        Messages.get(lang, "org.tasks.stateName." + t.state()), t.note(), t.state().equals(t.toldState()),
        t.sessions().stream().map(x -> x.room() == null ? x.title(lang == Lang.EN)
            : Messages.get(lang, "org.tasks.sessionRoom", x.title(lang == Lang.EN), x.room())).toList())).toList();
  }

  /** A session to filter the tasks by (digits; one of another event shows none); anything else shows them all. */
  private static java.util.Optional<Long> sessionFilter(String value) {
    if (value == null || value.isBlank() || value.length() > 18 || !value.strip().chars().allMatch(c -> c >= '0' && c <= '9')) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Long.parseLong(value.strip()));
  }

  /** A state to filter the tasks by; anything else shows them all. */
  private static java.util.Optional<String> stateFilter(String value) {
    return value != null && NeedTasks.STATES.contains(value) ? java.util.Optional.of(value) : java.util.Optional.empty();
  }

  public record DietLine(String label, long count) {}

  private static List<DietLine> dietLines(EventNeeds.DietList diet, Lang lang) {
    List<DietLine> out = new ArrayList<>();
    diet.counts().forEach((code, count) -> out.add(new DietLine(dietLabel(code, lang), count)));
    return out;
  }

  // ------------------------------------------------------------------------------------------------ the add form

  /** An entry of the error summary: the field's name first, since several fields share "Fill in this field". */
  public record ErrorLink(String anchor, String text) {}

  private static final Map<String, String> FIELD_LABELS = Map.ofEntries(
      Map.entry("name", "org.add.name"), Map.entry("email", "org.add.email"), Map.entry("phone", "org.add.phone"),
      Map.entry("language", "org.add.language"), Map.entry("organisationId", "org.add.organisationId"),
      Map.entry("organisationName", "org.add.organisationName"), Map.entry("sector", "org.add.sector"),
      Map.entry("companion", "org.add.companionLegend"), Map.entry("sessions", "org.col.sessions"),
      Map.entry("needs", "org.add.needs"), Map.entry("diet", "org.add.diet"), Map.entry("consent", "org.add.consentLegend"));

  private static List<ErrorLink> errorLinks(Map<String, String> errors, Map<String, String> needs, Lang lang) {
    List<ErrorLink> out = new ArrayList<>();
    errors.forEach((field, message) -> {
      String label = field.startsWith("needs.") ? needs.get(field.substring(6))
          : FIELD_LABELS.containsKey(field) ? Messages.get(lang, FIELD_LABELS.get(field)) : null;
      out.add(new ErrorLink(field.replace('.', '-'), label == null ? message : label + ": " + message));
    });
    return out;
  }

  public record Form(String key, String name, String email, String phone, String organisationId,
                     String organisationName, String sector, boolean companion, boolean consent, String language,
                     List<Organisation> organisations, List<Choice> sectors, List<NeedChoice> needs,
                     List<Choice> diets, List<SlotChoice> slots) {}

  public record Choice(String code, String label, boolean checked) {}

  /** A need to tick; {@code asksDetail}, not hasDetail: Pebble would read n.detail through hasDetail(). */
  public record NeedChoice(String code, String label, boolean asksDetail, boolean checked, String detail) {}

  public record SlotChoice(int index, String time, List<Choice> sessions, boolean none) {}

  private static Form form(RegistrationInput input, List<Need> catalogue, List<Organisation> organisations, Event event,
                           Lang lang, OffsetDateTime now) {
    RegistrationInput in = input != null ? input : new RegistrationInput(null, null, null, null, null, null, null,
        List.of(), Map.of(), List.of(), false, false, "sv");
    List<Choice> sectors = SECTORS.stream()
        .map(s -> new Choice(s, Messages.get(lang, "sector." + s), s.equals(in.sector()))).toList();
    List<NeedChoice> needs = catalogue.stream()
        .filter(n -> !Need.COMPANION.equals(n.code()))  // asked once, as the companion question
        .map(n -> new NeedChoice(n.code(), n.label(lang), n.hasDetail(), in.needs().containsKey(n.code()),
            in.detailText(n.code())))
        .toList();
    List<Choice> diets = RegistrationInput.DIETS.stream()
        .map(d -> new Choice(d, dietLabel(d, lang), in.diet().contains(d))).toList();
    List<SlotChoice> slots = new ArrayList<>();
    List<EventView.Slot> eventSlots = EventView.of(event, lang, now).slots();
    for (int i = 0; i < eventSlots.size(); i++) {
      EventView.Slot slot = eventSlots.get(i);
      List<Choice> sessions = slot.sessions().stream()
          .map(s -> new Choice(String.valueOf(s.session().id()), s.title(),
              in.sessions().contains(String.valueOf(s.session().id()))))
          .toList();
      slots.add(new SlotChoice(i, slot.time(), sessions, sessions.stream().noneMatch(Choice::checked)));
    }
    return new Form("organiser-" + UUID.randomUUID(), in.name(), in.email(), in.phone(), in.organisationId(),
        in.organisationName(), in.sector(), in.companion(), in.consent(), in.language() == null ? "sv" : in.language(),
        organisations, sectors, needs, diets, slots);
  }

  // ------------------------------------------------------------------------------------------------ CSV

  /** needLabels: code → label in catalogue order. */
  private static String csv(Event event, List<Registration> list, Map<String, String> needLabels, boolean withNeeds,
                            Lang lang) {
    Map<Long, String> sessionTitles = sessionTitles(event, lang);
    List<Registration> live = list.stream().filter(r -> !r.isCancelled() && !r.erased()).toList();
    // Only the needs somebody stated get a column, in the catalogue's order (unknown codes last).
    List<String> needColumns = new ArrayList<>();
    if (withNeeds) {
      needLabels.keySet().stream()
          .filter(code -> live.stream().anyMatch(r -> r.needs().stream().anyMatch(n -> n.code().equals(code))))
          .forEach(needColumns::add);
      live.forEach(r -> r.needs().forEach(n -> {
        if (!needColumns.contains(n.code())) {
          needColumns.add(n.code());
        }
      }));
    }

    Csv out = Csv.document();
    List<String> header = new ArrayList<>(List.of("name", "email", "organisation", "sector", "status", "position",
        "companion", "sessions").stream().map(k -> Messages.get(lang, k.equals("companion") ? "companion.label" : "org.csv." + k))
        .toList());
    if (withNeeds) {
      header.add(Messages.get(lang, "org.csv.diet"));
      needColumns.forEach(code -> header.add(needLabels.getOrDefault(code, code)));
    }
    out.line(header);
    String yes = Messages.get(lang, "event.yes");
    String no = Messages.get(lang, "event.no");
    for (Registration r : live) {
      List<String> cells = new ArrayList<>();
      cells.add(r.name());
      cells.add(address(r, lang));
      cells.add(r.organisationName());
      cells.add(r.sector() == null ? null : Messages.get(lang, "sector." + r.sector()));
      cells.add(Messages.get(lang, "org.status." + r.status()));
      cells.add(r.waitlistPosition() == null ? null : String.valueOf(r.waitlistPosition()));
      cells.add(Messages.get(lang, r.companion() ? "companion.yes" : "companion.no"));
      cells.add(String.join(", ", r.sessions().stream().map(s -> sessionTitles.getOrDefault(s, "#" + s)).toList()));
      if (withNeeds) {
        cells.add(String.join(", ", r.diet().stream().map(d -> dietLabel(d, lang)).toList()));
        for (String code : needColumns) {
          Registration.NeedChoice choice = r.needs().stream().filter(n -> n.code().equals(code)).findFirst().orElse(null);
          cells.add(choice == null ? null : choice.detail() == null ? yes : choice.detail());
        }
      }
      out.line(cells);
    }
    return out.toString();
  }

  // ------------------------------------------------------------------------------------------------ small parts

  private static Map<Long, String> sessionTitles(Event event, Lang lang) {
    Map<Long, String> titles = new HashMap<>();
    for (EventSession s : event.sessions()) {
      titles.put(s.id(), lang == Lang.EN && s.titleEn() != null && !s.titleEn().isBlank() ? s.titleEn() : s.titleSv());
    }
    return titles;
  }

  /** Code → label in the reader's language, in catalogue order. */
  private static Map<String, String> needLabels(List<RegistrationService.NeedEntry> catalogue, Lang lang) {
    Map<String, String> labels = new LinkedHashMap<>();
    catalogue.forEach(n -> labels.put(n.code(), lang == Lang.EN ? n.labelEn() : n.labelSv()));
    return labels;
  }

  private static String dietLabel(String code, Lang lang) {
    String key = "org.dietName." + code;
    String label = Messages.get(lang, key);
    return label.equals(key) ? code : label;
  }

  /** Accepted only when it looks like the one the page made; anything else means no idempotency for this post. */
  private static String idempotencyKey(String key) {
    return key != null && key.matches("organiser-[0-9a-f-]{36}") ? key : null;
  }

  private static String pagePath(long eventId) {
    return "/arrangor/evenemang/" + eventId + "/anmalningar";
  }

  private static long eventId(RoutingContext ctx) {
    return se.hok.samla.web.PathIds.id(ctx);
  }

  private static UUID registrationId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("regId"));
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("registration");
    }
  }
}
