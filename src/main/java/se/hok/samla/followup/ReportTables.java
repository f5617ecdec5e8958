package se.hok.samla.followup;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import se.hok.samla.events.PlannedActivity;
import se.hok.samla.followup.ReportTable.Cell;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;

/** The follow-up's figures as tables in the reader's language: what the pages show and the exports contain. */
final class ReportTables {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;
  private static final DateTimeFormatter TIME = EventTimes.CLOCK;

  /** The tables of a scope's report, by id, in page order. */
  static final List<String> SCOPE_TABLES = List.of("oversikt", "plan-mot-utfall", "evenemang", "typer", "sektorer",
      "organisationer", "bredd", "personer", "betyg-efter-bredd", "parter-utan-deltagande", "trend");
  /** The tables of an event's report, by id; "deltagare" (the participant list) is a download only. */
  static final List<String> EVENT_TABLES = List.of("narvaro", "pass", "behov", "betyg", "deltagare");

  private ReportTables() {}

  // ------------------------------------------------------------------------------------------------ scope

  static ReportTable scope(String id, Participation p, List<Participation> trend, Lang lang) {
    return switch (id) {
      case "oversikt" -> totals(p, lang);
      case "plan-mot-utfall" -> planAgainstOutcome(p, lang);
      case "evenemang" -> events(p, lang);
      case "typer" -> kinds(p, lang);
      case "sektorer" -> sectors(p, lang);
      case "organisationer" -> organisations(p, lang);
      case "bredd" -> breadth(p, lang);
      case "personer" -> people(p, lang);
      case "betyg-efter-bredd" -> ratingsByBreadth(p, lang);
      case "parter-utan-deltagande" -> silent(p, lang);
      case "trend" -> trend(trend, lang);
      default -> throw new IllegalArgumentException(id);
    };
  }

  static ReportTable totals(Participation p, Lang lang) {
    Participation.Totals t = p.totals();
    List<List<Cell>> rows = new ArrayList<>();
    rows.add(measure(lang, "events", Cell.count(t.events())));
    rows.add(measure(lang, "confirmed", Cell.count(t.confirmed())));
    rows.add(measure(lang, "attendances", Cell.count(t.attendances())));
    rows.add(measure(lang, "walkIns", Cell.count(t.walkIns())));
    rows.add(measure(lang, "attendanceRate", Cell.percent(t.attendanceRate(), lang)));
    rows.add(measure(lang, "organisations", Cell.count(t.organisations())));
    rows.add(measure(lang, "people", Cell.people(p.people().people())));
    rows.add(measure(lang, "unlinked", Cell.count(p.people().unlinked())));
    return table("oversikt", lang, List.of("measure", "value"), rows);
  }

  /**
   * Plan against outcome: each planned activity with the events that carried it out (date, participants,
   * organisations, attendance), an upcoming event, or "not held"; then the events held outside the plan.
   */
  static ReportTable planAgainstOutcome(Participation p, Lang lang) {
    List<List<Cell>> rows = new ArrayList<>();
    for (Participation.PlanRow row : p.planRows()) {
      PlannedActivity a = row.activity();
      Participation.HeldEvent e = row.event();
      String status = Messages.get(lang, "followup.plan.status." + row.statusCode());
      String activity = a == null ? Messages.get(lang, "followup.plan.outside") : a.title();
      String kind = a != null && a.kind() != null ? kind(a.kind(), lang) : e != null ? kind(e.kind(), lang) : "";
      String target = a == null || a.target() == null ? "" : a.target();
      if (e != null) {
        rows.add(List.of(Cell.text(activity), Cell.text(kind), Cell.text(target), Cell.text(status),
            Cell.text(title(e.titleSv(), e.titleEn(), lang)), Cell.text(date(e.startsAt())),
            e.attendanceRecorded() ? Cell.count(e.attendances()) : Cell.text("–"), Cell.count(e.organisations()),
            Cell.percent(e.attendanceRate(), lang)));
      } else {
        Participation.Upcoming u = row.upcoming();
        rows.add(List.of(Cell.text(activity), Cell.text(kind), Cell.text(target), Cell.text(status),
            Cell.text(u == null ? "" : title(u.titleSv(), u.titleEn(), lang)),
            Cell.text(u == null ? "" : date(u.startsAt())), Cell.text("–"), Cell.text("–"), Cell.text("–")));
      }
    }
    return table("plan-mot-utfall", lang, List.of("plannedActivity", "kind", "target", "status", "event", "date",
        "attended", "organisations", "attendanceRate"), rows);
  }

