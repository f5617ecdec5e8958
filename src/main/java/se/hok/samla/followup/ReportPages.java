package se.hok.samla.followup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.events.PlanYear;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.PathIds;
import se.hok.samla.web.Templates;

/**
 * The working group's follow-up (viewer role and up): participation across the events of a plan year or a
 * period, one event's turnout, the printable yearly report with its PDF, and every table as CSV or XLSX.
 * Read-only: there is nothing here to change.
 */
public final class ReportPages {
  static final String BASE = "/uppfoljning";

  private final Vertx vertx;
  private final ReportService reports;
  private final StaffAuth auth;
  private final EventAccess access;
  private final AuditLog audit;
  private final Templates templates;
  private final Clock clock;

  public ReportPages(Vertx vertx, ReportService reports, StaffAuth auth, EventAccess access, AuditLog audit,
                     Templates templates, Clock clock) {
    this.vertx = vertx;
    this.reports = reports;
    this.auth = auth;
    this.access = access;
    this.audit = audit;
    this.templates = templates;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get(BASE).handler(auth.page(Permission.FOLLOW_UP)).handler(this::overview);
    router.get(BASE + "/export/:file").handler(auth.page(Permission.FOLLOW_UP)).handler(this::exportScope);
    router.get(BASE + "/evenemang/:id").handler(access.page(EventRight.FIGURES)).handler(this::event);
    // Figures for the working group; the participant list ("deltagare") only for the event's organisers (exportEvent).
    router.get(BASE + "/evenemang/:id/export/:file").handler(access.page(EventRight.FIGURES)).handler(this::exportEvent);
    router.get(BASE + "/ar/:year").handler(auth.page(Permission.FOLLOW_UP)).handler(this::yearly);
    router.get(BASE + "/ar/:year/uppfoljning.pdf").handler(auth.page(Permission.FOLLOW_UP)).handler(this::yearlyPdf);
  }

  // ------------------------------------------------------------------------------------------------ across events

  private void overview(RoutingContext ctx) {
    Lang lang = Lang.of(ctx);
    Future.all(reports.planYears(), reports.trend()).compose(found -> {
      List<PlanYear> years = found.resultAt(0);
      List<Participation> trend = found.resultAt(1);
      List<Integer> heldYears = trend.stream().map(t -> t.scope().year()).toList();
      ScopeChoice choice = ScopeChoice.parse(ctx, years, heldYears, today(), lang);
      if (!choice.errors().isEmpty()) {
        Map<String, Object> model = new HashMap<>();
        model.put("choice", choice);
        model.put("years", years);
        model.put("errors", choice.errors());
        return templates.render(ctx, 400, "followup/overview", model);
      }
      return reports.participation(choice.scope()).compose(p -> {
        Map<String, Object> model = new HashMap<>();
        model.put("choice", choice);
        model.put("years", years);
        model.put("errors", Map.of());
        model.put("p", p);
        model.put("heading", heading(choice.scope(), lang));
        model.put("attendanceNote", ReportTables.attendanceUnrecordedNote(p.totals(), lang));
        model.put("planSummary", choice.scope().isPlanYear() ? ReportTables.planSummary(p, lang) : "");
        model.put("peopleNote", ReportTables.peopleNote(p, lang));
        model.put("query", choice.query());
        Map<String, ReportTable> tables = new LinkedHashMap<>();
        ReportTables.SCOPE_TABLES.forEach(id -> tables.put(id, ReportTables.scope(id, p, trend, lang)));
        model.put("tables", tables);
        model.put("charts", scopeCharts(p, trend, lang));
        model.put("eventLinks", p.events().stream().map(e -> Map.of("id", e.id(),
            "title", ReportTables.title(e.titleSv(), e.titleEn(), lang), "date", ReportTables.date(e.startsAt()),
            "kind", ReportTables.kind(e.kind(), lang))).toList());
        return templates.render(ctx, "followup/overview", model);
      });
    }).onFailure(ctx::fail);
  }

  private LocalDate today() {
    return LocalDate.now(clock.withZone(Scope.STOCKHOLM));
  }

