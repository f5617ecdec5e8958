package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Api;
import se.hok.samla.web.Json;
import se.hok.samla.web.PathIds;
import se.hok.samla.web.ValidationException;

/**
 * The action plan and the organisation register in /api/v1: read by everyone who reads the follow-up, the plan kept
 * by the working group and admins, periods closed by admins (with {@code "confirm": true}, since it destroys data),
 * organisations kept by organisers and admins.
 */
public final class PlanApi {
  private final ActionPlan plan;
  private final ActionPlan.PeopleCounter counter;
  private final Organisations organisations;
  private final StaffAuth auth;

  public PlanApi(ActionPlan plan, ActionPlan.PeopleCounter counter, Organisations organisations, StaffAuth auth) {
    this.plan = plan;
    this.counter = counter;
    this.organisations = organisations;
    this.auth = auth;
  }

  public void mount(Api api) {
    api.operation("getPlan", auth.api(Permission.FOLLOW_UP), this::getPlan);
    api.operation("createPlanPeriod", auth.api(Permission.PLAN), this::createPeriod);
    api.operation("updatePlanPeriod", auth.api(Permission.PLAN), this::updatePeriod);
    api.operation("closePlanPeriod", auth.api(Permission.ADMINISTER), this::closePeriod);
    api.operation("putPlanYear", auth.api(Permission.PLAN), this::putYear);
    api.operation("createPlannedActivity", auth.api(Permission.PLAN), this::createActivity);
    api.operation("updatePlannedActivity", auth.api(Permission.PLAN), this::updateActivity);
    api.operation("deletePlannedActivity", auth.api(Permission.PLAN), this::deleteActivity);
    api.operation("getOrganisation", auth.api(Permission.ORGANISE), this::getOrganisation);
    api.operation("createOrganisation", auth.api(Permission.ORGANISE), this::createOrganisation);
    api.operation("updateOrganisation", auth.api(Permission.ORGANISE), this::updateOrganisation);
    api.operation("acceptOrganisation", auth.api(Permission.ORGANISE), this::acceptOrganisation);
    api.operation("mergeOrganisation", auth.api(Permission.ORGANISE), this::mergeOrganisation);
  }

  // ------------------------------------------------------------------------------------------------ the plan

  private void getPlan(RoutingContext ctx) {
    Future.all(plan.periods(), plan.years(), plan.activities()).onSuccess(all -> {
      List<PlanPeriod> periods = all.resultAt(0);
      List<PlanYear> years = all.resultAt(1);
      List<PlannedActivity> activities = all.resultAt(2);
      List<Map<String, Object>> out = new ArrayList<>();
      for (PlanPeriod p : periods) {
        Map<String, Object> period = period(p);
        period.put("years", years.stream().filter(y -> p.contains(y.year())).map(y -> {
          Map<String, Object> m = year(y);
          m.put("activities", activities.stream().filter(a -> a.year() == y.year()).map(PlanApi::activity).toList());
          return m;
        }).toList());
        out.add(period);
      }
      Json.send(ctx, 200, Map.of("periods", out));
    }).onFailure(ctx::fail);
  }

  private void createPeriod(RoutingContext ctx) {
    plan.createPeriod(PlanInput.Period.fromJson(Api.body(ctx)))
        .onSuccess(p -> Json.send(ctx, 201, period(p)))
        .onFailure(ctx::fail);
  }

  private void updatePeriod(RoutingContext ctx) {
    plan.updatePeriod(PathIds.id(ctx), PlanInput.Period.fromJson(Api.body(ctx)))
        .onSuccess(p -> Json.send(ctx, 200, period(p)))
        .onFailure(ctx::fail);
  }

