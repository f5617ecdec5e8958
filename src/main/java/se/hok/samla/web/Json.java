package se.hok.samla.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.ext.web.RoutingContext;

/** JSON out of the API: records through one Jackson mapper, ISO-8601 dates with offset. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .setSerializationInclusion(JsonInclude.Include.ALWAYS);

  private Json() {}

  static String encode(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode " + value.getClass(), e);
    }
  }

  /** The request's body as a JSON object; empty when there is none, or it is not JSON, or not an object. */
  public static java.util.Optional<io.vertx.core.json.JsonObject> body(RoutingContext ctx) {
    try {
      return java.util.Optional.ofNullable(ctx.body() == null ? null : ctx.body().asJsonObject());
    } catch (RuntimeException malformed) {
      return java.util.Optional.empty();
    }
  }

  /** Vert.x JSON as it is (Jackson would serialise a JsonObject as a bean). */
  public static void send(RoutingContext ctx, int status, io.vertx.core.json.JsonObject value) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(value.encode());
  }

  public static void send(RoutingContext ctx, int status, Object value) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(encode(value));
  }
}
