package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.web.Api;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Json;
import se.hok.samla.web.Lang;
import se.hok.samla.web.PathIds;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;

/**
 * An event's organisers add and remove colleagues and door staff: on the page {@code /arrangor/evenemang/{id}/personal}
 * and through {@code /api/v1/events/{id}/staff}. Only the event's organisers (and admins) may.
 */
public final class EventStaffRoutes {
  private static final DateTimeFormatter WHEN = EventTimes.STAMP;
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;

  private final EventStaff eventStaff;
  private final StaffService staff;
  private final EventAccess access;
  private final Templates templates;
  private final EventTitles eventTitle;

  public EventStaffRoutes(EventStaff eventStaff, StaffService staff, EventAccess access, Templates templates,
                          EventTitles eventTitle) {
    this.eventStaff = eventStaff;
    this.staff = staff;
    this.access = access;
    this.templates = templates;
    this.eventTitle = eventTitle;
  }

  public void mount(Router router) {
    String base = "/arrangor/evenemang/:id/personal";
    router.get(base).handler(access.page(EventRight.MANAGE)).handler(this::page);
    router.post(base).handler(access.page(EventRight.MANAGE)).handler(this::add);
    router.post(base + "/:staffId/ta-bort").handler(access.page(EventRight.MANAGE)).handler(this::remove);
  }

  public void mount(Api api) {
    api.operation("listEventStaff", access.api(EventRight.MANAGE), this::list);
    api.operation("putEventStaff", access.api(EventRight.MANAGE), this::put);
    api.operation("deleteEventStaff", access.api(EventRight.MANAGE), this::delete);
  }

  // ------------------------------------------------------------------------------------------------ API

  private void list(RoutingContext ctx) {
    long eventId = PathIds.id(ctx);
    eventTitle.title(eventId, Lang.SV).compose(title -> json(eventId))
        .onSuccess(body -> Json.send(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  private void put(RoutingContext ctx) {
    long eventId = PathIds.id(ctx);
    long staffId = PathIds.id(ctx, "staffId");
    eventStaff.assign(eventId, staffId, Api.body(ctx).getString("role"), StaffAuth.current(ctx).id())
        .compose(v -> json(eventId))
        .onSuccess(body -> Json.send(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    long eventId = PathIds.id(ctx);
    long staffId = PathIds.id(ctx, "staffId");
    eventStaff.remove(eventId, staffId)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private Future<Map<String, Object>> json(long eventId) {
    return Future.all(eventStaff.list(eventId), staff.eventStaffCandidates()).map(all -> {
      List<EventStaff.Member> members = all.resultAt(0);
      List<StaffMember> candidates = all.resultAt(1);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("eventId", eventId);
      body.put("staff", members.stream().map(m -> {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("staffId", m.staffId());
        one.put("name", m.name());
        one.put("email", m.email());
        one.put("role", m.duty().code());
        one.put("accountRole", m.accountRole().code());
        one.put("active", m.active());
        one.put("addedAt", m.addedAt().toString());
        one.put("addedBy", m.addedBy());
        return one;
      }).toList());
      body.put("candidates", candidates.stream().map(c -> {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("staffId", c.id());
        one.put("name", c.name());
        one.put("email", c.email());
        one.put("accountRole", c.roleCode());
        return one;
      }).toList());
      return body;
    });
  }

  // ------------------------------------------------------------------------------------------------ the page

  /** A person on the event's staff as the page shows them. */
  public record Line(long staffId, String name, String email, String role, String accountRole, boolean active,
                     String addedAt, String addedBy, boolean me) {}

  private void page(RoutingContext ctx) {
    render(ctx, 200, Map.of(), Map.of());
  }

  private void add(RoutingContext ctx) {
    long eventId = PathIds.id(ctx);
    String staffIdText = ctx.request().getFormAttribute("staffId");
    String role = ctx.request().getFormAttribute("role");
    Map<String, String> input = new HashMap<>();
    input.put("staffId", staffIdText == null ? "" : staffIdText);
    input.put("role", role == null ? "" : role);
    Long staffId = parseId(staffIdText);
    Future<Void> done = staffId == null
        ? Future.failedFuture(staffIdText == null || staffIdText.isBlank()
            ? ValidationException.of("staffId", "error.required.eventStaff.staffId")
            : ValidationException.of("staffId", "error.eventStaff.unknown"))
        : eventStaff.assign(eventId, staffId, role, StaffAuth.current(ctx).id());
    done.onSuccess(v -> ctx.redirect(path(eventId) + "?sparad=1"))
        .onFailure(ValidationException.formAgain(ctx, errors -> render(ctx, 422, errors, input)));
  }

  private void remove(RoutingContext ctx) {
    long eventId = PathIds.id(ctx);
    long staffId = PathIds.id(ctx, "staffId");
    boolean self = staffId == StaffAuth.current(ctx).id();
    eventStaff.remove(eventId, staffId)
        // Whoever takes themselves off an event can no longer see its staff: back to their overview.
        .onSuccess(v -> ctx.redirect(self && !StaffAuth.current(ctx).isAdmin() ? "/arrangor" : path(eventId) + "?borttagen=1"))
        .onFailure(ValidationException.formAgain(ctx, errors -> render(ctx, 422, errors, Map.of())));
  }

  private void render(RoutingContext ctx, int status, Map<String, String> errors, Map<String, String> input) {
    long eventId = PathIds.id(ctx);
    long me = StaffAuth.current(ctx).id();
    eventTitle.title(eventId, Lang.of(ctx)).compose(title -> Future.all(eventStaff.list(eventId), staff.eventStaffCandidates())
        .compose(all -> {
          List<EventStaff.Member> members = all.resultAt(0);
          Map<String, Object> model = new HashMap<>();
          model.put("eventId", eventId);
          model.put("title", title);
          model.put("members", members.stream().map(m -> new Line(m.staffId(), m.name(), m.email(), m.duty().code(),
              m.accountRole().code(), m.active(), WHEN.format(m.addedAt().atZoneSameInstant(STOCKHOLM)), m.addedBy(),
              m.staffId() == me)).toList());
          model.put("candidates", all.resultAt(1));
          model.put("errors", errors);
          model.put("input", input);
          model.put("saved", ctx.queryParams().contains("sparad"));
          model.put("removed", ctx.queryParams().contains("borttagen"));
          return templates.render(ctx, status, "staff/event-staff", model);
        }))
        .onFailure(ctx::fail);
  }

  private static Long parseId(String text) {
    if (text == null) {
      return null;
    }
    try {
      long id = Long.parseLong(text.strip());
      return id > 0 ? id : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String path(long eventId) {
    return "/arrangor/evenemang/" + eventId + "/personal";
  }
}
