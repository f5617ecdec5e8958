package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Lang;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.PathIds;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;

/**
 * The action plan's pages ("Handlingsplan"): everyone who reads the follow-up reads the plan; the working group
 * (viewers) and admins keep it ({@link Permission#PLAN}); only admins close a period, after a page that says what
 * closing destroys.
 */
public final class PlanPages {
  static final String BASE = "/arrangor/handlingsplan";

  private final ActionPlan plan;
  private final ActionPlan.PeopleCounter counter;
  private final StaffAuth auth;
  private final Templates templates;

  public PlanPages(ActionPlan plan, ActionPlan.PeopleCounter counter, StaffAuth auth, Templates templates) {
    this.plan = plan;
    this.counter = counter;
    this.auth = auth;
    this.templates = templates;
  }

  public void mount(Router router) {
    router.get(BASE).handler(auth.page(Permission.FOLLOW_UP)).handler(this::index);
    router.post(BASE + "/perioder").handler(auth.page(Permission.PLAN)).handler(this::createPeriod);
    router.get(BASE + "/perioder/:id").handler(auth.page(Permission.FOLLOW_UP)).handler(this::period);
    router.post(BASE + "/perioder/:id").handler(auth.page(Permission.PLAN)).handler(this::updatePeriod);
    router.post(BASE + "/perioder/:id/ar").handler(auth.page(Permission.PLAN)).handler(this::addYear);
    router.get(BASE + "/perioder/:id/stang").handler(auth.page(Permission.ADMINISTER)).handler(this::confirmClose);
    router.post(BASE + "/perioder/:id/stang").handler(auth.page(Permission.ADMINISTER)).handler(this::close);
    router.get(BASE + "/ar/:year").handler(auth.page(Permission.FOLLOW_UP)).handler(this::yearPage);
    router.post(BASE + "/ar/:year").handler(auth.page(Permission.PLAN)).handler(this::updateYear);
    router.post(BASE + "/ar/:year/aktiviteter").handler(auth.page(Permission.PLAN)).handler(this::addActivity);
    router.get(BASE + "/aktiviteter/:id").handler(auth.page(Permission.FOLLOW_UP)).handler(this::activity);
    router.post(BASE + "/aktiviteter/:id").handler(auth.page(Permission.PLAN)).handler(this::updateActivity);
    router.post(BASE + "/aktiviteter/:id/ta-bort").handler(auth.page(Permission.PLAN)).handler(this::deleteActivity);
  }

  // ------------------------------------------------------------------------------------------------ the plan

  private void index(RoutingContext ctx) {
    renderIndex(ctx, 200, PlanInput.Period.fromForm(io.vertx.core.MultiMap.caseInsensitiveMultiMap()), Map.of());
  }

  private void renderIndex(RoutingContext ctx, int status, PlanInput.Period input, Map<String, String> errors) {
    Future.all(plan.periods(), plan.years(), plan.activities()).compose(all -> {
      List<PlanPeriod> periods = all.resultAt(0);
      List<PlanYear> years = all.resultAt(1);
      List<PlannedActivity> activities = all.resultAt(2);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (PlanPeriod p : periods) {
        rows.add(Map.of("period", p, "years", yearRows(years.stream().filter(y -> p.contains(y.year())).toList(),
            activities)));
      }
      List<PlanYear> orphans = years.stream().filter(y -> periods.stream().noneMatch(p -> p.contains(y.year()))).toList();
      Map<String, Object> model = base(ctx);
      model.put("periods", rows);
      model.put("orphans", yearRows(orphans, activities));
      model.put("input", input);
      model.put("errors", errors);
      model.put("saved", ctx.queryParams().get("sparad"));
      return templates.render(ctx, status, "plan/index", model);
    }).onFailure(ctx::fail);
  }

  private static List<Map<String, Object>> yearRows(List<PlanYear> years, List<PlannedActivity> activities) {
    return years.stream().map(y -> Map.<String, Object>of("year", y,
        "activities", activities.stream().filter(a -> a.year() == y.year()).count())).toList();
  }

