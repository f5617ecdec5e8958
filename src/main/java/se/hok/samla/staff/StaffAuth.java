package se.hok.samla.staff;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import se.hok.samla.web.AccessDeniedException;
import se.hok.samla.web.Templates;

/** Small handlers that guard routes: chain them before the handler that does the work. */
public final class StaffAuth {
  static final String SESSION_STAFF_ID = "staffId";

  private final StaffService staff;

  public StaffAuth(StaffService staff) {
    this.staff = staff;
  }

  public static StaffMember current(RoutingContext ctx) {
    return ctx.get(Templates.STAFF_KEY);
  }

  /** Loads the signed-in member from the web session, if any; never refuses. */
  public Handler<RoutingContext> fromSession() {
    return ctx -> {
      Session session = ctx.session();
      Object id = session == null ? null : session.get(SESSION_STAFF_ID);
      if (!(id instanceof Number n)) {
        ctx.next();
        return;
      }
      staff.byId(n.longValue()).onComplete(found -> {
        if (found.succeeded() && found.result().filter(StaffMember::active).isPresent()) {
          ctx.put(Templates.STAFF_KEY, found.result().get());
        } else if (found.succeeded()) {
          session.destroy();
        }
        if (found.failed()) {
          ctx.fail(found.cause());
        } else {
          ctx.next();
        }
      });
    };
  }

  /** Pages: not signed in goes to the login page, a wrong role gets 403. */
  public Handler<RoutingContext> page(Permission permission) {
    return ctx -> check(ctx, current(ctx), permission);
  }

  /** API: {@code Authorization: Bearer <token>}; 401 without a valid token, 403 for a wrong role. */
  public Handler<RoutingContext> api(Permission permission) {
    return ctx -> {
      String header = ctx.request().getHeader("Authorization");
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 200) {
        ctx.fail(401);
        return;
      }
      staff.byToken(header.substring(7).strip()).onComplete(found -> {
        if (found.failed()) {
          ctx.fail(found.cause());
          return;
        }
        StaffMember member = found.result().orElse(null);
        if (member != null) {
          ctx.put(Templates.STAFF_KEY, member);
        }
        check(ctx, member, permission);
      });
    };
  }

  private static void check(RoutingContext ctx, StaffMember member, Permission permission) {
    if (member == null) {
      ctx.fail(401);
    } else if (!member.can(permission)) {
      ctx.fail(new AccessDeniedException());
    } else {
      ctx.next();
    }
  }
}