  static ReportTable events(Participation p, Lang lang) {
    List<List<Cell>> rows = new ArrayList<>();
    for (Participation.HeldEvent e : p.events()) {
      rows.add(List.of(Cell.text(title(e.titleSv(), e.titleEn(), lang)), Cell.text(date(e.startsAt())),
          Cell.text(kind(e.kind(), lang)), Cell.count(e.confirmed()), Cell.count(e.attendances()),
          Cell.count(e.walkIns()), Cell.percent(e.attendanceRate(), lang), Cell.decimal(e.ratings().mean(), lang),
          Cell.count(e.ratings().answers())));
    }
    return table("evenemang", lang, List.of("event", "date", "kind", "confirmed", "attended", "walkIns",
        "attendanceRate", "ratingMean", "ratingAnswers"), rows);
  }

  static ReportTable kinds(Participation p, Lang lang) {
    List<List<Cell>> rows = new ArrayList<>();
    p.eventsByKind().forEach((k, n) -> rows.add(List.of(Cell.text(kind(k, lang)), Cell.count(n))));
    return table("typer", lang, List.of("kind", "events"), rows);
  }

  static ReportTable sectors(Participation p, Lang lang) {
    List<List<Cell>> rows = new ArrayList<>();
    for (Participation.SectorRow s : p.sectors()) {
      rows.add(List.of(Cell.text(sector(s.sector(), lang)), Cell.count(s.organisations()), Cell.count(s.attendances()),
          Cell.count(s.events())));
    }
    return table("sektorer", lang, List.of("sector", "organisations", "attendances", "events"), rows);
  }

  static ReportTable organisations(Participation p, Lang lang) {
    String yes = Messages.get(lang, "event.yes");
    String no = Messages.get(lang, "event.no");
    List<List<Cell>> rows = new ArrayList<>();
    for (Participation.OrganisationRow o : p.organisations()) {
      rows.add(List.of(Cell.text(o.name()), Cell.text(sector(o.sector(), lang)), Cell.text(o.signatory() ? yes : no),
          Cell.count(o.events()), Cell.count(o.kinds().size()),
          Cell.text(String.join(", ", o.kinds().stream().map(k -> kind(k, lang)).toList())),
          Cell.count(o.attendances())));
    }
    return table("organisationer", lang, List.of("organisation", "sector", "signatory", "eventsAttended",
        "kindCount", "kinds", "peopleSent"), rows);
  }

  static ReportTable breadth(Participation p, Lang lang) {
    Participation.Breadth b = p.breadth();
    List<List<Cell>> rows = new ArrayList<>();
    rows.add(measure(lang, "organisations", Cell.count(b.organisations())));
    rows.add(measure(lang, "organisationsTwoKinds", Cell.count(b.organisationsTwoKinds())));
    rows.add(measure(lang, "organisationsTwoEvents", Cell.count(b.organisationsTwoEvents())));
    Participation.People people = p.people();
    rows.add(measure(lang, "people", Cell.people(people.people())));
    rows.add(measure(lang, "peopleTwoKinds", Cell.people(people.twoKinds())));
    rows.add(measure(lang, "peopleTwoEvents", Cell.people(people.twoEvents())));
    rows.add(measure(lang, "unlinked", Cell.count(people.unlinked())));
    return table("bredd", lang, List.of("measure", "value"), rows);
  }

