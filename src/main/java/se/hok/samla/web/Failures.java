package se.hok.samla.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses: JSON {@code {"error","message","fields"}} under
 * {@code /api/}, a page in the reader's language elsewhere. Only real faults are logged and answered 500.
 */
final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private static final java.util.regex.Pattern PARAMETER =
      java.util.regex.Pattern.compile("(?:query|path|header|cookie) parameter (\\w+)");

  private final Templates templates;

  Failures(Templates templates) {
    this.templates = templates;
  }

  /** A failure as status, code, message key and field messages. */
  record Problem(int status, String code, Msg message, Map<String, String> fields) {}

  /**
   * A value Vert.x refused to put in a response header (a line break in a redirect's Location, say): it can only
   * have come from the request, so it is the client's mistake. Recognised by where it was thrown, not by its type
   * alone, so that no other IllegalArgumentException (a fault of ours) is passed off as a 400.
   */
  static boolean isInvalidHeaderValue(Throwable failure) {
    if (!(failure instanceof IllegalArgumentException)) {
      return false;
    }
    for (StackTraceElement frame : failure.getStackTrace()) {
      if (frame.getClassName().equals("io.vertx.core.http.impl.HttpUtils") && frame.getMethodName().startsWith("validate")) {
        return true;
      }
    }
    return false;
  }

  void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      log.warn("Failure after response started: {}", ctx.request().path(), ctx.failure());
      ctx.response().reset();
      return;
    }
    Lang lang = Lang.of(ctx);
    if (ctx.failure() instanceof TooManyRequestsException limited) {
      tooMany(ctx, lang, limited);
      return;
    }
    Problem problem = classify(ctx, lang);
    if (problem.code().equals("database_unavailable")) {
      // Expected while the database is down or stalled, and then for every request: one line each, no stack trace.
      log.warn("Database unavailable on {} {}: {}", ctx.request().method(), ctx.request().path(), ctx.failure().toString());
    } else if (problem.status() >= 500) {
      log.error("Unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    if (problem.status() == 503) {
      ctx.response().putHeader("Retry-After", "10");
    }
    if (isApi(ctx)) {
      JsonObject body = new JsonObject()
          .put("error", problem.code())
          .put("message", Messages.get(lang, problem.message()));
      if (!problem.fields().isEmpty()) {
        body.put("fields", new JsonObject(new LinkedHashMap<>(problem.fields())));
      }
      if (problem.status() == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
      }
      ctx.response().setStatusCode(problem.status())
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .end(body.encode());
      return;
    }
    if (problem.status() == 401) {
      String next = ctx.request().uri();
      ctx.redirect("/login?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
      return;
    }
    templates.render(ctx, problem.status(), "error", Map.of(
            "status", problem.status(),
            "title", Messages.get(lang, "error.title." + problem.status()),
            "message", Messages.get(lang, problem.message())))
        .onFailure(e -> {
          log.error("Could not render the error page", e);
          if (!ctx.response().headWritten()) {
            ctx.response().setStatusCode(problem.status()).end();
          }
        });
  }

  /** 429 with Retry-After, and in words when to try again. */
  private void tooMany(RoutingContext ctx, Lang lang, TooManyRequestsException limited) {
    String message = limited.message(lang);
    ctx.response().putHeader("Retry-After", String.valueOf(limited.retryAfterSeconds()));
    if (isApi(ctx)) {
      ctx.response().setStatusCode(429).putHeader("Content-Type", "application/json; charset=utf-8")
          .end(new JsonObject().put("error", "too_many_requests").put("message", message).encode());
      return;
    }
    templates.render(ctx, 429, "error", Map.of("status", 429, "title", Messages.get(lang, "error.title.429"),
            "message", message))
        .onFailure(e -> {
          log.error("Could not render the error page", e);
          if (!ctx.response().headWritten()) {
            ctx.response().setStatusCode(429).end();
          }
        });
  }

  /** Unknown paths: a Swedish (or English) 404 page, or JSON under /api/. */
  void notFound(RoutingContext ctx) {
    ctx.fail(404);
  }

  static boolean isApi(RoutingContext ctx) {
    return ctx.request().path().startsWith("/api/");
  }

  private Problem classify(RoutingContext ctx, Lang lang) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException http && http.getCause() != null
        && !(http.getCause() instanceof HttpException)) {
      failure = http.getCause();
    }
    if (failure instanceof ValidationException v) {
      return new Problem(422, "validation_failed", Msg.of("error.validation"), v.messages(lang));
    }
    if (failure instanceof BadRequestException b) {
      return new Problem(400, "bad_request", Msg.of("error.badRequest"), b.messages(lang));
    }
    if (failure instanceof SchemaValidationException s) {
      return new Problem(400, "bad_request", Msg.of("error.badRequest"), schemaFields(s, lang));
    }
    if (failure instanceof ValidatorException v) {
      return new Problem(400, "bad_request", Msg.of("error.badRequest"), Map.of());
    }
    if (databaseUnavailable(failure)) {
      return new Problem(503, "database_unavailable", Msg.of("error.databaseUnavailable"), Map.of());
    }
    if (failure instanceof io.vertx.pgclient.PgException pg
        && ("22021".equals(pg.getSqlState()) || "22P05".equals(pg.getSqlState()))) {
      // Text PostgreSQL cannot store (a NUL byte) that slipped past the field checks: the client's input.
      return new Problem(400, "bad_request", Msg.of("error.invalidCharacter"), Map.of());
    }
    if (isInvalidHeaderValue(failure)) {
      return new Problem(400, "bad_request", Msg.of("error.badRequest"), Map.of());
    }
    if (failure instanceof DecodeException) {
      return new Problem(400, "malformed_json", Msg.of("error.malformedJson"), Map.of());
    }
    if (failure instanceof NotFoundException) {
      return new Problem(404, "not_found", Msg.of("error.notFound"), Map.of());
    }
    if (failure instanceof ConflictException c) {
      return new Problem(409, c.code(), c.msg(), c.fields(lang));
    }
    if (failure instanceof AccessDeniedException denied) {
      return new Problem(403, "forbidden", denied.msg(), Map.of());
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return switch (status) {
      case 400 -> new Problem(400, "bad_request", Msg.of("error.badRequest"), Map.of());
      case 401 -> new Problem(401, "unauthorized", Msg.of("error.unauthorized"), Map.of());
      // Role checks throw AccessDeniedException; a bare 403 on a form comes from the CSRF check.
      case 403 -> isApi(ctx)
          ? new Problem(403, "forbidden", Msg.of("error.forbidden"), Map.of())
          : new Problem(403, "csrf", Msg.of("error.csrf"), Map.of());
      case 404 -> new Problem(404, "not_found", Msg.of("error.notFound"), Map.of());
      case 405 -> new Problem(405, "method_not_allowed", Msg.of("error.methodNotAllowed"), Map.of());
      case 413 -> new Problem(413, "payload_too_large", Msg.of("error.tooLarge"), Map.of());
      case 415 -> new Problem(415, "unsupported_media_type", Msg.of("error.mediaType"), Map.of());
      case 429 -> new Problem(429, "too_many_requests", Msg.of("error.tooMany"), Map.of());
      case 503 -> new Problem(503, "unavailable", Msg.of("error.unavailable"), Map.of());
      default -> new Problem(500, "internal_error", Msg.of("error.internal"), Map.of());
    };
  }

  /**
   * Whether a failure means the database cannot serve now, rather than a fault in Samla: unreachable, starting or
   * shutting down, out of connections or disk, a statement or lock wait over its limit (db/Database), no free
   * connection in the pool in time, a connection lost mid-request, or a transaction that must be retried. These are
   * 503: nothing was saved, and trying again later is the right thing to do.
   */
  static boolean databaseUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.vertx.pgclient.PgException pg) {
        String state = pg.getSqlState() == null ? "" : pg.getSqlState();
        return state.startsWith("08")                // connection exception
            || state.startsWith("53")                // insufficient resources: too many connections, disk full
            || state.startsWith("57")                // statement timeout, shutting down, cannot connect now
            || state.equals("55P03")                 // lock_timeout
            || state.equals("55000")                 // database does not allow connections
            || state.equals("25P03")                 // idle in transaction too long
            || state.equals("40001") || state.equals("40P01");  // serialization failure, deadlock
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException
          || t instanceof io.vertx.sqlclient.ClosedConnectionException
          || t instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof io.vertx.core.VertxException
          && (message.startsWith("Timeout waiting for connection") || message.equals("Connection closed")
              || message.equals("Pool closed"))) {
        return true;
      }
    }
    return false;
  }

  /** The schema's complaints, keyed by the JSON field they are about ("capacity", "sessions[0].title"). */
  private static Map<String, String> schemaFields(SchemaValidationException e, Lang lang) {
    Map<String, String> fields = new LinkedHashMap<>();
    collect(e.getOutputUnit(), fields, lang);
    java.util.regex.Matcher param = PARAMETER.matcher(String.valueOf(e.getMessage()));
    if (param.find() && fields.containsKey("body") && fields.size() == 1) {
      // A query or path parameter, not the body: name the parameter.
      fields = Map.of(param.group(1), fields.get("body"));
    }
    if (fields.isEmpty()) {
      fields.put("body", Messages.get(lang, "error.schema"));
    }
    return fields;
  }

  private static void collect(OutputUnit unit, Map<String, String> fields, Lang lang) {
    if (unit == null) {
      return;
    }
    if (unit.getErrors() != null && !unit.getErrors().isEmpty()) {
      for (OutputUnit child : unit.getErrors()) {
        collect(child, fields, lang);
      }
      return;
    }
    String location = unit.getInstanceLocation();
    String keywordLocation = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
    String keyword = keywordLocation.substring(keywordLocation.lastIndexOf('/') + 1);
    String field = pointerToField(location);
    String key = switch (keyword) {
      case "type" -> "error.schema.type";
      case "required" -> "error.required";
      case "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems" -> "error.schema.range";
      case "enum" -> "error.schema.enum";
      case "format", "pattern" -> "error.schema.format";
      case "additionalProperties", "unevaluatedProperties" -> "error.schema.unknownField";
      default -> "error.schema";
    };
    if ("required".equals(keyword) && unit.getError() != null) {
      // "Instance does not have required property \"title\"": point at the missing property itself.
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]+)\"").matcher(unit.getError());
      if (m.find()) {
        field = field.isEmpty() ? m.group(1) : field + "." + m.group(1);
      }
    }
    fields.putIfAbsent(field.isEmpty() ? "body" : field, Messages.get(lang, key));
  }

  static String pointerToField(String pointer) {
    if (pointer == null || pointer.isEmpty() || pointer.equals("#") || pointer.equals("/")) {
      return "";
    }
    String p = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    StringBuilder out = new StringBuilder();
    for (String part : p.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        out.append('[').append(part).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return out.toString();
  }

}