  private void exportScope(RoutingContext ctx) {
    Lang lang = Lang.of(ctx);
    Download d = Download.parse(ctx.pathParam("file"), ReportTables.SCOPE_TABLES);
    reports.planYears().compose(years -> {
      ScopeChoice choice = ScopeChoice.parse(ctx, years, List.of(), today(), lang);
      if (!choice.errors().isEmpty()) {
        return Future.failedFuture(new HttpException(400, String.join(" ", choice.errors().values())));
      }
      Future<List<Participation>> trend = "trend".equals(d.table()) ? reports.trend() : Future.succeededFuture(List.of());
      return Future.all(reports.participation(choice.scope()), trend)
          .compose(all -> send(ctx, ReportTables.scope(d.table(), all.resultAt(0), all.resultAt(1), lang), d,
              d.table() + "-" + choice.fileSuffix()));
    }).onFailure(ctx::fail);
  }

  private static String heading(Scope scope, Lang lang) {
    if (scope.isPlanYear()) {
      return Messages.get(lang, "followup.heading.year", String.valueOf(scope.year()));
    }
    return Messages.get(lang, "followup.heading.period", scope.from().toString(), scope.to().toString());
  }

  private static Map<String, String> scopeCharts(Participation p, List<Participation> trend, Lang lang) {
    Map<String, String> charts = new HashMap<>();
    List<Charts.Bar> kinds = new ArrayList<>();
    p.eventsByKind().forEach((k, n) -> kinds.add(new Charts.Bar(ReportTables.kind(k, lang), n, String.valueOf(n))));
    charts.put("typer", Charts.bars("chart-typer", Messages.get(lang, "followup.chart.kinds"), kinds));
    List<Charts.Bar> sectors = p.sectors().stream().map(s -> new Charts.Bar(ReportTables.sector(s.sector(), lang),
        s.attendances(), String.valueOf(s.attendances()))).toList();
    charts.put("sektorer", Charts.bars("chart-sektorer", Messages.get(lang, "followup.chart.sectors"), sectors));
    List<Charts.Bar> breadth = new ArrayList<>();
    p.breadth().organisationsByKindCount().forEach((n, orgs) -> breadth.add(new Charts.Bar(
        Messages.get(lang, n >= 3 ? "followup.chart.kindsThreeOrMore" : "followup.chart.kindsN", n), orgs,
        String.valueOf(orgs))));
    charts.put("bredd", Charts.bars("chart-bredd", Messages.get(lang, "followup.chart.breadth"), breadth));
    List<Charts.Bar> years = trend.stream().map(y -> new Charts.Bar(String.valueOf(y.scope().year()),
        y.totals().attendances(), String.valueOf(y.totals().attendances()))).toList();
    charts.put("trend", Charts.bars("chart-trend", Messages.get(lang, "followup.chart.trend"), years));
    return charts;
  }

  // ------------------------------------------------------------------------------------------------ one event

  private void event(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    Lang lang = Lang.of(ctx);
    reports.event(id).compose(r -> {
      Map<String, Object> model = new HashMap<>();
      model.put("r", r);
      model.put("title", ReportTables.title(r.event().titleSv(), r.event().titleEn(), lang));
      model.put("date", ReportTables.date(r.event().startsAt()));
      model.put("kind", ReportTables.kind(r.event().kind(), lang));
      // Before the start nobody can have been checked in: no note that attendance is unknown, only "–".
      model.put("started", !r.event().startsAt().isAfter(java.time.OffsetDateTime.now(clock)));
      Map<String, ReportTable> tables = new LinkedHashMap<>();
      ReportTables.EVENT_TABLES.stream().filter(t -> !t.equals("deltagare"))
          .forEach(t -> tables.put(t, ReportTables.event(t, r, List.of(), lang)));
      model.put("tables", tables);
      model.put("ratingMean", r.ratings().mean() == null ? null : ReportTable.decimalText(r.ratings().mean(), lang));
      model.put("charts", eventCharts(r, lang));
      model.put("canManage", EventAccess.has(ctx, EventRight.MANAGE));
      return templates.render(ctx, "followup/event", model);
    }).onFailure(ctx::fail);
  }

