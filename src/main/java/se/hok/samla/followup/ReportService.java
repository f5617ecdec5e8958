package se.hok.samla.followup;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.util.HashSet;
import java.util.Set;
import se.hok.samla.events.ActionPlan;
import se.hok.samla.events.EventService;
import se.hok.samla.events.KeptPeople;
import se.hok.samla.events.Organisation;
import se.hok.samla.events.PlanPeriod;
import se.hok.samla.events.PlanYear;
import se.hok.samla.events.PlannedActivity;
import se.hok.samla.web.NotFoundException;

/**
 * Every query of the follow-up: aggregates over registrations, admissions (table checkin) and feedback ratings, and
 * the action plan through its owner ({@link ActionPlan}). Reads only; nothing here changes data.
 */
public final class ReportService {
  /** Attended: at least one admission that was not undone, to the event itself or to a session (view attendance). */
  private static final String ADMITTED = """
      exists (select 1 from attendance a where a.registration_id = r.id and a.event_id = r.event_id)""";

  private static final String WHEN_CANCELLED = "coalesce(r.cancelled_at, r.updated_at)";

  private final Pool pool;
  private final EventService events;
  private final ActionPlan plan;
  private final Clock clock;

  public ReportService(Pool pool, EventService events, ActionPlan plan, Clock clock) {
    this.pool = pool;
    this.events = events;
    this.plan = plan;
    this.clock = clock;
  }

  // ------------------------------------------------------------------------------------------------ one event

