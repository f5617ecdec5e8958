package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.staff.StaffMember;
import se.hok.samla.web.Api;
import se.hok.samla.web.BadRequestException;
import se.hok.samla.web.Msg;
import se.hok.samla.web.Json;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.TooManyRequestsException;
import se.hok.samla.web.ValidationException;

/** Signing up and self-service through /api/v1, and the organiser's lists. */
public final class RegistrationApi {
  private final RegistrationService registrations;
  private final EventNeeds needs;
  private final NeedTasks tasks;
  private final EventAccess access;
  private final AuditLog audit;

  public RegistrationApi(RegistrationService registrations, EventNeeds needs, NeedTasks tasks, EventAccess access,
                         AuditLog audit) {
    this.registrations = registrations;
    this.needs = needs;
    this.tasks = tasks;
    this.access = access;
    this.audit = audit;
  }

  public void mount(Api api) {
    api.operation("listNeeds", Api::open, this::needs);
    // The opening rush's path: its body is checked here, as the contract describes it (see operationCheckedByHandler).
    api.operationCheckedByHandler("createRegistration", staffWithTokenOnly(), this::create);
    api.operation("createGroupRegistration", Api::open, this::createGroup);
    api.operation("getRegistration", Api::open, this::get);
    api.operation("changeRegistration", Api::open, this::change);
    api.operation("cancelRegistration", Api::open, this::cancel);
    api.operation("listRegistrations", access.api(EventRight.MANAGE), this::list);
    api.operation("needsSummary", access.api(EventRight.MANAGE), this::needsSummary);
    api.operation("listTasks", access.api(EventRight.MANAGE), this::listTasks);
    api.operation("setTask", access.api(EventRight.MANAGE), this::setTask);
  }

  /**
   * Who counts as staff when signing someone up: a caller with a bearer token must be one of the event's organisers
   * (else 401/403, never quietly treated as the public); a caller without one is the public.
   */
  private io.vertx.core.Handler<RoutingContext> staffWithTokenOnly() {
    io.vertx.core.Handler<RoutingContext> organiser = access.api(EventRight.MANAGE);
    return ctx -> {
      if (ctx.request().getHeader("Authorization") == null) {
        ctx.next();
      } else {
        organiser.handle(ctx);
      }
    };
  }

  /** Where a participant manages their registration. */
  public static String manageUrl(String publicUrl, String token) {
    return publicUrl + "/anmalan/" + token;
  }

