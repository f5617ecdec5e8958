package se.hok.samla.checkin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.registration.RegistrationInput;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.staff.StaffMember;
import se.hok.samla.web.Api;
import se.hok.samla.web.BadRequestException;
import se.hok.samla.web.Msg;
import se.hok.samla.web.FieldChecks;
import se.hok.samla.web.Json;
import se.hok.samla.web.PathIds;

/** The door's API: scan, undo, search, walk-in, the offline sync and the live counts (check-in role). */
public final class CheckinApi {
  /** The scan request's body as the access check found it (see scanEvent). */
  private static final String CHECKED_BODY = "samla.scanBody";

  private final CheckinService checkins;
  private final LiveCounts live;
  private final EventAccess access;
  private final AuditLog audit;

  public CheckinApi(CheckinService checkins, LiveCounts live, EventAccess access, AuditLog audit) {
    this.checkins = checkins;
    this.live = live;
    this.access = access;
    this.audit = audit;
  }

  public void mount(Api api) {
    // The door's hottest path: its body is checked here, as the contract describes it (see operationCheckedByHandler).
    api.operationCheckedByHandler("checkin", access.api(EventRight.DOOR, CheckinApi::scanEvent), this::checkin);
    api.operation("undoCheckin", access.api(EventRight.DOOR, this::checkinEvent), this::undo);
    api.operation("checkinSync", access.api(EventRight.DOOR), this::sync);
    api.operation("checkinLive", access.api(EventRight.DOOR), ctx -> live.stream(ctx, PathIds.id(ctx)));
    api.operation("checkinSearch", access.api(EventRight.DOOR), this::search);
    api.operation("walkIn", access.api(EventRight.DOOR), this::walkIn);
  }

  /**
   * The event a scan is for: its body's eventId. The body is checked here, before access is decided, as strictly as
   * the contract describes it (400 otherwise), and kept for the handler.
   */
  private static Future<Long> scanEvent(RoutingContext ctx) {
    JsonObject body = strictBody(ctx);
    ctx.put(CHECKED_BODY, body);
    return Future.succeededFuture(body.getLong("eventId"));
  }