  Future<EventReport> event(long eventId) {
    return pool.preparedQuery("""
            select e.id, e.kind, e.title_sv, e.title_en, e.starts_at, e.ends_at, e.status, e.plan_year, e.capacity,
              count(r.id) as registered,
              count(r.id) filter (where r.status = 'confirmed') as confirmed,
              count(r.id) filter (where r.status = 'waitlisted') as waitlisted,
              count(r.id) filter (where r.status = 'cancelled') as cancelled,
              count(r.id) filter (where r.status = 'cancelled' and %1$s > e.starts_at - interval '1 day') as within_day,
              count(r.id) filter (where r.status = 'cancelled' and %1$s <= e.starts_at - interval '1 day'
                                  and %1$s > e.starts_at - interval '7 days') as within_week,
              count(r.id) filter (where r.status = 'cancelled' and %1$s <= e.starts_at - interval '7 days') as earlier,
              count(r.id) filter (where a.registration_id is not null) as attended,
              count(r.id) filter (where a.registration_id is not null and r.source = 'walk_in') as walk_ins,
              count(r.id) filter (where a.registration_id is not null and r.status = 'confirmed') as confirmed_attended,
              count(r.id) filter (where a.registration_id is null and r.status = 'confirmed') as not_admitted
            from event e
            left join registration r on r.event_id = e.id
            left join (select registration_id from attendance where event_id = $1) a
              on a.registration_id = r.id
            where e.id = $1
            group by e.id""".formatted(WHEN_CANCELLED))
        .execute(Tuple.of(eventId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new NotFoundException("event " + eventId));
          }
          Row row = rows.iterator().next();
          EventReport.Info info = new EventReport.Info(row.getLong("id"), row.getString("kind"),
              row.getString("title_sv"), row.getString("title_en"), row.getOffsetDateTime("starts_at"),
              row.getOffsetDateTime("ends_at"), row.getString("status"), row.getInteger("plan_year"),
              row.getInteger("capacity"));
          EventReport.Turnout turnout = new EventReport.Turnout(row.getLong("registered"), row.getLong("confirmed"),
              row.getLong("waitlisted"), row.getLong("cancelled"), row.getLong("within_day"),
              row.getLong("within_week"), row.getLong("earlier"), row.getLong("attended"), row.getLong("walk_ins"),
              row.getLong("confirmed_attended"), row.getLong("not_admitted"));
          return Future.all(sessions(eventId), needs(eventId), ratings(List.of(eventId)))
              .map(all -> new EventReport(info, turnout, all.resultAt(0), all.resultAt(1),
                  all.<Map<Long, Ratings>>resultAt(2).getOrDefault(eventId, Ratings.NONE)));
        });
  }

  private Future<List<EventReport.SessionTurnout>> sessions(long eventId) {
    return pool.preparedQuery("""
            select s.id, s.title_sv, s.title_en, s.starts_at, s.capacity,
              (select count(*) from registration_session rs join registration r on r.id = rs.registration_id
               where rs.session_id = s.id and r.status = 'confirmed' and rs.holds_seat) as booked,
              (select count(distinct c.registration_id) from checkin c
               where c.session_id = s.id and c.undone_at is null) as attended
            from event_session s where s.event_id = $1
            order by s.starts_at, s.id""")
        .execute(Tuple.of(eventId))
        .map(rows -> {
          List<EventReport.SessionTurnout> out = new ArrayList<>();
          rows.forEach(r -> out.add(new EventReport.SessionTurnout(r.getLong("id"), r.getString("title_sv"),
              r.getString("title_en"), r.getOffsetDateTime("starts_at"), r.getInteger("capacity"),
              r.getLong("booked"), r.getLong("attended"))));
          return out;
        });
  }

  /**
   * The plan year's needs with a lead time (the organiser tasks of its held events, confirmed registrations), per
   * kind of need: asked for, booked, could not be arranged, asked for after the deadline. The tasks outlive
   * retention's erasure (only their notes go), so the counts stay.
   */
  Future<NeedOutcomes> needOutcomes(int planYear) {
    return pool.preparedQuery("""
            select n.code, n.label_sv, n.label_en, count(*) as requested,
              count(*) filter (where t.state = 'booked') as booked,
              count(*) filter (where t.state = 'unavailable') as unavailable,
              count(*) filter (where t.urgent) as late
            from organiser_task t
            join event e on e.id = t.event_id
            join registration r on r.id = t.registration_id
            join need n on n.code = t.need_code
            where e.plan_year = $1 and e.status = 'published' and e.starts_at < $2 and r.status = 'confirmed'
            group by n.code, n.label_sv, n.label_en, n.sort_order
            order by n.sort_order, n.code""")
        .execute(Tuple.tuple().addInteger(planYear).addOffsetDateTime(OffsetDateTime.now(clock)))
        .map(rows -> {
          List<NeedOutcomes.Line> out = new ArrayList<>();
          rows.forEach(r -> out.add(new NeedOutcomes.Line(r.getString("code"), r.getString("label_sv"),
              r.getString("label_en"), r.getLong("requested"), r.getLong("booked"), r.getLong("unavailable"),
              r.getLong("late"))));
          return new NeedOutcomes(out);
        });
  }

  /** Needs stated by confirmed registrations; the counts survive erasure (only the free-text details go). */
  private Future<List<EventReport.NeedCount>> needs(long eventId) {
    return pool.preparedQuery("""
            select n.code, n.label_sv, n.label_en, count(*) as n
            from registration_need rn
            join registration r on r.id = rn.registration_id
            join need n on n.code = rn.need_code
            where r.event_id = $1 and r.status = 'confirmed'
            group by n.code, n.label_sv, n.label_en, n.sort_order
            order by n.sort_order, n.code""")
        .execute(Tuple.of(eventId))
        .map(rows -> {
          List<EventReport.NeedCount> out = new ArrayList<>();
          rows.forEach(r -> out.add(new EventReport.NeedCount(r.getString("code"), r.getString("label_sv"),
              r.getString("label_en"), r.getLong("n"))));
          return out;
        });
  }

  private Future<Map<Long, Ratings>> ratings(List<Long> eventIds) {
    if (eventIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery("""
            select event_id, rating, count(*) as n from feedback where event_id = any($1)
            group by event_id, rating""")
        .execute(Tuple.tuple().addArrayOfLong(eventIds.toArray(Long[]::new)))
        .map(rows -> {
          Map<Long, long[]> counts = new HashMap<>();
          rows.forEach(r -> counts.computeIfAbsent(r.getLong("event_id"), k -> new long[5])
              [r.getInteger("rating") - 1] = r.getLong("n"));
          Map<Long, Ratings> out = new HashMap<>();
          counts.forEach((id, c) -> out.put(id, Ratings.of(c)));
          return out;
        });
  }

  /** A participant list for export: who signed up, from where, and whether they came. Erased rows say so. */
  public record Participant(UUID id, String name, String email, String organisation, String sector, String status,
                            String source, boolean companion, OffsetDateTime checkedInAt, boolean erased) {}

  Future<List<Participant>> participants(long eventId) {
    return event(eventId).compose(exists -> pool.preparedQuery("""
            select r.id, r.name, r.email, o.name as organisation, o.sector, r.status, r.source, r.companion,
              r.erased_at is not null as erased,
              (select a.first_checked_in_at from attendance a where a.registration_id = r.id and a.event_id = r.event_id)
                as checked_in_at
            from registration r left join organisation o on o.id = r.organisation_id
            where r.event_id = $1
            order by case r.status when 'confirmed' then 0 when 'waitlisted' then 1 else 2 end,
              lower(r.name), r.created_at""")
        .execute(Tuple.of(eventId))
        .map(rows -> {
          List<Participant> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Participant(r.getUUID("id"), r.getString("name"), r.getString("email"),
              r.getString("organisation"), r.getString("sector"), r.getString("status"), r.getString("source"),
              r.getBoolean("companion"), r.getOffsetDateTime("checked_in_at"), r.getBoolean("erased"))));
          return out;
        }));
  }

  // ------------------------------------------------------------------------------------------------ across events

  /** The action plan's years, from the events package that owns them. */
  Future<List<PlanYear>> planYears() {
    return events.planYears();
  }

  /** The plan year, or a 404 when the action plan has no such year. */
  Future<PlanYear> planYear(int year) {
    return planYears().compose(all -> all.stream().filter(y -> y.year() == year).findFirst()
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new NotFoundException("plan year " + year))));
  }

  /**
   * Participation in the events held in the scope. A plan year the action plan lacks is a 404. A plan year's people
   * are counted across the years of its period (first-timers, who came again next year), or are the counts kept when
   * its period was closed.
   */
  Future<Participation> participation(Scope scope) {
    if (scope.isPlanYear()) {
      return Future.all(planYear(scope.year()), plan.periods(), plan.kept()).compose(all -> {
        PlanYear year = all.resultAt(0);
        List<PlanPeriod> periods = all.resultAt(1);
        Optional<PlanPeriod> period = periods.stream().filter(p -> p.contains(year.year())).findFirst();
        int first = period.map(PlanPeriod::firstYear).orElse(year.year());
        int last = period.map(PlanPeriod::lastYear).orElse(year.year());
        return planYears(first, last, List.of(year), periods, all.resultAt(2)).map(list -> list.get(0));
      });
    }
    return datePeriod(scope);
  }

  /** One participation per plan year that has held events, oldest first: the trend over the years. */
  Future<List<Participation>> trend() {
    return Future.all(planYears(), plan.periods(), plan.kept()).compose(all -> {
      List<PlanYear> years = all.resultAt(0);
      if (years.isEmpty()) {
        return Future.succeededFuture(List.<Participation>of());
      }
      return planYears(years.get(0).year(), years.get(years.size() - 1).year(), years, all.resultAt(1),
          all.resultAt(2))
          .map(list -> list.stream().filter(p -> p.totals().events() > 0).toList());
    });
  }

  /**
   * The person-level figures of a period's years, counted from the keys on the closing's connection: what closing the
   * period keeps ({@link ActionPlan#close}).
   */
  public Future<List<KeptPeople>> keptPeople(SqlConnection conn, int firstYear, int lastYear) {
    PlanPeriod period = new PlanPeriod(0, "", firstYear, lastYear, null);
    return heldInYears(conn, firstYear, lastYear).map(found -> {
      List<KeptPeople> out = new ArrayList<>();
      Map<Integer, Set<String>> persons = Participation.personsByYear(found.held(), found.rows());
      for (int y = firstYear; y <= lastYear; y++) {
        int year = y;
        List<Participation.HeldEvent> held = found.held().stream().filter(e -> e.planYear() == year).toList();
        if (held.isEmpty()) {
          continue;
        }
        Participation.People p = Participation.of(Scope.planYear(year), null, held, found.rows(), found.organisations(),
            Map.of()).people();
        p = acrossYears(p, year, Optional.of(period), persons, found.held());
        out.add(new KeptPeople(year, p.people(), p.twoKinds(), p.twoEvents(), p.firstTimers(), p.cameAgainNextYear(),
            p.unlinked(), p.ratingsOneKind().counts(), p.ratingsTwoKinds().counts()));
      }
      return out;
    });
  }

  /** The plan years wanted (among first to last), each counted with the held events of the years first to last. */
  private Future<List<Participation>> planYears(int first, int last, List<PlanYear> wanted, List<PlanPeriod> periods,
                                                Map<Integer, KeptPeople> kept) {
    Future<Found> found = heldInYears(pool, first, last);
    Future<List<PlannedActivity>> activities = plan.activities(first, last);
    Future<List<Participation.Upcoming>> upcoming = upcoming(first, last);
    return Future.all(found, activities, upcoming).compose(all -> {
      Found f = found.result();
      return ratings(f.held().stream().map(Participation.HeldEvent::id).toList()).map(ratings -> {
        Map<Integer, Set<String>> persons = Participation.personsByYear(f.held(), f.rows());
        List<Participation> out = new ArrayList<>();
        for (PlanYear year : wanted) {
          List<Participation.HeldEvent> held = f.held().stream().filter(e -> e.planYear() == year.year()).toList();
          Participation p = Participation.of(Scope.planYear(year.year()), year, held, f.rows(), f.organisations(),
              ratings);
          Optional<PlanPeriod> period = periods.stream().filter(pp -> pp.contains(year.year())).findFirst();
          KeptPeople k = period.filter(PlanPeriod::closed).map(pp -> kept.get(year.year())).orElse(null);
          Participation.People people = k != null ? kept(k)
              : acrossYears(p.people(), year.year(), period, persons, f.held());
          List<PlannedActivity> planned = activities.result().stream().filter(a -> a.year() == year.year()).toList();
          out.add(p.with(year, people, Participation.planRows(planned, p.events(), upcoming.result(), true)));
        }
        return out;
      });
    });
  }

  /** The events that started in a period of dates; no figures across years (those belong to plan years). */
  private Future<Participation> datePeriod(Scope scope) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    Tuple params = Tuple.tuple().addOffsetDateTime(now).addOffsetDateTime(scope.fromInstant())
        .addOffsetDateTime(scope.toInstantExclusive());
    String held = " from event e where e.status = 'published' and e.starts_at < $1 and e.starts_at >= $2"
        + " and e.starts_at < $3";
    return Future.all(held(pool, held, params), attendances(pool, held, params), organisations(pool),
            plan.activities(scope.from().getYear(), scope.to().getYear()))
        .compose(all -> {
          List<Participation.HeldEvent> list = all.resultAt(0);
          return ratings(list.stream().map(Participation.HeldEvent::id).toList()).map(ratings -> {
            Participation p = Participation.of(scope, null, list, all.resultAt(1), all.resultAt(2), ratings);
            return p.with(null, p.people(), Participation.planRows(all.resultAt(3), p.events(), List.of(), false));
          });
        });
  }

  /** What the scope's queries found: the held events, their registrations, every organisation. */
  private record Found(List<Participation.HeldEvent> held, List<Participation.Attendance> rows,
                       List<Organisation> organisations) {}

  private Future<Found> heldInYears(SqlClient db, int first, int last) {
    Tuple params = Tuple.tuple().addOffsetDateTime(OffsetDateTime.now(clock)).addInteger(first).addInteger(last);
    String held = " from event e where e.status = 'published' and e.starts_at < $1 and e.plan_year between $2 and $3";
    Future<List<Participation.HeldEvent>> events = held(db, held, params);
    Future<List<Participation.Attendance>> rows = attendances(db, held, params);
    Future<List<Organisation>> orgs = organisations(db);
    return Future.all(events, rows, orgs).map(all -> new Found(events.result(), rows.result(), orgs.result()));
  }

  private static Future<List<Participation.HeldEvent>> held(SqlClient db, String held, Tuple params) {
    return db.preparedQuery("select e.id, e.kind, e.title_sv, e.title_en, e.starts_at, e.plan_year,"
            + " e.planned_activity_id" + held + " order by e.starts_at, e.id")
        .execute(params)
        .map(rows -> {
          List<Participation.HeldEvent> out = new ArrayList<>();
          rows.forEach(r -> out.add(Participation.HeldEvent.found(r.getLong("id"), r.getString("kind"),
              r.getString("title_sv"), r.getString("title_en"), r.getOffsetDateTime("starts_at"),
              r.getInteger("plan_year"), r.getLong("planned_activity_id"))));
          return out;
        });
  }

  /**
   * The registrations of the held events. A person is their participant key; outside any period, their address while
   * it exists; else nobody that can be linked (null).
   */
  private static Future<List<Participation.Attendance>> attendances(SqlClient db, String held, Tuple params) {
    return db.preparedQuery("select r.event_id, r.status, r.source, r.organisation_id,"
            + " case when r.participant_key is not null then 'k' || encode(r.participant_key, 'hex')"
            + " when r.erased_at is null and r.email is not null then 'e' || lower(r.email) end as person, "
            + ADMITTED + " as attended,"
            + " (select f.rating from feedback f where f.registration_id = r.id) as rating"
            + " from registration r where r.event_id in (select e.id" + held + ")")
        .execute(params)
        .map(rows -> {
          List<Participation.Attendance> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Participation.Attendance(r.getLong("event_id"), r.getString("status"),
              r.getString("source"), r.getLong("organisation_id"), r.getString("person"), r.getBoolean("attended"),
              r.getInteger("rating"))));
          return out;
        });
  }

  /** Published events linked to planned activities of the years that have not started yet. */
  private Future<List<Participation.Upcoming>> upcoming(int first, int last) {
    return pool.preparedQuery("""
            select e.id, e.planned_activity_id, e.title_sv, e.title_en, e.starts_at from event e
            join planned_activity a on a.id = e.planned_activity_id
            where e.status = 'published' and e.starts_at >= $1 and a.plan_year between $2 and $3
            order by e.starts_at""")
        .execute(Tuple.of(OffsetDateTime.now(clock), first, last))
        .map(rows -> {
          List<Participation.Upcoming> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Participation.Upcoming(r.getLong("id"), r.getLong("planned_activity_id"),
              r.getString("title_sv"), r.getString("title_en"), r.getOffsetDateTime("starts_at"))));
          return out;
        });
  }

  /**
   * First-timers and who came again next year, within the period of the year: the keys of different periods are made
   * under different secrets and never match, so people are never followed from one period into the next.
   */
  private static Participation.People acrossYears(Participation.People people, int year, Optional<PlanPeriod> period,
                                                  Map<Integer, Set<String>> persons,
                                                  List<Participation.HeldEvent> held) {
    if (period.isEmpty()) {
      return people;
    }
    PlanPeriod p = period.get();
    Set<String> thisYear = persons.getOrDefault(year, Set.of());
    Set<String> earlier = new HashSet<>();
    for (int y = p.firstYear(); y < year; y++) {
      earlier.addAll(persons.getOrDefault(y, Set.of()));
    }
    long firstTimers = thisYear.stream().filter(k -> !earlier.contains(k)).count();
    Long cameAgain = null;
    boolean nextYearHeld = held.stream().anyMatch(e -> e.planYear() != null && e.planYear() == year + 1);
    if (year < p.lastYear() && nextYearHeld) {
      Set<String> next = persons.getOrDefault(year + 1, Set.of());
      cameAgain = thisYear.stream().filter(next::contains).count();
    }
    return people.acrossYears(firstTimers, cameAgain);
  }

  private static Participation.People kept(KeptPeople k) {
    return new Participation.People(k.people(), k.peopleTwoKinds(), k.peopleTwoEvents(), k.firstTimers(),
        k.cameAgainNextYear(), k.unlinked(), new Ratings(k.ratingsOneKind()), new Ratings(k.ratingsTwoKinds()), true);
  }

  /**
   * Every organisation, however many (EventService.organisations is a search with a limit), with its signatory dates
   * (for "parties that took part in nothing"). A name typed on the public form that no organiser has accepted yet
   * counts as sector "other" and has no name here (so no report shows it).
   */
  private static Future<List<Organisation>> organisations(SqlClient db) {
    return db.query("select id, case when accepted_at is not null then name end as name,"
            + " case when accepted_at is not null then sector else 'ovrig' end as sector,"
            + " signatory and accepted_at is not null as signatory, signatory_since, signatory_until"
            + " from organisation order by lower(name)").execute()
        .map(rows -> {
          List<Organisation> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Organisation(r.getLong("id"), r.getString("name"), r.getString("sector"),
              r.getBoolean("signatory"), r.getLocalDate("signatory_since"), r.getLocalDate("signatory_until"), null,
              null)));
          return out;
        });
  }
}
