package se.hok.samla.web;

import io.vertx.ext.web.RoutingContext;

/** Numeric ids in paths: anything that is not one names nothing, so it is a 404, never a 500. */
public final class PathIds {
  private PathIds() {}

  public static long id(RoutingContext ctx, String name) {
    try {
      return Long.parseLong(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw new NotFoundException(name);
    }
  }

  public static long id(RoutingContext ctx) {
    return id(ctx, "id");
  }
}