  /**
   * People across the years of the action-plan period: how many took part, how many for the first time in the period,
   * how many had come in an earlier year, how many came again the next year (and their share). Counts of 1 or 2 are
   * "< 3", and so is a share computed from them.
   */
  static ReportTable people(Participation p, Lang lang) {
    Participation.People people = p.people();
    List<List<Cell>> rows = new ArrayList<>();
    rows.add(measure(lang, "people", Cell.people(people.people())));
    rows.add(measure(lang, "firstTimers", Cell.people(people.firstTimers())));
    rows.add(measure(lang, "returning", Cell.people(people.returning())));
    rows.add(measure(lang, "cameAgainNextYear", Cell.people(people.cameAgainNextYear())));
    boolean few = people.cameAgainNextYear() != null && people.cameAgainNextYear() > 0
        && people.cameAgainNextYear() < EventReport.NeedCount.SMALL;
    rows.add(measure(lang, "cameAgainShare", few ? Cell.people(people.cameAgainNextYear())
        : Cell.percent(people.cameAgainShare(), lang)));
    rows.add(measure(lang, "unlinked", Cell.count(people.unlinked())));
    return table("personer", lang, List.of("measure", "value"), rows);
  }

  /**
   * The survey's finding, measured: the ratings of people who took part in one kind of activity against those in two
   * or more. A group with fewer than 3 answers shows "< 3" and nothing else, so no answer can be traced.
   */
  static ReportTable ratingsByBreadth(Participation p, Lang lang) {
    List<List<Cell>> rows = new ArrayList<>();
    rows.add(breadthRow(Messages.get(lang, "followup.breadthGroup.one"), p.people().ratingsOneKind(), lang));
    rows.add(breadthRow(Messages.get(lang, "followup.breadthGroup.twoOrMore"), p.people().ratingsTwoKinds(), lang));
    List<String> columns = new ArrayList<>(List.of(col(lang, "breadthGroup"), col(lang, "ratingAnswers"),
        col(lang, "ratingMean")));
    for (int r = 1; r <= 5; r++) {
      columns.add(Messages.get(lang, "followup.rating.n", r));
    }
    return new ReportTable("betyg-efter-bredd", Messages.get(lang, "followup.table.betyg-efter-bredd"), columns, rows);
  }

  private static List<Cell> breadthRow(String group, Ratings ratings, Lang lang) {
    long n = ratings.answers();
    List<Cell> row = new ArrayList<>(List.of(Cell.text(group)));
    if (n > 0 && n < EventReport.NeedCount.SMALL) {
      row.add(Cell.people(n));
      for (int i = 0; i < 6; i++) {
        row.add(Cell.text("–"));
      }
      return row;
    }
    row.add(Cell.count(n));
    row.add(Cell.decimal(ratings.mean(), lang));
    for (int r = 1; r <= 5; r++) {
      row.add(Cell.count(ratings.count(r)));
    }
    return row;
  }

  static ReportTable silent(Participation p, Lang lang) {
    List<List<Cell>> rows = new ArrayList<>();
    p.silentSignatories().forEach(o -> rows.add(List.of(Cell.text(o.name()), Cell.text(sector(o.sector(), lang)))));
    return table("parter-utan-deltagande", lang, List.of("organisation", "sector"), rows);
  }

  static ReportTable trend(List<Participation> years, Lang lang) {
    List<List<Cell>> rows = new ArrayList<>();
    for (Participation p : years) {
      rows.add(List.of(Cell.text(String.valueOf(p.scope().year())),
          Cell.text(p.plan() == null ? "" : p.plan().theme()),
          Cell.count(p.totals().events()), Cell.count(p.totals().attendances()),
          Cell.count(p.totals().organisations()), Cell.people(p.people().people()),
          Cell.percent(p.totals().attendanceRate(), lang), Cell.count(p.breadth().organisationsTwoKinds()),
          Cell.people(p.people().twoKinds()), Cell.people(p.people().firstTimers()),
          Cell.people(p.people().cameAgainNextYear())));
    }
    return table("trend", lang, List.of("year", "theme", "events", "attendances", "organisations", "people",
        "attendanceRate", "organisationsTwoKinds", "peopleTwoKinds", "firstTimers", "cameAgainNextYear"), rows);
  }