  private void needs(RoutingContext ctx) {
    registrations.needs().onSuccess(list -> Json.send(ctx, 200, Map.of("needs", list.stream().map(n -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("code", n.code());
      m.put("label", n.labelSv());
      m.put("labelEn", n.labelEn());
      m.put("hasDetail", n.hasDetail());
      m.put("leadDays", n.leadDays());
      return m;
    }).toList()))).onFailure(ctx::fail);
  }

  /**
   * The public gets 202 and one body, whatever happened (new, already registered, waitlisted, or an address signed up
   * more often than its limits allow, which is then kept nowhere): the seat or waiting-list place and the manage link
   * come by e-mail to the address. Staff get 201 with the registration's id, status, place
   * and late needs, or 422 on the address when it is already registered; never a manage link, which is the
   * participant's alone (staff have their own, logged access).
   */
  private void create(RoutingContext ctx) {
    long eventId = eventId(ctx);
    JsonObject input = strictBody(ctx);
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && key.isBlank()) {
      key = null;
    }
    StaffMember staff = StaffAuth.current(ctx);
    java.util.Optional<java.time.Duration> overLimit = SignUpLimits.addressOverLimit(ctx);
    if (staff != null && overLimit.isPresent()) {
      // An organiser of the event sees its registrations anyway: telling them reveals nothing.
      ctx.fail(new TooManyRequestsException(overLimit.get(), "signup.tooManyForEmail"));
      return;
    }
    RegistrationService.Source source = staff != null ? RegistrationService.Source.ORGANISER : RegistrationService.Source.API;
    registrations.register(eventId, RegistrationInput.fromJson(input), key, source, SignUpLimits.effect(ctx))
        .onSuccess(r -> {
          if (staff == null) {
            Json.send(ctx, 202, neutralAnswer(Lang.of(ctx)));
          } else if (r.duplicate()) {
            ctx.fail(ValidationException.of("email", "error.reg.alreadyRegistered"));
          } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", r.id());
            body.put("status", r.status());
            body.put("waitlistPosition", r.waitlistPosition());
            body.put("urgentNeeds", r.urgentNeeds());
            Json.send(ctx, 201, body);
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * A contact person signs several people up: always 202 with the one neutral body (see
   * {@link RegistrationService#registerGroup}); mistakes are 422 with each field named ({@code people[2].email}), and
   * nothing is kept. A token is not needed and changes nothing: organisers sign people up one by one, with 201.
   */
  private void createGroup(RoutingContext ctx) {
    long eventId = eventId(ctx);
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > 200)) {
      key = null;
    }
    registrations.registerGroup(eventId, GroupInput.fromJson(Api.body(ctx)), key, RegistrationService.Source.API,
            SignUpLimits.groupEffects(ctx))
        .onSuccess(r -> Json.send(ctx, 202, neutralAnswer(Lang.of(ctx))))
        .onFailure(ctx::fail);
  }

  /** The one answer the public gets to a sign-up. */
  static Map<String, Object> neutralAnswer(Lang lang) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("outcome", "check_email");
    body.put("message", Messages.get(lang, "registration.checkEmail"));
    return body;
  }

  private void get(RoutingContext ctx) {
    registrations.byToken(ctx.pathParam("token"))
        .onSuccess(r -> Json.send(ctx, 200, json(r)))
        .onFailure(ctx::fail);
  }

  /** PATCH: the fields sent replace those stored; the rest stay as they are. */
  private void change(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    JsonObject patch = Api.body(ctx);
    registrations.byToken(token)
        .compose(current -> registrations.change(token, RegistrationInput.fromJson(merge(current, patch))))
        .onSuccess(r -> Json.send(ctx, 200, json(r)))
        .onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    if ("true".equals(ctx.queryParams().get("erase"))) {
      registrations.eraseByToken(token).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
      return;
    }
    registrations.cancelByToken(token).onSuccess(r -> Json.send(ctx, 200, json(r))).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    long eventId = eventId(ctx);
    registrations.list(eventId)
        .compose(list -> audit.read(ctx, eventId, AuditLog.Read.REGISTRATIONS, true, list.size()).map(list))
        .onSuccess(list -> Json.send(ctx, 200, Map.of("registrations", list.stream().map(RegistrationApi::json).toList())))
        .onFailure(ctx::fail);
  }

  private void needsSummary(RoutingContext ctx) {
    long eventId = eventId(ctx);
    needs.needsSummary(eventId)
        .compose(counts -> needs.dietList(eventId).compose(diet -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("needs", counts.stream().map(n -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", n.code());
            m.put("label", n.labelSv());
            m.put("count", n.count());
            m.put("bookBy", n.bookBy() == null ? null : n.bookBy().toString());
            m.put("urgent", n.urgent());
            m.put("sessions", n.sessions().stream().map(s -> {
              Map<String, Object> where = new LinkedHashMap<>();
              where.put("sessionId", s.sessionId());
              where.put("title", s.titleSv());
              where.put("room", s.room());
              where.put("count", s.count());
              where.put("roomLacks", s.roomLacks());
              return where;
            }).toList());
            return m;
          }).toList());
          body.put("diet", Map.of("counts", diet.counts(), "participants", diet.total(), "allergies", diet.allergies()));
          // Counts are about nobody in particular; the allergy notes are each about one person.
          return audit.read(ctx, eventId, AuditLog.Read.NEEDS_SUMMARY, true, diet.allergies().size()).map(body);
        }))
        .onSuccess(body -> Json.send(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  /** The organiser's tasks, each with whom it is for: a read of needs next to names, logged. */
  private void listTasks(RoutingContext ctx) {
    long eventId = eventId(ctx);
    String state = ctx.queryParams().get("state");
    if (state != null && !NeedTasks.STATES.contains(state)) {
      ctx.fail(ValidationException.of("state", "error.task.state"));
      return;
    }
    Long sessionId = se.hok.samla.web.QueryNumbers.optionalId(ctx, "session");
    Future<Boolean> known = sessionId == null ? Future.succeededFuture(true) : needs.isSessionOf(eventId, sessionId);
    known.compose(ok -> ok ? needs.tasks(eventId, state, sessionId)
            : Future.<List<EventNeeds.Task>>failedFuture(ValidationException.of("session", "error.task.session")))
        .compose(list -> audit.read(ctx, eventId, AuditLog.Read.NEED_TASKS, true,
            (int) list.stream().map(EventNeeds.Task::registrationId).distinct().count()).map(list))
        .onSuccess(list -> Json.send(ctx, 200, Map.of("tasks", list.stream().map(t -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", t.id());
          m.put("registrationId", t.registrationId());
          m.put("participant", t.participant());
          m.put("need", t.needCode());
          m.put("label", t.labelSv());
          m.put("labelEn", t.labelEn());
          m.put("bookBy", t.bookBy().toString());
          m.put("urgent", t.urgent());
          m.put("state", t.state());
          m.put("note", t.note());
          m.put("participantTold", t.state().equals(t.toldState()));
          m.put("sessions", t.sessions().stream().map(x -> {
            Map<String, Object> where = new LinkedHashMap<>();
            where.put("sessionId", x.sessionId());
            where.put("title", x.titleSv());
            where.put("titleEn", x.titleEn());
            where.put("room", x.room());
            return where;
          }).toList());
          return m;
        }).toList())))
        .onFailure(ctx::fail);
  }

  /** PUT: the task's state and note as sent (a missing note clears it). */
  private void setTask(RoutingContext ctx) {
    long eventId = eventId(ctx);
    long taskId = se.hok.samla.web.PathIds.id(ctx, "taskId");
    JsonObject body = Api.body(ctx);
    Object state = body.getValue("state");
    Object note = body.getValue("note");
    tasks.set(eventId, taskId, state instanceof String s ? s : null, note instanceof String n ? n : null, "state", "note")
        .onSuccess(c -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", c.id());
          m.put("state", c.state());
          m.put("note", c.note());
          m.put("participantTold", c.participantTold());
          Json.send(ctx, 200, m);
        })
        .onFailure(ctx::fail);
  }

  static Map<String, Object> json(Registration r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("eventId", r.eventId());
    m.put("status", r.status());
    m.put("waitlistPosition", r.waitlistPosition());
    m.put("name", r.name());
    m.put("email", r.email());
    m.put("phone", r.phone());
    m.put("organisation", r.organisationId() == null ? null
        : Map.of("id", r.organisationId(), "name", r.organisationName(), "sector", r.sector()));
    m.put("roleTitle", r.roleTitle());
    m.put("companion", r.companion());
    m.put("diet", r.diet());
    m.put("language", r.language());
    m.put("needs", r.needs().stream().map(n -> {
      Map<String, Object> need = new LinkedHashMap<>();
      need.put("code", n.code());
      need.put("detail", n.detail());
      return need;
    }).toList());
    m.put("sessions", r.sessions());
    m.put("createdAt", r.createdAt());
    return m;
  }

  /** The stored registration as input, with the PATCH's fields on top. Consent stays given once given. */
  static JsonObject merge(Registration r, JsonObject patch) {
    JsonArray needs = new JsonArray();
    r.needs().forEach(n -> needs.add(new JsonObject().put("code", n.code()).put("detail", n.detail())));
    JsonObject base = new JsonObject()
        .put("name", r.name()).put("email", r.email()).put("phone", r.phone())
        .put("organisationId", r.organisationId()).put("roleTitle", r.roleTitle())
        .put("sessions", new JsonArray(List.copyOf(r.sessions()))).put("needs", needs)
        .put("diet", new JsonArray(List.copyOf(r.diet()))).put("companion", r.companion())
        .put("consent", !r.needs().isEmpty()).put("language", r.language());
    patch.fieldNames().stream().filter(f -> !f.equals("name") && !f.equals("email"))
        .forEach(f -> base.put(f, patch.getValue(f)));
    return base;
  }

  private static final Set<String> SECTORS = Set.of("ideburen", "offentlig", "privat", "ovrig");
  private static final Set<String> DIETS = Set.of("vegetarisk", "vegansk", "glutenfri", "laktosfri", "fri_fran_notter", "halal");
  private static final Set<String> LANGUAGES = Set.of("sv", "en");

  /**
   * The sign-up's JSON body (components/schemas/RegistrationInput), refused with 400 and a message per field wherever
   * the contract would refuse it; with the Idempotency-Key header's length. Checked here rather than by the contract's
   * validator, which builds a schema validator for every request and took most of the CPU of an opening rush.
   */
  static JsonObject strictBody(RoutingContext ctx) {
    JsonObject body = Json.body(ctx)
        .orElseThrow(() -> new BadRequestException(Map.of("body", Msg.of("error.schema"))));
    Map<String, Msg> errors = new LinkedHashMap<>();
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && key.length() > 200) {
      errors.put("Idempotency-Key", Msg.of("error.schema.range"));
    }
    for (String field : List.of("name", "email")) {
      type(errors, body, field, String.class, false);
    }
    for (String field : List.of("phone", "organisationName", "roleTitle")) {
      type(errors, body, field, String.class, true);
    }
    Object organisationId = body.getValue("organisationId");
    if (organisationId != null && !integer(organisationId)) {
      errors.put("organisationId", Msg.of("error.schema.type"));
    }
    oneOf(errors, body, "sector", SECTORS, true);
    oneOf(errors, body, "language", LANGUAGES, false);
    type(errors, body, "companion", Boolean.class, false);
    type(errors, body, "consent", Boolean.class, false);
    items(errors, body, "sessions", (field, item) -> {
      if (!integer(item)) {
        errors.put(field, Msg.of("error.schema.type"));
      }
    });
    items(errors, body, "diet", (field, item) -> {
      if (!(item instanceof String)) {
        errors.put(field, Msg.of("error.schema.type"));
      } else if (!DIETS.contains(item)) {
        errors.put(field, Msg.of("error.schema.enum"));
      }
    });
    items(errors, body, "needs", (field, item) -> {
      if (!(item instanceof JsonObject n)) {
        errors.put(field, Msg.of("error.schema.type"));
      } else if (!(n.getValue("code") instanceof String)) {
        errors.put(field + ".code", Msg.of(n.containsKey("code") ? "error.schema.type" : "error.required"));
      } else if (n.getValue("detail") != null && !(n.getValue("detail") instanceof String)) {
        errors.put(field + ".detail", Msg.of("error.schema.type"));
      }
    });
    if (!errors.isEmpty()) {
      throw new BadRequestException(errors);
    }
    return body;
  }

  /** Absent is fine; present, it must be of the type (or null, where {@code nullable}). */
  private static void type(Map<String, Msg> errors, JsonObject body, String field, Class<?> type, boolean nullable) {
    if (!body.containsKey(field)) {
      return;
    }
    Object value = body.getValue(field);
    if (value == null ? !nullable : !type.isInstance(value)) {
      errors.put(field, Msg.of("error.schema.type"));
    }
  }

  /** Absent is fine; present, it must be one of the allowed texts (or null, where {@code nullable}). */
  private static void oneOf(Map<String, Msg> errors, JsonObject body, String field, Set<String> allowed, boolean nullable) {
    if (!body.containsKey(field)) {
      return;
    }
    Object value = body.getValue(field);
    if (value == null ? !nullable : !(value instanceof String)) {
      errors.put(field, Msg.of("error.schema.type"));
    } else if (value != null && !allowed.contains(value)) {
      errors.put(field, Msg.of("error.schema.enum"));
    }
  }

  /** Absent is fine; present, an array whose every item ({@code field[i]}) passes {@code check}. */
  private static void items(Map<String, Msg> errors, JsonObject body, String field,
                            java.util.function.BiConsumer<String, Object> check) {
    if (!body.containsKey(field)) {
      return;
    }
    if (!(body.getValue(field) instanceof JsonArray array)) {
      errors.put(field, Msg.of("error.schema.type"));
      return;
    }
    for (int i = 0; i < array.size(); i++) {
      check.accept(field + "[" + i + "]", array.getValue(i));
    }
  }

  /** A JSON integer (JSON Schema counts 3.0 as one too). */
  private static boolean integer(Object value) {
    return value instanceof Number n && !Double.isInfinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue());
  }

  static long eventId(RoutingContext ctx) {
    return se.hok.samla.web.PathIds.id(ctx);
  }

}
