package se.hok.samla.followup;

import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Api;
import se.hok.samla.web.Json;
import se.hok.samla.web.PathIds;

/** The follow-up's figures for other tools: one event's turnout, and a plan year's participation. */
public final class ReportApi {
  private final ReportService reports;
  private final StaffAuth auth;
  private final EventAccess access;

  public ReportApi(ReportService reports, StaffAuth auth, EventAccess access) {
    this.reports = reports;
    this.auth = auth;
    this.access = access;
  }

  public void mount(Api api) {
    api.operation("eventTurnout", access.api(EventRight.FIGURES), this::turnout);
    api.operation("participationReport", auth.api(Permission.FOLLOW_UP), this::participation);
  }

  private void turnout(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    reports.event(id).onSuccess(r -> {
      EventReport.Turnout t = r.turnout();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("eventId", id);
      body.put("registered", t.registered());
      body.put("confirmed", t.confirmed());
      body.put("waitlisted", t.waitlisted());
      body.put("cancelled", t.cancelled());
      body.put("cancellations", Map.of("withinOneDay", t.cancelledWithinDay(), "oneToSevenDays",
          t.cancelledWithinWeek(), "earlier", t.cancelledEarlier()));
      body.put("attended", t.attended());
      body.put("walkIns", t.walkIns());
      body.put("attendanceRecorded", t.attendanceRecorded());
      body.put("noShows", t.noShows());
      body.put("noShowRate", t.noShowRate());
      body.put("attendanceRate", t.attendanceRate());
      List<Map<String, Object>> sessions = new ArrayList<>();
      for (EventReport.SessionTurnout s : r.sessions()) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", s.id());
        session.put("title", s.titleSv());
        session.put("startsAt", s.startsAt());
        session.put("capacity", s.capacity());
        session.put("booked", s.booked());
        session.put("attended", s.attended());
        sessions.add(session);
      }
      body.put("sessions", sessions);
      Json.send(ctx, 200, body);
    }).onFailure(ctx::fail);
  }

  private void participation(RoutingContext ctx) {
    ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    int year = request.getQuery().get("year").getInteger();
    reports.participation(Scope.planYear(year)).onSuccess(p -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("year", year);
      body.put("theme", p.plan().theme());
      body.put("focusArea", p.plan().focusArea());
      Participation.Totals t = p.totals();
      Map<String, Object> totals = new LinkedHashMap<>();
      totals.put("events", t.events());
      totals.put("eventsWithoutRecordedAttendance", t.eventsAttendanceUnrecorded());
      totals.put("confirmed", t.confirmed());
      totals.put("attendances", t.attendances());
      totals.put("walkIns", t.walkIns());
      totals.put("attendanceRate", t.attendanceRate());
      totals.put("organisations", t.organisations());
      Participation.People people = p.people();
      totals.put("people", few(people.people()));
      totals.put("unlinkedAttendances", people.unlinked());
      body.put("totals", totals);
      body.put("eventsByKind", p.eventsByKind());
      body.put("sectors", p.sectors().stream().map(s -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sector", s.sector());
        m.put("organisations", s.organisations());
        m.put("attendances", s.attendances());
        m.put("events", s.events());
        return m;
      }).toList());
      body.put("organisations", p.organisations().stream().map(o -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id());
        m.put("name", o.name());
        m.put("sector", o.sector());
        m.put("signatory", o.signatory());
        m.put("events", o.events());
        m.put("kinds", o.kinds());
        m.put("attendances", o.attendances());
        return m;
      }).toList());
      body.put("signatoriesWithoutParticipation", p.silentSignatories().stream()
          .map(o -> Map.of("id", o.id(), "name", o.name(), "sector", o.sector())).toList());
      Participation.Breadth b = p.breadth();
      Map<String, Object> breadth = new LinkedHashMap<>();
      breadth.put("organisationsTwoOrMoreKinds", b.organisationsTwoKinds());
      breadth.put("organisationsTwoOrMoreEvents", b.organisationsTwoEvents());
      breadth.put("people", few(people.people()));
      breadth.put("peopleTwoOrMoreKinds", few(people.twoKinds()));
      breadth.put("peopleTwoOrMoreEvents", few(people.twoEvents()));
      breadth.put("unlinkedAttendances", people.unlinked());
      body.put("breadth", breadth);
      Map<String, Object> across = new LinkedHashMap<>();
      across.put("keptAtClosing", people.kept());
      across.put("people", few(people.people()));
      across.put("firstTimers", few(people.firstTimers()));
      across.put("returning", few(people.returning()));
      across.put("cameAgainNextYear", few(people.cameAgainNextYear()));
      boolean hidden = people.cameAgainNextYear() != null && few(people.cameAgainNextYear()) == null;
      across.put("cameAgainNextYearShare", hidden ? null : people.cameAgainShare());
      across.put("ratingsByBreadth", Map.of("oneKind", ratings(people.ratingsOneKind()),
          "twoOrMoreKinds", ratings(people.ratingsTwoKinds())));
      body.put("people", across);
      body.put("plan", p.planRows().stream().map(ReportApi::planRow).toList());
      Json.send(ctx, 200, body);
    }).onFailure(ctx::fail);
  }

  /** A count of people as the API gives it: null for 1 or 2 (the pages' "< 3"), so that nobody can be pointed at. */
  static Long few(Long n) {
    return n != null && n > 0 && n < EventReport.NeedCount.SMALL ? null : n;
  }

  /** A group's ratings; fewer than 3 answers say only that ("fewerThanThree"), nothing of what they were. */
  private static Map<String, Object> ratings(Ratings r) {
    Map<String, Object> m = new LinkedHashMap<>();
    boolean few = r.answers() > 0 && r.answers() < EventReport.NeedCount.SMALL;
    m.put("answers", few ? null : r.answers());
    m.put("fewerThanThree", few);
    m.put("mean", few ? null : r.mean());
    m.put("counts", few ? null : r.counts());
    return m;
  }

  private static Map<String, Object> planRow(Participation.PlanRow row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", row.statusCode());
    m.put("plannedActivityId", row.activity() == null ? null : row.activity().id());
    m.put("plannedActivity", row.activity() == null ? null : row.activity().title());
    m.put("kind", row.activity() == null ? null : row.activity().kind());
    m.put("target", row.activity() == null ? null : row.activity().target());
    Participation.HeldEvent e = row.event();
    Participation.Upcoming u = row.upcoming();
    m.put("eventId", e != null ? Long.valueOf(e.id()) : u != null ? Long.valueOf(u.id()) : null);
    m.put("event", e != null ? e.titleSv() : u != null ? u.titleSv() : null);
    m.put("startsAt", e != null ? e.startsAt() : u != null ? u.startsAt() : null);
    m.put("attendances", e == null || !e.attendanceRecorded() ? null : e.attendances());
    m.put("organisations", e == null ? null : e.organisations());
    m.put("attendanceRate", e == null ? null : e.attendanceRate());
    return m;
  }
}