  private void exportEvent(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    Lang lang = Lang.of(ctx);
    Download d = Download.parse(ctx.pathParam("file"), ReportTables.EVENT_TABLES);
    boolean people = "deltagare".equals(d.table());
    if (people) {
      // Names and e-mail addresses: the event's organisers and admins only, and logged.
      EventAccess.require(ctx, EventRight.MANAGE);
    }
    Future<List<ReportService.Participant>> participants = people
        ? reports.participants(id).compose(list -> audit.read(ctx, id, d.format() == Exports.Format.CSV
            ? AuditLog.Read.FOLLOWUP_PARTICIPANTS_CSV : AuditLog.Read.FOLLOWUP_PARTICIPANTS_XLSX, false, list.size())
            .map(list))
        : Future.succeededFuture(List.of());
    Future.all(reports.event(id), participants)
        .compose(all -> send(ctx, ReportTables.event(d.table(), all.resultAt(0), all.resultAt(1), lang), d,
            d.table() + "-evenemang-" + id))
        .onFailure(ctx::fail);
  }

  private static Map<String, String> eventCharts(EventReport r, Lang lang) {
    EventReport.Turnout t = r.turnout();
    List<Charts.Bar> turnout = List.of(
        bar(Messages.get(lang, "followup.measure.confirmed"), t.confirmed()),
        bar(Messages.get(lang, "followup.measure.attended"), t.attended()),
        bar(Messages.get(lang, "followup.measure.walkIns"), t.walkIns()),
        t.noShows() == null ? new Charts.Bar(Messages.get(lang, "followup.measure.noShows"), 0, "–")
            : bar(Messages.get(lang, "followup.measure.noShows"), t.noShows()),
        bar(Messages.get(lang, "followup.measure.waitlisted"), t.waitlisted()),
        bar(Messages.get(lang, "followup.measure.cancelled"), t.cancelled()));
    List<Charts.Bar> ratings = new ArrayList<>();
    for (int n = 5; n >= 1; n--) {
      ratings.add(bar(Messages.get(lang, "followup.rating.n", n), r.ratings().count(n)));
    }
    return Map.of(
        "narvaro", Charts.bars("chart-narvaro", Messages.get(lang, "followup.chart.turnout"), turnout),
        "betyg", Charts.bars("chart-betyg", Messages.get(lang, "followup.chart.ratings"), ratings));
  }

  private static Charts.Bar bar(String label, long n) {
    return new Charts.Bar(label, n, String.valueOf(n));
  }

  // ------------------------------------------------------------------------------------------------ yearly report

  private void yearly(RoutingContext ctx) {
    int year = year(ctx);
    Lang lang = Lang.of(ctx);
    YearlyReport.load(reports, year, lang).compose(report -> reports.needOutcomes(year).compose(needs -> {
      Map<String, Object> model = new HashMap<>();
      model.put("report", report);
      model.put("needOutcomes", needs.table(lang));
      model.put("charts", Map.of(
          "typer", Charts.bars("chart-typer", Messages.get(lang, "followup.chart.kinds"), report.kindBars()),
          "sektorer", Charts.bars("chart-sektorer", Messages.get(lang, "followup.chart.sectors"), report.sectorBars())));
      return templates.render(ctx, "followup/yearly", model);
    })).onFailure(ctx::fail);
  }

  private void yearlyPdf(RoutingContext ctx) {
    int year = year(ctx);
    Lang lang = Lang.of(ctx);
    YearlyReport.load(reports, year, lang)
        .compose(report -> reports.needOutcomes(year)
            .compose(needs -> vertx.executeBlocking(() -> YearlyReportPdf.render(report, needs, lang))))
        .onSuccess(pdf -> ctx.response()
            .putHeader("Content-Type", "application/pdf")
            .putHeader("Content-Disposition", "inline; filename=\"uppfoljning-" + year + ".pdf\"")
            .putHeader("Cache-Control", "no-store")
            .end(Buffer.buffer(pdf)))
        .onFailure(ctx::fail);
  }

  private static int year(RoutingContext ctx) {
    long year = PathIds.id(ctx, "year");
    if (year < 2000 || year > 2100) {
      throw new NotFoundException("year " + year);
    }
    return (int) year;
  }

  // ------------------------------------------------------------------------------------------------ downloads

