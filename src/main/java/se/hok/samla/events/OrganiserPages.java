package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.staff.StaffMember;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;

/** The organiser's back office for events, sessions and venues. */
public final class OrganiserPages {
  private final EventService events;
  private final ActionPlan plan;
  private final StaffAuth auth;
  private final EventAccess access;
  private final Templates templates;
  private final Clock clock;

  public OrganiserPages(EventService events, ActionPlan plan, StaffAuth auth, EventAccess access, Templates templates,
                        Clock clock) {
    this.events = events;
    this.plan = plan;
    this.auth = auth;
    this.access = access;
    this.templates = templates;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/arrangor").handler(auth.page(Permission.STAFF)).handler(this::dashboard);
    router.get("/arrangor/evenemang/ny").handler(auth.page(Permission.ORGANISE)).handler(this::newForm);
    router.post("/arrangor/evenemang").handler(auth.page(Permission.ORGANISE)).handler(this::create);
    // The address a failed "create" answers from; a language switch there lands on the overview.
    router.get("/arrangor/evenemang").handler(ctx -> ctx.redirect("/arrangor"));
    router.get("/arrangor/evenemang/:id").handler(access.page(EventRight.MANAGE)).handler(this::editForm);
    router.post("/arrangor/evenemang/:id").handler(access.page(EventRight.MANAGE)).handler(this::update);
    router.post("/arrangor/evenemang/:id/publicera").handler(access.page(EventRight.MANAGE)).handler(this::publish);
    router.post("/arrangor/evenemang/:id/installa").handler(access.page(EventRight.MANAGE)).handler(this::cancel);
    router.get("/arrangor/lokaler").handler(auth.page(Permission.ORGANISE)).handler(this::venues);
    router.post("/arrangor/lokaler").handler(auth.page(Permission.ORGANISE)).handler(this::createVenue);
  }

  /** An event in the overview, with what the reader may do with it. */
  public record Row(EventView view, boolean manage, boolean door, String duty) {}

  /**
   * Every event's public facts; links to manage an event or work its door only where the reader may. Others' drafts
   * are not public facts, so only admins and the event's own staff see them. {@code ?mina=1}: only one's own events.
   */
  private void dashboard(RoutingContext ctx) {
    EventStatus status = EventStatus.parse(ctx.queryParams().get("status"));
    Integer year = EventApi.parseYear(ctx.queryParams().get("year"));
    boolean mineOnly = "1".equals(ctx.queryParams().get("mina"));
    Lang lang = Lang.of(ctx);
    OffsetDateTime now = OffsetDateTime.now(clock);
    StaffMember me = StaffAuth.current(ctx);
    Future.all(events.planYears(), access.rightsByEvent(me), events.list(new EventService.Query(
            status == null ? null : EnumSet.of(status), null, year, null, now)))
        .compose(all -> {
          Map<Long, Set<EventRight>> mine = all.resultAt(1);
          List<Event> list = all.resultAt(2);
          List<Row> rows = new ArrayList<>();
          for (Event e : list) {
            Set<EventRight> rights = me.isAdmin() ? EventAccess.rights(me, null) : mine.getOrDefault(e.id(), Set.of());
            boolean own = mine.containsKey(e.id());
            if (mineOnly && !own || !me.isAdmin() && !own && e.status() == EventStatus.DRAFT) {
              continue;
            }
            String duty = !own ? null : rights.contains(EventRight.MANAGE) ? "organiser" : "door";
            rows.add(new Row(EventView.of(e, lang, now), rights.contains(EventRight.MANAGE),
                rights.contains(EventRight.DOOR), duty));
          }
          Map<String, Object> model = new HashMap<>();
          model.put("rows", rows);
          model.put("years", all.resultAt(0));
          model.put("selectedStatus", status == null ? "" : status.code());
          model.put("selectedYear", year == null ? "" : String.valueOf(year));
          model.put("mineOnly", mineOnly);
          return templates.render(ctx, "organiser/dashboard", model);
        })
        .onFailure(ctx::fail);
  }

  private void newForm(RoutingContext ctx) {
    EventInput blank = new EventInput(null, null, null, null, null, null, null, null, null, null, null, null,
        null, StaffAuth.current(ctx).name(), StaffAuth.current(ctx).email(), java.util.List.of(), "2", null);
    renderForm(ctx, 200, null, blank, Map.of());
  }