  private void closePeriod(RoutingContext ctx) {
    if (!Boolean.TRUE.equals(Api.body(ctx).getValue("confirm"))) {
      ctx.fail(ValidationException.of("confirm", "error.plan.confirmClose"));
      return;
    }
    plan.close(PathIds.id(ctx), StaffAuth.current(ctx).id(), counter).onSuccess(c -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("period", period(c.period()));
      body.put("alreadyClosed", c.alreadyClosed());
      body.put("keysDeleted", c.keysDeleted());
      body.put("yearsKept", c.yearsKept());
      Json.send(ctx, 200, body);
    }).onFailure(ctx::fail);
  }

  private void putYear(RoutingContext ctx) {
    String year = ctx.pathParam("year");
    plan.saveYear(PathIds.id(ctx), PlanInput.Year.fromJson(year, Api.body(ctx)), true)
        .onSuccess(y -> Json.send(ctx, 200, year(y)))
        .onFailure(ctx::fail);
  }

  private void createActivity(RoutingContext ctx) {
    plan.addActivity((int) PathIds.id(ctx, "year"), PlanInput.Activity.fromJson(Api.body(ctx)))
        .onSuccess(a -> Json.send(ctx, 201, activity(a)))
        .onFailure(ctx::fail);
  }

  private void updateActivity(RoutingContext ctx) {
    plan.updateActivity(PathIds.id(ctx), PlanInput.Activity.fromJson(Api.body(ctx)))
        .onSuccess(a -> Json.send(ctx, 200, activity(a)))
        .onFailure(ctx::fail);
  }

  private void deleteActivity(RoutingContext ctx) {
    plan.deleteActivity(PathIds.id(ctx))
        .onSuccess(a -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private static Map<String, Object> period(PlanPeriod p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("name", p.name());
    m.put("firstYear", p.firstYear());
    m.put("lastYear", p.lastYear());
    m.put("closed", p.closed());
    m.put("closedAt", p.closedAt());
    return m;
  }

  private static Map<String, Object> year(PlanYear y) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("year", y.year());
    m.put("theme", y.theme());
    m.put("focusArea", y.focusArea());
    return m;
  }

  private static Map<String, Object> activity(PlannedActivity a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("year", a.year());
    m.put("title", a.title());
    m.put("kind", a.kind());
    m.put("target", a.target());
    m.put("notes", a.notes());
    m.put("position", a.position());
    return m;
  }

  // ------------------------------------------------------------------------------------------------ organisations

  private void getOrganisation(RoutingContext ctx) {
    organisations.get(PathIds.id(ctx)).onSuccess(e -> Json.send(ctx, 200, organisation(e))).onFailure(ctx::fail);
  }

  private void createOrganisation(RoutingContext ctx) {
    organisations.create(OrganisationInput.fromJson(Api.body(ctx)))
        .onSuccess(e -> {
          ctx.response().putHeader("Location", "/api/v1/organisations/" + e.organisation().id());
          Json.send(ctx, 201, organisation(e));
        })
        .onFailure(ctx::fail);
  }

  private void updateOrganisation(RoutingContext ctx) {
    organisations.update(PathIds.id(ctx), OrganisationInput.fromJson(Api.body(ctx)))
        .onSuccess(e -> Json.send(ctx, 200, organisation(e)))
        .onFailure(ctx::fail);
  }

  private void acceptOrganisation(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    organisations.accept(id).onSuccess(e -> Json.send(ctx, 200, organisation(e))).onFailure(ctx::fail);
  }

  private void mergeOrganisation(RoutingContext ctx) {
    Object into = Api.body(ctx).getValue("into");
    organisations.merge(PathIds.id(ctx), into instanceof Number n ? n.longValue() : null)
        .onSuccess(m -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("kept", organisation(m.kept()));
          body.put("movedRegistrations", m.movedRegistrations());
          Json.send(ctx, 200, body);
        })
        .onFailure(ctx::fail);
  }

  static Map<String, Object> organisation(Organisations.Entry e) {
    Organisation o = e.organisation();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", o.id());
    m.put("name", o.name());
    m.put("sector", o.sector());
    m.put("signatory", o.signatory());
    m.put("signatorySince", o.signatorySince() == null ? null : o.signatorySince().toString());
    m.put("signatoryUntil", o.signatoryUntil() == null ? null : o.signatoryUntil().toString());
    m.put("contactName", o.contactName());
    m.put("contactEmail", o.contactEmail());
    m.put("accepted", e.accepted());
    m.put("registrations", e.registrations());
    return m;
  }
}
