package se.hok.samla.followup;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;

/**
 * The yearly follow-up, like the working group's own "Uppföljning": the year's theme and focus area, the plan against
 * its outcome, the activities held by kind with their dates, who took part (organisations, sectors), attendance,
 * breadth, people across the years, how each activity was rated and the rating by breadth. One model for the printable page and the PDF. attendanceNote says how many activities
 * the attendance rate leaves out for want of check-ins; null when it leaves none out.
 */
public record YearlyReport(int year, String theme, String focusArea, List<KindGroup> activities,
                           ReportTable totals, ReportTable sectors, ReportTable breadth, ReportTable ratings,
                           ReportTable organisations, List<String> silentSignatories, List<Charts.Bar> kindBars,
                           List<Charts.Bar> sectorBars, String summary, String attendanceNote,
                           ReportTable planAgainstOutcome, ReportTable people, ReportTable ratingsByBreadth,
                           String peopleNote, String planSummary, List<PlanItem> plan) {

  public record KindGroup(String kind, List<Activity> events) {}

  /** Plan against outcome in words, for print: a planned activity (or "outside the plan") and a line per event. */
  public record PlanItem(String heading, List<String> lines) {}

  /** attendancesText: how many took part, or that nobody knows (held without check-in), never "no participants". */
  public record Activity(long id, String date, String title, long attendances, String attendancesText) {}

  static Future<YearlyReport> load(ReportService reports, int year, Lang lang) {
    return reports.participation(Scope.planYear(year)).map(p -> of(p, lang));
  }

  static YearlyReport of(Participation p, Lang lang) {
    Map<String, List<Activity>> byKind = new LinkedHashMap<>();
    Participation.KINDS.forEach(k -> byKind.put(k, new ArrayList<>()));
    for (Participation.HeldEvent e : p.events()) {
      byKind.get(e.kind()).add(new Activity(e.id(), ReportTables.date(e.startsAt()),
          ReportTables.title(e.titleSv(), e.titleEn(), lang), e.attendances(), e.attendanceRecorded()
              ? Messages.get(lang, "followup.yearly.attendances", e.attendances())
              : Messages.get(lang, "followup.yearly.attendanceUnknown")));
    }
    List<KindGroup> groups = new ArrayList<>();
    byKind.forEach((k, list) -> {
      if (!list.isEmpty()) {
        groups.add(new KindGroup(ReportTables.kind(k, lang), list));
      }
    });
    List<Charts.Bar> kindBars = new ArrayList<>();
    p.eventsByKind().forEach((k, n) -> kindBars.add(new Charts.Bar(ReportTables.kind(k, lang), n, String.valueOf(n))));
    List<Charts.Bar> sectorBars = p.sectors().stream().map(s -> new Charts.Bar(ReportTables.sector(s.sector(), lang),
        s.attendances(), String.valueOf(s.attendances()))).toList();
    Participation.Totals t = p.totals();
    String summary = Messages.get(lang, "followup.yearly.summary", t.events(), t.attendances(), t.organisations(),
        t.attendanceRate() == null ? "–" : ReportTable.percentText(t.attendanceRate(), lang),
        p.breadth().organisationsTwoKinds());
    return new YearlyReport(p.scope().year(), p.plan() == null ? null : p.plan().theme(),
        p.plan() == null ? null : p.plan().focusArea(), groups, ReportTables.totals(p, lang),
        ReportTables.sectors(p, lang), ReportTables.breadth(p, lang), ReportTables.ratingsByEvent(p, lang),
        ReportTables.organisations(p, lang), p.silentSignatories().stream().map(o -> o.name()).toList(), kindBars,
        sectorBars, summary, ReportTables.attendanceUnrecordedNote(t, lang), ReportTables.planAgainstOutcome(p, lang),
        ReportTables.people(p, lang), ReportTables.ratingsByBreadth(p, lang), ReportTables.peopleNote(p, lang),
        ReportTables.planSummary(p, lang), planItems(p, lang));
  }

  private static List<PlanItem> planItems(Participation p, Lang lang) {
    // By planned activity, in the plan's order; the events outside the plan (no activity: key 0) last.
    Map<Long, String> headings = new LinkedHashMap<>();
    Map<Long, List<String>> lines = new LinkedHashMap<>();
    for (Participation.PlanRow row : p.planRows()) {
      long key = row.activity() == null ? 0 : row.activity().id();
      headings.putIfAbsent(key, row.activity() == null ? Messages.get(lang, "followup.plan.outside")
          : row.activity().title());
      List<String> list = lines.computeIfAbsent(key, k -> new ArrayList<>());
      Participation.HeldEvent e = row.event();
      if (e != null) {
        list.add(Messages.get(lang, "followup.plan.line", ReportTables.date(e.startsAt()),
            ReportTables.title(e.titleSv(), e.titleEn(), lang), e.attendanceRecorded()
                ? Messages.get(lang, "followup.yearly.attendances", e.attendances())
                : Messages.get(lang, "followup.yearly.attendanceUnknown"),
            Messages.get(lang, "followup.plan.organisations", e.organisations()),
            e.attendanceRate() == null ? "–" : ReportTable.percentText(e.attendanceRate(), lang)));
      } else if (row.upcoming() != null) {
        list.add(Messages.get(lang, "followup.plan.upcomingLine", ReportTables.date(row.upcoming().startsAt()),
            ReportTables.title(row.upcoming().titleSv(), row.upcoming().titleEn(), lang)));
      } else {
        list.add(Messages.get(lang, "followup.plan.status.not-held"));
      }
    }
    List<PlanItem> out = new ArrayList<>();
    headings.forEach((key, heading) -> out.add(new PlanItem(heading, lines.get(key))));
    return out;
  }
}
