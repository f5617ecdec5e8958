package se.hok.samla.web;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Whole numbers in query strings, read as strictly as ids in paths ({@link PathIds}): digits only, within range.
 * Anything else is the client's mistake, answered 400 with a message for that parameter – never a 500 from a
 * number that does not fit.
 */
public final class QueryNumbers {
  private QueryNumbers() {}

  /** An optional id ({@code ?sessionId=12}): null when absent or empty; 400 unless 1 … 2^63-1. */
  public static Long optionalId(RoutingContext ctx, String name) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String v = raw.strip();
    if (!v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new BadRequestException(Map.of(name, Msg.of("error.schema.type")));
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException tooLong) {
      // falls through: out of range
    }
    throw new BadRequestException(Map.of(name, Msg.of("error.schema.range")));
  }
}