  /** The event of the check-in to undo; null (refused, or 404 for admins) when there is none. */
  private Future<Long> checkinEvent(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("checkinId"));
    } catch (NumberFormatException e) {
      return Future.failedFuture(new BadRequestException(Map.of("checkinId", Msg.of("error.schema.type"))));
    }
    return checkins.eventOfCheckin(id);
  }

  private void checkin(RoutingContext ctx) {
    JsonObject body = ctx.get(CHECKED_BODY);
    StaffMember staff = StaffAuth.current(ctx);
    CheckinService.Scan scan = scan(body, staff.id(), AuditLog.clientAddress(ctx));
    checkins.scan(scan)
        .onSuccess(result -> {
          if (result.admitted()) {
            live.changed(scan.eventId());
          }
          Json.send(ctx, 200, result.toJson());
        })
        .onFailure(ctx::fail);
  }

  /** Fields of the scan request and their JSON types, as in the contract (CheckinRequest). */
  private static final Map<String, Class<?>> SCAN_FIELDS = Map.of(
      "code", String.class, "registrationId", String.class, "eventId", Number.class, "sessionId", Number.class,
      "deviceId", String.class, "scannedAt", String.class, "idempotencyKey", String.class, "admittedOffline", Boolean.class,
      "test", Boolean.class);
  private static final Map<String, Integer> SCAN_MAX_LENGTH = Map.of(
      "code", 200, "registrationId", 36, "deviceId", 100, "scannedAt", 40, "idempotencyKey", 200);

  /** The JSON body, refused with 400 and a message per field wherever the contract would refuse it. */
  static JsonObject strictBody(RoutingContext ctx) {
    JsonObject body = Json.body(ctx)
        .orElseThrow(() -> new BadRequestException(Map.of("body", Msg.of("error.schema"))));
    Map<String, Msg> errors = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Object> field : body) {
      Class<?> type = SCAN_FIELDS.get(field.getKey());
      Object value = field.getValue();
      if (type == null) {
        continue;  // the contract allows other properties
      }
      if (value == null) {
        if (field.getKey().equals("eventId") || field.getKey().equals("deviceId") || field.getKey().equals("admittedOffline")
            || field.getKey().equals("test")) {
          errors.put(field.getKey(), Msg.of("error.schema.type"));
        }
        continue;
      }
      if (!type.isInstance(value)) {
        errors.put(field.getKey(), Msg.of("error.schema.type"));
      } else if (value instanceof Number n && (n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1)) {
        errors.put(field.getKey(), Msg.of("error.schema.range"));
      } else if (value instanceof String text && (text.length() > SCAN_MAX_LENGTH.get(field.getKey())
          || field.getKey().equals("deviceId") && text.isEmpty())) {
        errors.put(field.getKey(), Msg.of("error.schema.range"));
      }
    }
    for (String required : List.of("eventId", "deviceId")) {
      if (!body.containsKey(required)) {
        errors.putIfAbsent(required, Msg.of("error.required"));
      }
    }
    if (!errors.isEmpty()) {
      throw new BadRequestException(errors);
    }
    return body;
  }

  /** The request as a scan, or every field error at once. */
  static CheckinService.Scan scan(JsonObject body, long staffId, String client) {
    FieldChecks checks = new FieldChecks();
    String code = blankToNull(body.getString("code"));
    String registration = blankToNull(body.getString("registrationId"));
    UUID registrationId = null;
    if ((code == null) == (registration == null)) {
      checks.add(code == null ? "code" : "registrationId", "checkin.error.codeOrRegistration");
    } else if (registration != null) {
      try {
        registrationId = UUID.fromString(registration);
      } catch (IllegalArgumentException e) {
        checks.add("registrationId", "checkin.error.registrationId");
      }
    }
    if (code != null) {
      // A handheld scanner may add spaces or a newline; a person typing may use lower case.
      code = code.replaceAll("\\s", "").toUpperCase(java.util.Locale.ROOT);
    }
    String device = checks.text("deviceId", body.getString("deviceId"), true, 100);
    OffsetDateTime scannedAt = time(checks, "scannedAt", body.getString("scannedAt"));
    String key = checks.text("idempotencyKey", body.getString("idempotencyKey"), false, 200);
    checks.throwIfAny();
    return new CheckinService.Scan(body.getLong("eventId"), body.getLong("sessionId"), code, registrationId, device,
        staffId, scannedAt, key, Boolean.TRUE.equals(body.getBoolean("admittedOffline")),
        code != null ? "scan" : "manual", client, Boolean.TRUE.equals(body.getBoolean("test")));
  }

  private static OffsetDateTime time(FieldChecks checks, String field, String value) {
    String v = blankToNull(value);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(v).atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        checks.add(field, "checkin.error.time");
        return null;
      }
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private void undo(RoutingContext ctx) {
    checkins.undo(PathIds.id(ctx, "checkinId"), StaffAuth.current(ctx).id())
        .onSuccess(eventId -> {
          live.changed(eventId);
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(ctx::fail);
  }

  /**
   * Everything an offline device needs, names and at-door needs of every ticket holder included, and the conflicts to
   * show: logged as a read of them, with needs.
   */
  private void sync(RoutingContext ctx) {
    long eventId = PathIds.id(ctx);
    checkins.sync(eventId)
        .compose(json -> audit.read(ctx, eventId, AuditLog.Read.DOOR_SYNC, true, json.getJsonArray("tickets").size())
            .map(json))
        .onSuccess(json -> Json.send(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  private void search(RoutingContext ctx) {
    long eventId = PathIds.id(ctx);
    Long sessionId = se.hok.samla.web.QueryNumbers.optionalId(ctx, "sessionId");
    checkins.search(eventId, sessionId, ctx.queryParams().get("q"))
        .compose(list -> audit.read(ctx, eventId, AuditLog.Read.DOOR_SEARCH, false, list.size()).map(list))
        .onSuccess(list -> Json.send(ctx, 200, new JsonObject().put("attendees", new JsonArray(List.copyOf(list)))))
        .onFailure(ctx::fail);
  }

  /**
   * A walk-in: name, optional address, organisation (from the pick list), at-door needs (codes; consent required, as
   * in every sign-up) and companion; {@code overCapacity} lets them in beyond capacity against no-shows' seats.
   */
  private void walkIn(RoutingContext ctx) {
    long eventId = PathIds.id(ctx);
    JsonObject body = Api.body(ctx);
    FieldChecks checks = new FieldChecks();
    String device = checks.text("deviceId", body.getString("deviceId"), true, 100);
    String key = checks.text("idempotencyKey", body.getString("idempotencyKey"), false, 200);
    Map<String, String> needs = new java.util.LinkedHashMap<>();
    Object needList = body.getValue("needs");
    if (needList instanceof JsonArray array) {
      for (Object code : array) {
        if (code instanceof String c && !c.isBlank()) {
          needs.put(c.strip(), null);
        } else {
          checks.add("needs", "error.schema.type");
        }
      }
    }
    checks.throwIfAny();
    Long sessionId = body.getLong("sessionId");
    Long organisationId = body.getLong("organisationId");
    RegistrationInput input = new RegistrationInput(body.getString("name"), body.getString("email"), null,
        organisationId == null ? null : organisationId.toString(), null, null, null,
        sessionId == null ? List.of() : List.of(sessionId.toString()), needs, List.of(),
        Boolean.TRUE.equals(body.getBoolean("companion")), Boolean.TRUE.equals(body.getBoolean("consent")),
        body.getString("language", "sv"));
    checkins.walkIn(eventId, sessionId, input, device, StaffAuth.current(ctx).id(), key,
            Boolean.TRUE.equals(body.getBoolean("overCapacity")), AuditLog.clientAddress(ctx))
        .onSuccess(result -> {
          live.changed(eventId);
          Json.send(ctx, 201, result.toJson());
        })
        .onFailure(ctx::fail);
  }
}