  /** "organisationer.xlsx": a table this page has, in a format there is; anything else names nothing (404). */
  record Download(String table, Exports.Format format) {
    static Download parse(String file, List<String> tables) {
      int dot = file == null ? -1 : file.lastIndexOf('.');
      if (dot <= 0) {
        throw new NotFoundException("export " + file);
      }
      String table = file.substring(0, dot);
      Exports.Format format = Exports.Format.parse(file.substring(dot + 1));
      if (format == null || !tables.contains(table)) {
        throw new NotFoundException("export " + file);
      }
      return new Download(table, format);
    }
  }

  private Future<Void> send(RoutingContext ctx, ReportTable table, Download d, String name) {
    return vertx.executeBlocking(() -> Exports.render(table, d.format()))
        .compose(bytes -> ctx.response()
            .putHeader("Content-Type", d.format().contentType)
            .putHeader("Content-Disposition", "attachment; filename=\"" + name + "." + d.format().extension + "\"")
            .putHeader("Cache-Control", "no-store")
            .end(Buffer.buffer(bytes)));
  }

  // ------------------------------------------------------------------------------------------------ the scope form

  /**
   * What the reader asked for: {@code ?ar=2024} (a plan year) or {@code ?fran=2024-01-01&till=2024-06-30} (a
   * period); with neither, the latest plan year that has held events (else the latest up to this year, else this
   * year so far). Bad input becomes messages beside the fields.
   */
  public record ScopeChoice(Scope scope, Map<String, String> errors, String ar, String fran, String till) {
    static ScopeChoice parse(RoutingContext ctx, List<PlanYear> years, List<Integer> heldYears, LocalDate today,
                             Lang lang) {
      String ar = trim(ctx.queryParams().get("ar"));
      String fran = trim(ctx.queryParams().get("fran"));
      String till = trim(ctx.queryParams().get("till"));
      Map<String, String> errors = new LinkedHashMap<>();
      if (!fran.isEmpty() || !till.isEmpty()) {
        LocalDate from = date(fran, "fran", errors, lang);
        LocalDate to = date(till, "till", errors, lang);
        if (from != null && to != null && to.isBefore(from)) {
          errors.put("till", Messages.get(lang, "followup.error.toBeforeFrom"));
        }
        return new ScopeChoice(errors.isEmpty() ? Scope.period(from, to) : null, errors, "", fran, till);
      }
      if (!ar.isEmpty()) {
        Integer year = null;
        try {
          year = Integer.parseInt(ar);
        } catch (NumberFormatException e) {
          errors.put("ar", Messages.get(lang, "followup.error.year"));
        }
        Integer y = year;
        if (y != null && years.stream().noneMatch(p -> p.year() == y)) {
          errors.put("ar", Messages.get(lang, "followup.error.noSuchYear", ar));
        }
        return new ScopeChoice(errors.isEmpty() ? Scope.planYear(year) : null, errors, ar, "", "");
      }
      java.util.Optional<Integer> latestHeld = heldYears.stream().max(Integer::compare);
      java.util.Optional<Integer> latest = latestHeld.isPresent() ? latestHeld
          : years.stream().map(PlanYear::year).filter(y -> y <= today.getYear()).max(Integer::compare);
      return latest
          .map(y -> new ScopeChoice(Scope.planYear(y), errors, String.valueOf(y), "", ""))
          .orElseGet(() -> new ScopeChoice(Scope.period(today.withDayOfYear(1), today), errors, "",
              today.withDayOfYear(1).toString(), today.toString()));
    }

    /** The query string that asks for this scope again, for export links. */
    public String query() {
      return scope.isPlanYear() ? "?ar=" + scope.year() : "?fran=" + scope.from() + "&till=" + scope.to();
    }

    String fileSuffix() {
      return scope.isPlanYear() ? String.valueOf(scope.year()) : scope.from() + "--" + scope.to();
    }

    private static LocalDate date(String text, String field, Map<String, String> errors, Lang lang) {
      if (text.isEmpty()) {
        errors.put(field, Messages.get(lang, "followup.error.dateMissing"));
        return null;
      }
      try {
        LocalDate d = LocalDate.parse(text);
        if (d.getYear() < 2000 || d.getYear() > 2100) {
          errors.put(field, Messages.get(lang, "followup.error.dateRange"));
          return null;
        }
        return d;
      } catch (DateTimeParseException e) {
        errors.put(field, Messages.get(lang, "followup.error.date"));
        return null;
      }
    }

    private static String trim(String s) {
      return s == null ? "" : s.strip();
    }
  }
}