  private void createPeriod(RoutingContext ctx) {
    PlanInput.Period input = PlanInput.Period.fromForm(ctx.request().formAttributes());
    plan.createPeriod(input)
        .onSuccess(p -> ctx.redirect(BASE + "/perioder/" + p.id() + "?sparad=1"))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            renderIndex(ctx, 422, input, v.messages(Lang.of(ctx)));
          } else {
            ctx.fail(err);
          }
        });
  }

  // ------------------------------------------------------------------------------------------------ a period

  private void period(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    plan.period(id).onSuccess(p -> renderPeriod(ctx, 200, p, PlanInput.Period.of(p), Map.of(),
        new PlanInput.Year(null, null, null), Map.of())).onFailure(ctx::fail);
  }

  private void renderPeriod(RoutingContext ctx, int status, PlanPeriod p, PlanInput.Period input,
                            Map<String, String> errors, PlanInput.Year yearInput, Map<String, String> yearErrors) {
    Future.all(plan.years(), plan.activities(p.firstYear(), p.lastYear())).compose(all -> {
      List<PlanYear> years = all.<List<PlanYear>>resultAt(0).stream().filter(y -> p.contains(y.year())).toList();
      Map<String, Object> model = base(ctx);
      model.put("period", p);
      model.put("years", yearRows(years, all.resultAt(1)));
      model.put("input", input);
      model.put("errors", errors);
      model.put("yearInput", yearInput);
      model.put("yearErrors", yearErrors);
      // The one error summary of the page: whichever form was sent.
      model.put("summary", errors.isEmpty() ? yearErrors : errors);
      model.put("saved", ctx.queryParams().contains("sparad"));
      model.put("closedNow", ctx.queryParams().contains("stangd"));
      model.put("alreadyClosed", ctx.queryParams().contains("redan"));
      return templates.render(ctx, status, "plan/period", model);
    }).onFailure(ctx::fail);
  }

  private void updatePeriod(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    PlanInput.Period input = PlanInput.Period.fromForm(ctx.request().formAttributes());
    plan.updatePeriod(id, input)
        .onSuccess(p -> ctx.redirect(BASE + "/perioder/" + p.id() + "?sparad=1"))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            plan.period(id).onSuccess(p -> renderPeriod(ctx, 422, p, input, v.messages(Lang.of(ctx)),
                new PlanInput.Year(null, null, null), Map.of())).onFailure(ctx::fail);
          } else {
            ctx.fail(err);
          }
        });
  }

  private void addYear(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    PlanInput.Year input = PlanInput.Year.fromForm(ctx.request().formAttributes());
    plan.saveYear(id, input, false)
        .onSuccess(y -> ctx.redirect(BASE + "/ar/" + y.year() + "?sparad=1"))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            plan.period(id).onSuccess(p -> renderPeriod(ctx, 422, p, PlanInput.Period.of(p), Map.of(), input,
                v.messages(Lang.of(ctx)))).onFailure(ctx::fail);
          } else {
            ctx.fail(err);
          }
        });
  }

  /** What closing will do, in words, before anything is destroyed. */
  private void confirmClose(RoutingContext ctx) {
    plan.period(PathIds.id(ctx)).compose(p -> {
      Map<String, Object> model = base(ctx);
      model.put("period", p);
      return templates.render(ctx, "plan/close", model);
    }).onFailure(ctx::fail);
  }

  private void close(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    plan.close(id, StaffAuth.current(ctx).id(), counter)
        .onSuccess(c -> ctx.redirect(BASE + "/perioder/" + id + (c.alreadyClosed() ? "?redan=1" : "?stangd=1")))
        .onFailure(ctx::fail);
  }

  // ------------------------------------------------------------------------------------------------ a year

  private void yearPage(RoutingContext ctx) {
    int year = year(ctx);
    plan.year(year).onSuccess(y -> renderYear(ctx, 200, y, PlanInput.Year.of(y), Map.of(),
        PlanInput.Activity.blank(), Map.of())).onFailure(ctx::fail);
  }

  private void renderYear(RoutingContext ctx, int status, PlanYear y, PlanInput.Year input, Map<String, String> errors,
                          PlanInput.Activity activityInput, Map<String, String> activityErrors) {
    Future.all(plan.periodOf(y.year()), plan.activities(y.year(), y.year()), plan.linkedEvents(y.year()))
        .compose(all -> {
          List<PlannedActivity> activities = all.resultAt(1);
          List<ActionPlan.LinkedEvent> linked = all.resultAt(2);
          Map<String, Object> model = base(ctx);
          model.put("year", y);
          model.put("period", all.<java.util.Optional<PlanPeriod>>resultAt(0).orElse(null));
          model.put("activities", activities.stream().map(a -> Map.of("activity", a,
              "events", linked.stream().filter(e -> e.activityId() == a.id()).map(e -> Map.of("id", e.eventId(),
                  "title", e.title(), "date", e.startsAt().atZoneSameInstant(EventInput.STOCKHOLM).toLocalDate().toString(), "status", e.status())).toList())).toList());
          model.put("input", input);
          model.put("errors", errors);
          model.put("activityInput", activityInput);
          model.put("activityErrors", activityErrors);
          model.put("summary", errors.isEmpty() ? activityErrors : errors);
          model.put("kinds", EventPages.kindCodes());
          model.put("saved", ctx.queryParams().contains("sparad"));
          model.put("deleted", ctx.queryParams().contains("borttagen"));
          return templates.render(ctx, status, "plan/year", model);
        }).onFailure(ctx::fail);
  }

  private void updateYear(RoutingContext ctx) {
    int year = year(ctx);
    PlanInput.Year input = PlanInput.Year.fromForm(ctx.request().formAttributes());
    plan.updateYear(year, input)
        .onSuccess(y -> ctx.redirect(BASE + "/ar/" + year + "?sparad=1"))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            plan.year(year).onSuccess(y -> renderYear(ctx, 422, y, input.withYear(year), v.messages(Lang.of(ctx)),
                PlanInput.Activity.blank(), Map.of())).onFailure(ctx::fail);
          } else {
            ctx.fail(err);
          }
        });
  }

  private void addActivity(RoutingContext ctx) {
    int year = year(ctx);
    PlanInput.Activity input = PlanInput.Activity.fromForm(ctx.request().formAttributes());
    plan.addActivity(year, input)
        .onSuccess(a -> ctx.redirect(BASE + "/ar/" + year + "?sparad=1#aktivitet-" + a.id()))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            plan.year(year).onSuccess(y -> renderYear(ctx, 422, y, PlanInput.Year.of(y), Map.of(), input,
                v.messages(Lang.of(ctx)))).onFailure(ctx::fail);
          } else {
            ctx.fail(err);
          }
        });
  }

  // ------------------------------------------------------------------------------------------------ an activity

  private void activity(RoutingContext ctx) {
    plan.activity(PathIds.id(ctx)).onSuccess(a -> renderActivity(ctx, 200, a, PlanInput.Activity.of(a), Map.of()))
        .onFailure(ctx::fail);
  }

  private void renderActivity(RoutingContext ctx, int status, PlannedActivity a, PlanInput.Activity input,
                              Map<String, String> errors) {
    Map<String, Object> model = base(ctx);
    model.put("activity", a);
    model.put("input", input);
    model.put("errors", errors);
    model.put("kinds", EventPages.kindCodes());
    model.put("saved", ctx.queryParams().contains("sparad"));
    templates.render(ctx, status, "plan/activity", model).onFailure(ctx::fail);
  }

  private void updateActivity(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    PlanInput.Activity input = PlanInput.Activity.fromForm(ctx.request().formAttributes());
    plan.updateActivity(id, input)
        .onSuccess(a -> ctx.redirect(BASE + "/aktiviteter/" + id + "?sparad=1"))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            plan.activity(id).onSuccess(a -> renderActivity(ctx, 422, a, input, v.messages(Lang.of(ctx))))
                .onFailure(ctx::fail);
          } else {
            ctx.fail(err);
          }
        });
  }

  private void deleteActivity(RoutingContext ctx) {
    plan.deleteActivity(PathIds.id(ctx))
        .onSuccess(a -> ctx.redirect(BASE + "/ar/" + a.year() + "?borttagen=1"))
        .onFailure(ctx::fail);
  }

  // ------------------------------------------------------------------------------------------------ shared

  private static Map<String, Object> base(RoutingContext ctx) {
    Map<String, Object> model = new HashMap<>();
    model.put("canPlan", StaffAuth.current(ctx).canPlan());
    model.put("canClose", StaffAuth.current(ctx).isAdmin());
    return model;
  }

  private static int year(RoutingContext ctx) {
    long year = PathIds.id(ctx, "year");
    if (year < 2000 || year > 2100) {
      throw new NotFoundException("year " + year);
    }
    return (int) year;
  }
}