  private void editForm(RoutingContext ctx) {
    events.get(EventPages.pathId(ctx))
        .onSuccess(e -> renderForm(ctx, 200, e, EventInput.of(e), Map.of()))
        .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    EventInput input = EventInput.fromForm(ctx.request().formAttributes());
    events.create(input, StaffAuth.current(ctx).id())
        .onSuccess(e -> ctx.redirect("/arrangor/evenemang/" + e.id() + "?saved=1"))
        .onFailure(err -> formFailure(ctx, null, input, err));
  }

  private void update(RoutingContext ctx) {
    long id = EventPages.pathId(ctx);
    EventInput input = EventInput.fromForm(ctx.request().formAttributes());
    events.update(id, input)
        .onSuccess(e -> ctx.redirect("/arrangor/evenemang/" + e.id() + "?saved=1"))
        .onFailure(err -> {
          if (err instanceof ValidationException) {
            events.get(id).onSuccess(e -> formFailure(ctx, e, input, err)).onFailure(ctx::fail);
          } else {
            ctx.fail(err);
          }
        });
  }

  private void publish(RoutingContext ctx) {
    events.publish(EventPages.pathId(ctx))
        .onSuccess(e -> ctx.redirect("/arrangor/evenemang/" + e.id() + "?published=1"))
        .onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    events.cancel(EventPages.pathId(ctx))
        .onSuccess(e -> ctx.redirect("/arrangor/evenemang/" + e.id() + "?cancelled=1"))
        .onFailure(ctx::fail);
  }

  private void formFailure(RoutingContext ctx, Event event, EventInput input, Throwable err) {
    if (err instanceof ValidationException v) {
      renderForm(ctx, 422, event, input, v.messages(Lang.of(ctx)));
    } else {
      ctx.fail(err);
    }
  }

  private void renderForm(RoutingContext ctx, int status, Event event, EventInput input, Map<String, String> errors) {
    Lang lang = Lang.of(ctx);
    Future.all(events.venues(), events.planYears(), plan.activities()).compose(all -> {
      Map<String, Object> model = new HashMap<>();
      model.put("event", event == null ? null : EventView.of(event, lang, OffsetDateTime.now(clock)));
      model.put("input", input);
      model.put("sessionRows", input.sessionRows());
      model.put("errors", errors);
      model.put("venues", all.resultAt(0));
      model.put("years", all.resultAt(1));
      List<PlannedActivity> activities = all.resultAt(2);
      model.put("activityYears", activities.stream()
          .collect(java.util.stream.Collectors.groupingBy(PlannedActivity::year, java.util.TreeMap::new,
              java.util.stream.Collectors.toList()))
          .entrySet().stream().map(e -> Map.of("year", e.getKey(), "activities", e.getValue())).toList());
      model.put("kinds", EventPages.kindCodes());
      model.put("saved", ctx.queryParams().contains("saved"));
      model.put("published", ctx.queryParams().contains("published"));
      model.put("cancelled", ctx.queryParams().contains("cancelled"));
      return templates.render(ctx, status, "organiser/event-form", model);
    }).onFailure(ctx::fail);
  }

  private void venues(RoutingContext ctx) {
    renderVenues(ctx, 200, Map.of(), null);
  }

  private void createVenue(RoutingContext ctx) {
    VenueInput input = VenueInput.fromForm(ctx.request().formAttributes());
    events.createVenue(input)
        .onSuccess(v -> ctx.redirect("/arrangor/lokaler?saved=1"))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            renderVenues(ctx, 422, v.messages(Lang.of(ctx)), input);
          } else {
            ctx.fail(err);
          }
        });
  }

  private void renderVenues(RoutingContext ctx, int status, Map<String, String> errors, VenueInput input) {
    events.venues().compose(list -> {
      Map<String, Object> model = new HashMap<>();
      model.put("venues", list);
      model.put("errors", errors);
      model.put("input", input);
      model.put("saved", ctx.queryParams().contains("saved"));
      return templates.render(ctx, status, "organiser/venues", model);
    }).onFailure(ctx::fail);
  }
}
