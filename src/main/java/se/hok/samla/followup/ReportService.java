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
import se.hok.samla.events.EventService;
import se.hok.samla.events.Organisation;
import se.hok.samla.events.PlanYear;
import se.hok.samla.web.NotFoundException;

/**
 * Every query of the follow-up: aggregates over registrations, admissions (table checkin) and feedback ratings.
 * Reads only; nothing here changes data.
 */
public final class ReportService {
  /** Attended: at least one admission that was not undone, to the event itself or to a session (view attendance). */
  private static final String ADMITTED = """
      exists (select 1 from attendance a where a.registration_id = r.id and a.event_id = r.event_id)""";

  private static final String WHEN_CANCELLED = "coalesce(r.cancelled_at, r.updated_at)";

  private final Pool pool;
  private final EventService events;
  private final Clock clock;

  public ReportService(Pool pool, EventService events, Clock clock) {
    this.pool = pool;
    this.events = events;
    this.clock = clock;
  }

  // ------------------------------------------------------------------------------------------------ one event

  public Future<EventReport> event(long eventId) {
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
  public Future<NeedOutcomes> needOutcomes(int planYear) {
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

  public Future<List<Participant>> participants(long eventId) {
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
  public Future<List<PlanYear>> planYears() {
    return events.planYears();
  }

  /** The plan year, or a 404 when the action plan has no such year. */
  public Future<PlanYear> planYear(int year) {
    return planYears().compose(all -> all.stream().filter(y -> y.year() == year).findFirst()
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new NotFoundException("plan year " + year))));
  }

  /** Participation in the events held in the scope. A plan year the action plan lacks is a 404. */
  public Future<Participation> participation(Scope scope) {
    Future<Optional<PlanYear>> plan = scope.isYear() ? planYear(scope.year()).map(Optional::of)
        : Future.succeededFuture(Optional.empty());
    return plan.compose(p -> participations(scope).map(list -> {
      Participation found = list.get(0);
      return new Participation(scope, p.orElse(null), found.totals(), found.events(), found.eventsByKind(),
          found.sectors(), found.organisations(), found.silentSignatories(), found.breadth());
    }));
  }

  /** One participation per plan year that has held events, oldest first: the trend over the years. */
  public Future<List<Participation>> trend() {
    return Future.all(planYears(), participations(null)).map(all -> {
      List<PlanYear> years = all.resultAt(0);
      List<Participation> perYear = all.resultAt(1);
      return perYear.stream()
          .map(p -> new Participation(p.scope(),
              years.stream().filter(y -> y.year() == p.scope().year()).findFirst().orElse(null), p.totals(),
              p.events(), p.eventsByKind(), p.sectors(), p.organisations(), p.silentSignatories(), p.breadth()))
          .toList();
    });
  }

  /** With a scope: one participation for it. Without: one per plan year with held events (the trend). */
  private Future<List<Participation>> participations(Scope scope) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    Tuple params = Tuple.tuple().addOffsetDateTime(now);
    String where;
    if (scope == null) {
      where = "e.plan_year is not null";
    } else if (scope.isYear()) {
      where = "e.plan_year = $2";
      params.addInteger(scope.year());
    } else {
      where = "e.starts_at >= $2 and e.starts_at < $3";
      params.addOffsetDateTime(scope.fromInstant()).addOffsetDateTime(scope.toInstantExclusive());
    }
    String held = " from event e where e.status = 'published' and e.starts_at < $1 and " + where;
    Future<List<Participation.HeldEvent>> events = pool.preparedQuery(
            "select e.id, e.kind, e.title_sv, e.title_en, e.starts_at, e.plan_year" + held + " order by e.starts_at, e.id")
        .execute(params)
        .map(rows -> {
          List<Participation.HeldEvent> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Participation.HeldEvent(r.getLong("id"), r.getString("kind"),
              r.getString("title_sv"), r.getString("title_en"), r.getOffsetDateTime("starts_at"),
              r.getInteger("plan_year"), 0, 0, 0, 0, Ratings.NONE)));
          return out;
        });
    Future<List<Participation.Attendance>> attendances = pool.preparedQuery(
            "select r.event_id, r.status, r.source, r.organisation_id,"
                // A walk-in without an address is a person of their own.
                + " case when r.erased_at is null then coalesce(lower(r.email), r.id::text) end as person, " + ADMITTED + " as attended"
                + " from registration r where r.event_id in (select e.id" + held + ")")
        .execute(params)
        .map(rows -> {
          List<Participation.Attendance> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Participation.Attendance(r.getLong("event_id"), r.getString("status"),
              r.getString("source"), r.getLong("organisation_id"), r.getString("person"), r.getBoolean("attended"))));
          return out;
        });
    return Future.all(events, attendances, organisations())
        .compose(all -> {
          List<Participation.HeldEvent> list = all.resultAt(0);
          return ratings(list.stream().map(Participation.HeldEvent::id).toList()).map(ratings -> {
            List<Participation.Attendance> rows = all.resultAt(1);
            List<Organisation> orgs = all.resultAt(2);
            if (scope != null) {
              return List.of(Participation.of(scope, null, list, rows, orgs, ratings));
            }
            Map<Integer, List<Participation.HeldEvent>> byYear = new java.util.TreeMap<>();
            list.forEach(e -> byYear.computeIfAbsent(e.planYear(), y -> new ArrayList<>()).add(e));
            List<Participation> out = new ArrayList<>();
            byYear.forEach((year, held1) -> out.add(
                Participation.of(Scope.planYear(year), null, held1, rows, orgs, ratings)));
            return out;
          });
        });
  }

  /**
   * Every organisation, however many (EventService.organisations is a search with a limit). A name typed on the
   * public form that no organiser has accepted yet counts as sector "other" and has no name here (so no report
   * shows it).
   */
  private Future<List<Organisation>> organisations() {
    return pool.query("select id, case when accepted_at is not null then name end as name,"
            + " case when accepted_at is not null then sector else 'ovrig' end as sector,"
            + " signatory and accepted_at is not null as signatory"
            + " from organisation order by lower(name)").execute()
        .map(rows -> {
          List<Organisation> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Organisation(r.getLong("id"), r.getString("name"), r.getString("sector"),
              r.getBoolean("signatory"), null)));
          return out;
        });
  }
}