  /** Feedback highlights of a year: each event's mean rating and how many gave each rating. */
  static ReportTable ratingsByEvent(Participation p, Lang lang) {
    List<List<Cell>> rows = new ArrayList<>();
    for (Participation.HeldEvent e : p.events()) {
      List<Cell> row = new ArrayList<>(List.of(Cell.text(title(e.titleSv(), e.titleEn(), lang)),
          Cell.count(e.ratings().answers()), Cell.decimal(e.ratings().mean(), lang)));
      for (int r = 1; r <= 5; r++) {
        row.add(Cell.count(e.ratings().count(r)));
      }
      rows.add(row);
    }
    List<String> columns = new ArrayList<>(List.of(col(lang, "event"), col(lang, "ratingAnswers"),
        col(lang, "ratingMean")));
    for (int r = 1; r <= 5; r++) {
      columns.add(Messages.get(lang, "followup.rating.n", r));
    }
    return new ReportTable("betyg-per-evenemang", Messages.get(lang, "followup.table.betyg-per-evenemang"), columns,
        rows);
  }

  // ------------------------------------------------------------------------------------------------ one event

  static ReportTable event(String id, EventReport r, List<ReportService.Participant> participants, Lang lang) {
    return switch (id) {
      case "narvaro" -> turnout(r, lang);
      case "pass" -> sessions(r, lang);
      case "behov" -> needs(r, lang);
      case "betyg" -> ratings(r.ratings(), lang);
      case "deltagare" -> participants(participants, lang);
      default -> throw new IllegalArgumentException(id);
    };
  }

  static ReportTable turnout(EventReport r, Lang lang) {
    EventReport.Turnout t = r.turnout();
    List<List<Cell>> rows = new ArrayList<>();
    rows.add(measure(lang, "registered", Cell.count(t.registered())));
    rows.add(measure(lang, "confirmed", Cell.count(t.confirmed())));
    rows.add(measure(lang, "waitlisted", Cell.count(t.waitlisted())));
    rows.add(measure(lang, "cancelled", Cell.count(t.cancelled())));
    rows.add(measure(lang, "cancelledWithinDay", Cell.count(t.cancelledWithinDay())));
    rows.add(measure(lang, "cancelledWithinWeek", Cell.count(t.cancelledWithinWeek())));
    rows.add(measure(lang, "cancelledEarlier", Cell.count(t.cancelledEarlier())));
    rows.add(measure(lang, "attended", Cell.count(t.attended())));
    rows.add(measure(lang, "walkIns", Cell.count(t.walkIns())));
    rows.add(measure(lang, "noShows", Cell.countOrUnknown(t.noShows())));
    rows.add(measure(lang, "noShowRate", Cell.percent(t.noShowRate(), lang)));
    return table("narvaro", lang, List.of("measure", "value"), rows);
  }

  static ReportTable sessions(EventReport r, Lang lang) {
    List<List<Cell>> rows = new ArrayList<>();
    for (EventReport.SessionTurnout s : r.sessions()) {
      rows.add(List.of(Cell.text(title(s.titleSv(), s.titleEn(), lang)),
          Cell.text(s.startsAt().atZoneSameInstant(Scope.STOCKHOLM).format(TIME)), Cell.count(s.capacity()),
          Cell.count(s.booked()), Cell.count(s.attended())));
    }
    return table("pass", lang, List.of("session", "time", "capacity", "booked", "attended"), rows);
  }

  static ReportTable needs(EventReport r, Lang lang) {
    List<List<Cell>> rows = new ArrayList<>();
    for (EventReport.NeedCount n : r.needs()) {
      rows.add(List.of(Cell.text(lang == Lang.EN ? n.labelEn() : n.labelSv()), Cell.masked(n.count())));
    }
    return table("behov", lang, List.of("need", "registrations"), rows);
  }

  static ReportTable ratings(Ratings ratings, Lang lang) {
    List<List<Cell>> rows = new ArrayList<>();
    for (int r = 5; r >= 1; r--) {
      rows.add(List.of(Cell.text(Messages.get(lang, "followup.rating.n", r)), Cell.count(ratings.count(r))));
    }
    return table("betyg", lang, List.of("rating", "ratingAnswers"), rows);
  }

