package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import se.hok.samla.web.AccessDeniedException;
import se.hok.samla.web.BadRequestException;
import se.hok.samla.web.Msg;
import se.hok.samla.web.NotFoundException;

/**
 * The one guard of every route about one event, pages and API alike: who may do what with which event.
 *
 * <ul>
 *   <li>Admins: everything, everywhere.</li>
 *   <li>{@link EventRight#MANAGE}: organiser accounts that are among the event's organisers.</li>
 *   <li>{@link EventRight#DOOR}: organiser and check-in accounts on the event's staff (organisers work the door too).</li>
 *   <li>{@link EventRight#FIGURES}: viewers and organisers, for every event (counts only, never people).</li>
 *   <li>A door token (the door page's): only {@code DOOR}, and only for its own event.</li>
 * </ul>
 *
 * An event one has no right to is refused the same way whether it exists or not (403; the "no access" page for
 * pages), so ids cannot be probed. The rights found are kept on the request ({@link #has}) for handlers that show more
 * to those who may see more (the feedback comments, the participant export).
 */
public final class EventAccess {
  private static final String RIGHTS_KEY = "samla.eventRights";

  /**
   * Finds the event a request is about: the path's {@code id}, a scan's body, a check-in's event. Null when the
   * request names no event that exists; fails with a {@link BadRequestException} for a malformed id.
   */
  @FunctionalInterface
  public interface Locator {
    Future<Long> event(RoutingContext ctx);
  }

  private final StaffAuth auth;
  private final EventStaff staff;

  public EventAccess(StaffAuth auth, EventStaff staff) {
    this.auth = auth;
    this.staff = staff;
  }

  /** The event of a page: its path's {@code :id}; anything but a number names nothing (404, as elsewhere). */
  public Handler<RoutingContext> page(EventRight right) {
    return ctx -> {
      StaffMember member = StaffAuth.current(ctx);
      if (member == null) {
        ctx.fail(401);
        return;
      }
      if (!possible(member, right)) {
        ctx.fail(new AccessDeniedException());
        return;
      }
      long eventId;
      try {
        eventId = positive(ctx.pathParam("id"));
      } catch (NumberFormatException e) {
        ctx.fail(new NotFoundException("event"));
        return;
      }
      decide(ctx, member, null, eventId, right);
    };
  }

  /** An API operation on the event of its path's {@code {id}}. */
  public Handler<RoutingContext> api(EventRight right) {
    return api(right, pathId("id"));
  }

  /** An API operation on the event the locator finds (a scan's body, a check-in's event). */
  public Handler<RoutingContext> api(EventRight right, Locator locator) {
    return ctx -> auth.bearer(ctx).onFailure(ctx::fail).onSuccess(caller -> {
      if (caller == null) {
        ctx.fail(401);
        return;
      }
      StaffMember member = caller.member();
      if (!possible(member, right) || caller.doorOnly() && right != EventRight.DOOR) {
        ctx.fail(new AccessDeniedException());
        return;
      }
      Future<Long> located;
      try {
        located = locator.event(ctx);
      } catch (RuntimeException e) {
        located = Future.failedFuture(e);
      }
      located.onFailure(ctx::fail).onSuccess(eventId -> {
        if (eventId == null) {
          // Nothing to decide on: admins go on to the handler's 404, everyone else is refused as for any event.
          if (member.isAdmin() && !caller.doorOnly()) {
            ctx.put(RIGHTS_KEY, EnumSet.allOf(EventRight.class));
            ctx.next();
          } else {
            ctx.fail(notYours());
          }
          return;
        }
        decide(ctx, member, caller.doorEventId(), eventId, right);
      });
    });
  }

  /** The API's path parameter as an event id; malformed is a 400, as the contract's validation would answer. */
  static Locator pathId(String name) {
    return ctx -> {
      try {
        return Future.succeededFuture(positive(ctx.pathParam(name)));
      } catch (NumberFormatException e) {
        return Future.failedFuture(new BadRequestException(Map.of(name, Msg.of("error.schema.type"))));
      }
    };
  }

  /** Whether the guard found this right for this request's event. */
  public static boolean has(RoutingContext ctx, EventRight right) {
    Set<EventRight> rights = ctx.get(RIGHTS_KEY);
    return rights != null && rights.contains(right);
  }

  /** For a handler that shows more to those with more rights: refuses (403) unless the guard found this right. */
  public static void require(RoutingContext ctx, EventRight right) {
    if (!has(ctx, right)) {
      throw notYours();
    }
  }

  /** This member's rights on every event they work at (admins: see {@link #rights(StaffMember, EventStaff.Duty)}). */
  public Future<Map<Long, Set<EventRight>>> rightsByEvent(StaffMember member) {
    return staff.eventsOf(member.id()).map(duties -> {
      Map<Long, Set<EventRight>> out = new HashMap<>();
      duties.forEach((event, duty) -> out.put(event, rights(member, duty)));
      return out;
    });
  }

  /** The rights a member has on an event where their duty is this (null: not on its staff). */
  public static Set<EventRight> rights(StaffMember member, EventStaff.Duty duty) {
    if (member == null || !member.active()) {
      return Set.of();
    }
    if (member.isAdmin()) {
      return Collections.unmodifiableSet(EnumSet.allOf(EventRight.class));
    }
    EnumSet<EventRight> rights = EnumSet.noneOf(EventRight.class);
    if (member.canFollowUp()) {
      rights.add(EventRight.FIGURES);
    }
    if (duty == EventStaff.Duty.ORGANISER && member.role() == Role.ORGANISER) {
      rights.add(EventRight.MANAGE);
    }
    if (duty != null && (member.role() == Role.ORGANISER || member.role() == Role.CHECKIN)) {
      rights.add(EventRight.DOOR);
    }
    return Collections.unmodifiableSet(rights);
  }

  /** Whether the account's role can have this right on any event at all (else: refused before anything is read). */
  private static boolean possible(StaffMember member, EventRight right) {
    if (!member.active()) {
      return false;
    }
    return switch (right) {
      case MANAGE -> member.isAdmin() || member.role() == Role.ORGANISER;
      case DOOR -> member.canCheckIn();
      case FIGURES -> member.canFollowUp();
    };
  }

  private void decide(RoutingContext ctx, StaffMember member, Long doorEvent, long eventId, EventRight right) {
    if (doorEvent != null && doorEvent != eventId) {
      ctx.fail(notYours());
      return;
    }
    Future<Optional<EventStaff.Duty>> duty = member.isAdmin() ? Future.succeededFuture(Optional.empty())
        : staff.duty(member.id(), eventId);
    duty.onFailure(ctx::fail).onSuccess(found -> {
      Set<EventRight> rights = rights(member, found.orElse(null));
      if (doorEvent != null) {
        rights = rights.contains(EventRight.DOOR) ? Set.of(EventRight.DOOR) : Set.of();
      }
      if (!rights.contains(right)) {
        ctx.fail(notYours());
        return;
      }
      ctx.put(RIGHTS_KEY, rights);
      ctx.next();
    });
  }

  /** The same refusal for an event that is not one's own and for one that does not exist. */
  private static AccessDeniedException notYours() {
    return new AccessDeniedException(Msg.of("error.event.notYours"));
  }

  private static long positive(String text) {
    long id = Long.parseLong(text == null ? "" : text);
    if (id < 1) {
      throw new NumberFormatException("not an id: " + text);
    }
    return id;
  }
}
