package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import se.hok.samla.web.AccessDeniedException;
import se.hok.samla.web.Templates;

/** Small handlers that guard routes: chain them before the handler that does the work. */
public final class StaffAuth {
  static final String SESSION_STAFF_ID = "staffId";
  static final String SESSION_SIGN_IN = "signIn";

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

  /**
   * API: {@code Authorization: Bearer <token>}; 401 without a valid token, 403 for a wrong role. A door token
   * carries only the check-in operations of its event ({@link EventAccess}), so it is refused here, always.
   */
  public Handler<RoutingContext> api(Permission permission) {
    return ctx -> bearer(ctx).onFailure(ctx::fail).onSuccess(caller -> {
      if (caller != null && caller.doorOnly()) {
        ctx.fail(new AccessDeniedException());
        return;
      }
      check(ctx, caller == null ? null : caller.member(), permission);
    });
  }

  /**
   * The caller of an API request, from its bearer token; null when there is none or it is not valid. Puts the member
   * where {@link #current} finds it.
   */
  Future<ApiCaller> bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 200) {
      return Future.succeededFuture();
    }
    return staff.byToken(header.substring(7).strip()).map(found -> {
      ApiCaller caller = found.orElse(null);
      if (caller != null) {
        ctx.put(Templates.STAFF_KEY, caller.member());
      }
      return caller;
    });
  }

  /**
   * The random id of this web sign-in (kept in the web session), which the door tokens it issues carry so that signing
   * out ends them. A session signed in before there were such ids gets one now.
   */
  public static String signIn(RoutingContext ctx) {
    Session session = ctx.session();
    if (session == null) {
      return null;
    }
    Object id = session.get(SESSION_SIGN_IN);
    if (id instanceof String s) {
      return s;
    }
    String fresh = se.hok.samla.web.Tokens.random(18);
    session.put(SESSION_SIGN_IN, fresh);
    return fresh;
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