  static ReportTable participants(List<ReportService.Participant> list, Lang lang) {
    String yes = Messages.get(lang, "event.yes");
    String no = Messages.get(lang, "event.no");
    List<List<Cell>> rows = new ArrayList<>();
    for (ReportService.Participant p : list) {
      rows.add(List.of(Cell.text(p.erased() ? Messages.get(lang, "followup.erased") : p.name()),
          Cell.text(p.erased() ? "" : p.email()), Cell.text(p.organisation()),
          Cell.text(p.sector() == null ? "" : sector(p.sector(), lang)),
          Cell.text(Messages.get(lang, "followup.status." + p.status())),
          Cell.text(Messages.get(lang, "followup.source." + p.source())), Cell.text(p.companion() ? yes : no),
          Cell.text(p.checkedInAt() == null ? no : yes),
          Cell.text(p.checkedInAt() == null ? "" : p.checkedInAt().atZoneSameInstant(Scope.STOCKHOLM)
              .format(EventTimes.STAMP))));
    }
    return table("deltagare", lang, List.of("name", "email", "organisation", "sector", "status", "source",
        "companion", "attended", "checkedInAt"), rows);
  }

  // ------------------------------------------------------------------------------------------------ words

  /**
   * Why the attendance rate leaves events out (held without check-in, so how many came is unknown), or null when it
   * leaves none out: a rate over fewer events than the report lists must say so where it is read.
   */
  static String attendanceUnrecordedNote(Participation.Totals t, Lang lang) {
    return t.eventsAttendanceUnrecorded() == 0 ? null
        : Messages.get(lang, "followup.attendanceUnrecorded", t.eventsAttendanceUnrecorded());
  }

  /** "4 av årets 6 planerade aktiviteter genomfördes; 2 aktiviteter hölls utanför planen." */
  static String planSummary(Participation p, Lang lang) {
    long planned = p.planRows().stream().filter(r -> r.activity() != null).map(r -> r.activity().id()).distinct().count();
    long held = p.planRows().stream().filter(r -> r.status() == Participation.PlanRow.Status.HELD)
        .map(r -> r.activity().id()).distinct().count();
    long outside = p.planRows().stream().filter(r -> r.status() == Participation.PlanRow.Status.OUTSIDE).count();
    return Messages.get(lang, "followup.plan.summary", held, planned, outside);
  }

  /**
   * How the people were counted: kept when the period was closed; across the period's years; within a period of dates
   * only; or, for a year outside any period, within the year only.
   */
  static String peopleNote(Participation p, Lang lang) {
    if (p.people().kept()) {
      return Messages.get(lang, "followup.people.kept");
    }
    if (!p.scope().isPlanYear()) {
      return Messages.get(lang, "followup.people.dates");
    }
    return p.people().firstTimers() != null ? Messages.get(lang, "followup.people.acrossPeriod")
        : Messages.get(lang, "followup.people.withinScope");
  }

  static String kind(String code, Lang lang) {
    return Messages.get(lang, "kind." + code);
  }

  static String sector(String code, Lang lang) {
    return code == null ? Messages.get(lang, "followup.sector.none") : Messages.get(lang, "sector." + code);
  }

  static String title(String sv, String en, Lang lang) {
    return lang == Lang.EN && en != null && !en.isBlank() ? en : sv;
  }

  static String date(OffsetDateTime at) {
    return at.atZoneSameInstant(Scope.STOCKHOLM).format(DATE);
  }

  private static List<Cell> measure(Lang lang, String key, Cell value) {
    return List.of(Cell.text(Messages.get(lang, "followup.measure." + key)), value);
  }

  private static String col(Lang lang, String key) {
    return Messages.get(lang, "followup.col." + key);
  }

  private static ReportTable table(String id, Lang lang, List<String> columnKeys, List<List<Cell>> rows) {
    return new ReportTable(id, Messages.get(lang, "followup.table." + id),
        columnKeys.stream().map(k -> col(lang, k)).toList(), rows);
  }

}
