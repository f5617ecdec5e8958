package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import se.hok.samla.web.FieldChecks;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.ValidationException;

/**
 * The action plan as the working group keeps it: periods (2020–2024), their years (theme, focus area) and each year's
 * planned activities, which events carry out. Closing a period destroys its secret and its participant keys
 * ({@link ParticipantKeys}) and keeps only the counts ({@link KeptPeople}). All SQL of the plan's tables is here.
 */
public final class ActionPlan {
  /**
   * Counts the person-level figures of a period's years from the participant keys, on the closing's own connection
   * (so that it sees exactly the keys it is about to delete). The follow-up knows how; the plan keeps what it says.
   */
  @FunctionalInterface
  public interface PeopleCounter {
    Future<List<KeptPeople>> count(SqlConnection conn, int firstYear, int lastYear);
  }

  /** What closing did: nothing (it was closed already), or how many keys went and how many years' counts were kept. */
  public record Closing(PlanPeriod period, boolean alreadyClosed, long keysDeleted, int yearsKept) {}

  /** An event linked to a planned activity, as the plan's pages list it. */
  public record LinkedEvent(long eventId, long activityId, String title, OffsetDateTime startsAt, String status) {}

  private final Pool pool;

  public ActionPlan(Pool pool) {
    this.pool = pool;
  }

  /**
   * At start: every open period gets its secret, and registrations made before their period existed get keys (the
   * backfill). A backfill that fails (another instance starting at the same moment, say) does not stop the start: the
   * hourly run ({@link #schedule}) does it then.
   */
  public Future<Integer> start() {
    return ParticipantKeys.createMissingSecrets(pool)
        .compose(v -> ParticipantKeys.refresh(pool))
        .recover(e -> {
          org.slf4j.LoggerFactory.getLogger(ActionPlan.class)
              .warn("Computing participant keys at start failed; the hourly run will do it", e);
          return Future.succeededFuture(0);
        });
  }

  /**
   * Hourly: keys in step with the periods. A sign-up that raced with the closing of its period (its statement began
   * before the secret was deleted) may have written a key after the closing deleted them; this takes it away.
   */
  public void schedule(io.vertx.core.Vertx vertx) {
    vertx.setPeriodic(3600_000L, t -> ParticipantKeys.refresh(pool)
        .onFailure(e -> org.slf4j.LoggerFactory.getLogger(ActionPlan.class)
            .warn("Keeping participant keys in step failed; it will try again", e)));
  }

  // ------------------------------------------------------------------------------------------------ reads

  public Future<List<PlanPeriod>> periods() {
    return pool.query("select id, name, first_year, last_year, closed_at from plan_period order by first_year")
        .execute()
        .map(rows -> {
          List<PlanPeriod> out = new ArrayList<>();
          rows.forEach(r -> out.add(period(r)));
          return out;
        });
  }

  Future<PlanPeriod> period(long id) {
    return period(pool, id, false);
  }

  Future<List<PlanYear>> years() {
    return pool.query("select year, theme, focus_area from action_plan_year order by year").execute()
        .map(rows -> {
          List<PlanYear> out = new ArrayList<>();
          rows.forEach(r -> out.add(new PlanYear(r.getInteger("year"), r.getString("theme"), r.getString("focus_area"))));
          return out;
        });
  }

  Future<PlanYear> year(int year) {
    return pool.preparedQuery("select year, theme, focus_area from action_plan_year where year = $1")
        .execute(Tuple.of(year))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new NotFoundException("plan year " + year);
          }
          Row r = rows.iterator().next();
          return new PlanYear(r.getInteger("year"), r.getString("theme"), r.getString("focus_area"));
        });
  }

  /** The planned activities of the years first to last, by year and in the plan's order. */
  public Future<List<PlannedActivity>> activities(int firstYear, int lastYear) {
    return pool.preparedQuery("select * from planned_activity where plan_year between $1 and $2"
            + " order by plan_year, position, id")
        .execute(Tuple.of(firstYear, lastYear))
        .map(rows -> {
          List<PlannedActivity> out = new ArrayList<>();
          rows.forEach(r -> out.add(activity(r)));
          return out;
        });
  }

  /** Every planned activity (a few dozen over a period): what an event may be linked to. */
  public Future<List<PlannedActivity>> activities() {
    return activities(2000, 2100);
  }

  Future<PlannedActivity> activity(long id) {
    return pool.preparedQuery("select * from planned_activity where id = $1").execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new NotFoundException("planned activity " + id);
          }
          return activity(rows.iterator().next());
        });
  }

  /** The events (not cancelled) linked to the planned activities of a year, soonest first. */
  Future<List<LinkedEvent>> linkedEvents(int year) {
    return pool.preparedQuery("""
            select e.id, e.planned_activity_id, e.title_sv, e.starts_at, e.status
            from event e join planned_activity a on a.id = e.planned_activity_id
            where a.plan_year = $1 and e.status <> 'cancelled'
            order by e.starts_at, e.id""")
        .execute(Tuple.of(year))
        .map(rows -> {
          List<LinkedEvent> out = new ArrayList<>();
          rows.forEach(r -> out.add(new LinkedEvent(r.getLong("id"), r.getLong("planned_activity_id"),
              r.getString("title_sv"), r.getOffsetDateTime("starts_at"), r.getString("status"))));
          return out;
        });
  }

  /** The counts kept when periods were closed, by year. */
  public Future<Map<Integer, KeptPeople>> kept() {
    return pool.query("select * from plan_year_people order by year").execute()
        .map(rows -> {
          Map<Integer, KeptPeople> out = new LinkedHashMap<>();
          rows.forEach(r -> out.put(r.getInteger("year"), new KeptPeople(r.getInteger("year"), r.getInteger("people"),
              r.getInteger("people_two_kinds"), r.getInteger("people_two_events"), longOrNull(r, "first_timers"),
              longOrNull(r, "came_again_next_year"), r.getInteger("unlinked"), counts(r, "ratings_one_kind"),
              counts(r, "ratings_two_kinds"))));
          return out;
        });
  }

  // ------------------------------------------------------------------------------------------------ periods

  /** A new period, with its secret; registrations of its events that still have their address get their keys. */
  Future<PlanPeriod> createPeriod(PlanInput.Period input) {
    return validated(() -> input.validate(new FieldChecks())).compose(d -> pool.withTransaction(conn ->
        lockPeriods(conn)
            .compose(v -> checkOverlap(conn, null, d.firstYear(), d.lastYear()))
            .compose(v -> conn.preparedQuery("insert into plan_period (name, first_year, last_year) values ($1, $2, $3)"
                    + " returning id, name, first_year, last_year, closed_at")
                .execute(Tuple.of(d.name(), d.firstYear(), d.lastYear())))
            .map(rows -> period(rows.iterator().next()))
            .compose(p -> ParticipantKeys.createSecret(conn, p.id())
                .compose(v -> ParticipantKeys.refresh(conn))
                .map(p))));
  }

  /**
   * Renames a period or changes its years. Its years must stay inside it, it must not overlap another, and a closed
   * period keeps its years (its counts were kept for exactly those).
   */
  Future<PlanPeriod> updatePeriod(long id, PlanInput.Period input) {
    return validated(() -> input.validate(new FieldChecks())).compose(d -> pool.withTransaction(conn ->
        lockPeriods(conn)
            .compose(v -> period(conn, id, true))
            .compose(current -> {
              FieldChecks checks = new FieldChecks();
              if (current.closed() && (current.firstYear() != d.firstYear() || current.lastYear() != d.lastYear())) {
                checks.add("firstYear", "error.plan.closedYears");
              }
              checks.throwIfAny();
              return conn.preparedQuery("select year from action_plan_year where year between $1 and $2"
                      + " and not (year between $3 and $4) order by year")
                  .execute(Tuple.of(current.firstYear(), current.lastYear(), d.firstYear(), d.lastYear()))
                  .map(outside -> {
                    if (outside.size() > 0) {
                      List<String> years = new ArrayList<>();
                      outside.forEach(r -> years.add(String.valueOf(r.getInteger(0))));
                      throw ValidationException.of("firstYear", "error.plan.yearsLeftOutside", String.join(", ", years));
                    }
                    return current;
                  });
            })
            .compose(current -> checkOverlap(conn, id, d.firstYear(), d.lastYear()))
            .compose(v -> conn.preparedQuery("update plan_period set name = $2, first_year = $3, last_year = $4"
                    + " where id = $1 returning id, name, first_year, last_year, closed_at")
                .execute(Tuple.of(id, d.name(), d.firstYear(), d.lastYear())))
            .map(rows -> period(rows.iterator().next()))
            .compose(p -> ParticipantKeys.refresh(conn).map(p))));
  }

  /**
   * Closes a period: counts its years' person-level figures from the keys and keeps the counts, then destroys its
   * secret and deletes its keys, in one transaction. Closing a closed period changes nothing.
   */
  Future<Closing> close(long id, long staffId, PeopleCounter counter) {
    return pool.withTransaction(conn -> period(conn, id, true).compose(p -> {
      if (p.closed()) {
        return Future.succeededFuture(new Closing(p, true, 0, 0));
      }
      return counter.count(conn, p.firstYear(), p.lastYear())
          .compose(kept -> keep(conn, kept).map(kept.size()))
          .compose(years -> conn.preparedQuery("delete from plan_period_secret where period_id = $1").execute(Tuple.of(id))
              .compose(v -> ParticipantKeys.forget(conn, id))
              .compose(keys -> conn.preparedQuery("update plan_period set closed_at = now(), closed_by = $2 where id = $1"
                      + " returning id, name, first_year, last_year, closed_at")
                  .execute(Tuple.of(id, staffId))
                  .map(rows -> new Closing(period(rows.iterator().next()), false, keys, years))));
    }));
  }

  private static Future<Void> keep(SqlConnection conn, List<KeptPeople> kept) {
    if (kept.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = kept.stream().map(k -> Tuple.from(new Object[] {k.year(), (int) k.people(),
        (int) k.peopleTwoKinds(), (int) k.peopleTwoEvents(), k.firstTimers() == null ? null : k.firstTimers().intValue(),
        k.cameAgainNextYear() == null ? null : k.cameAgainNextYear().intValue(), (int) k.unlinked(),
        ints(k.ratingsOneKind()), ints(k.ratingsTwoKinds())})).toList();
    return conn.preparedQuery("""
            insert into plan_year_people (year, people, people_two_kinds, people_two_events, first_timers,
              came_again_next_year, unlinked, ratings_one_kind, ratings_two_kinds)
            select $1, $2, $3, $4, $5, $6, $7, $8, $9 where exists (select 1 from action_plan_year where year = $1)
            on conflict (year) do update set people = excluded.people, people_two_kinds = excluded.people_two_kinds,
              people_two_events = excluded.people_two_events, first_timers = excluded.first_timers,
              came_again_next_year = excluded.came_again_next_year, unlinked = excluded.unlinked,
              ratings_one_kind = excluded.ratings_one_kind, ratings_two_kinds = excluded.ratings_two_kinds,
              kept_at = now()""")
        .executeBatch(rows)
        .mapEmpty();
  }

  /** Periods are changed one at a time, so that two changes cannot make them overlap between check and write. */
  private static Future<Void> lockPeriods(SqlConnection conn) {
    return conn.query("lock table plan_period in share row exclusive mode").execute().mapEmpty();
  }

  private static Future<Void> checkOverlap(SqlConnection conn, Long id, int first, int last) {
    return conn.preparedQuery("""
            select name, first_year, last_year from plan_period
            where ($1::bigint is null or id <> $1) and int4range(first_year, last_year, '[]') && int4range($2, $3, '[]')
            order by first_year limit 1""")
        .execute(Tuple.of(id, first, last))
        .map(rows -> {
          if (rows.size() > 0) {
            Row r = rows.iterator().next();
            int f = r.getInteger("first_year");
            int l = r.getInteger("last_year");
            throw ValidationException.of(first <= l && first >= f ? "firstYear" : "lastYear", "error.plan.overlap",
                r.getString("name"), f == l ? String.valueOf(f) : f + "–" + l);
          }
          return null;
        });
  }

  // ------------------------------------------------------------------------------------------------ years

  /**
   * Adds a year to a period, or ({@code replace}) changes it if it is there. The year must lie within the period.
   */
  Future<PlanYear> saveYear(long periodId, PlanInput.Year input, boolean replace) {
    return validated(() -> input.validate(new FieldChecks())).compose(y -> pool.withTransaction(conn ->
        period(conn, periodId, false).compose(p -> {
          if (!p.contains(y.year())) {
            return Future.failedFuture(ValidationException.of("year", "error.plan.yearOutside", p.name(), p.years()));
          }
          String sql = replace
              ? "insert into action_plan_year (year, theme, focus_area) values ($1, $2, $3) on conflict (year) do update"
                  + " set theme = excluded.theme, focus_area = excluded.focus_area returning year"
              : "insert into action_plan_year (year, theme, focus_area) values ($1, $2, $3) on conflict (year) do nothing"
                  + " returning year";
          return conn.preparedQuery(sql).execute(Tuple.of(y.year(), y.theme(), y.focusArea()))
              .map(rows -> {
                if (rows.size() == 0) {
                  throw ValidationException.of("year", "error.plan.yearExists", String.valueOf(y.year()));
                }
                return y;
              });
        })));
  }

  /** Changes a year's theme and focus area (a year entered before it had a period too). */
  Future<PlanYear> updateYear(int year, PlanInput.Year input) {
    return validated(() -> input.withYear(year).validate(new FieldChecks())).compose(y -> pool
        .preparedQuery("update action_plan_year set theme = $2, focus_area = $3 where year = $1 returning year")
        .execute(Tuple.of(y.year(), y.theme(), y.focusArea()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new NotFoundException("plan year " + year);
          }
          return y;
        }));
  }

  /** The period a year lies in, if any. */
  Future<Optional<PlanPeriod>> periodOf(int year) {
    return periods().map(all -> all.stream().filter(p -> p.contains(year)).findFirst());
  }

  // ------------------------------------------------------------------------------------------------ activities

  /** A new planned activity of a year, last in its list unless a place is given. */
  Future<PlannedActivity> addActivity(int year, PlanInput.Activity input) {
    return validated(() -> input.validate(new FieldChecks())).compose(d -> year(year).compose(y -> pool
        .preparedQuery("""
            insert into planned_activity (plan_year, title, kind, target, notes, position)
            values ($1, $2, $3, $4, $5, coalesce($6, (select coalesce(max(position), 0) + 1 from planned_activity
                                                      where plan_year = $1)))
            returning *""")
        .execute(Tuple.from(new Object[] {year, d.title(), d.kind(), d.target(), d.notes(), d.position()}))
        .map(rows -> activity(rows.iterator().next()))));
  }

  Future<PlannedActivity> updateActivity(long id, PlanInput.Activity input) {
    return validated(() -> input.validate(new FieldChecks())).compose(d -> pool.preparedQuery("""
            update planned_activity set title = $2, kind = $3, target = $4, notes = $5, position = coalesce($6, position)
            where id = $1 returning *""")
        .execute(Tuple.from(new Object[] {id, d.title(), d.kind(), d.target(), d.notes(), d.position()}))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new NotFoundException("planned activity " + id);
          }
          return activity(rows.iterator().next());
        }));
  }

  /** Takes a planned activity out of the plan; the events that carried it out stay, outside the plan. */
  Future<PlannedActivity> deleteActivity(long id) {
    return pool.preparedQuery("delete from planned_activity where id = $1 returning *").execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new NotFoundException("planned activity " + id);
          }
          return activity(rows.iterator().next());
        });
  }

  /**
   * An event's planned activity must exist and belong to the event's plan year; without a year, the event takes the
   * activity's. Returns the plan year to store. Checked on the event's own transaction.
   */
  static Future<Integer> checkActivity(SqlClient conn, Long activityId, Integer year) {
    if (activityId == null) {
      return Future.succeededFuture(year);
    }
    return conn.preparedQuery("select plan_year from planned_activity where id = $1").execute(Tuple.of(activityId))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ValidationException.of("plannedActivityId", "error.event.activityUnknown");
          }
          int activityYear = rows.iterator().next().getInteger(0);
          if (year != null && year != activityYear) {
            throw ValidationException.of("plannedActivityId", "error.event.activityOtherYear", String.valueOf(activityYear));
          }
          return activityYear;
        });
  }

  // ------------------------------------------------------------------------------------------------ rows

  private static Future<PlanPeriod> period(SqlClient db, long id, boolean lock) {
    return db.preparedQuery("select id, name, first_year, last_year, closed_at from plan_period where id = $1"
            + (lock ? " for update" : ""))
        .execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new NotFoundException("plan period " + id);
          }
          return period(rows.iterator().next());
        });
  }

  private static PlanPeriod period(Row r) {
    return new PlanPeriod(r.getLong("id"), r.getString("name"), r.getInteger("first_year"), r.getInteger("last_year"),
        r.getOffsetDateTime("closed_at"));
  }

  private static PlannedActivity activity(Row r) {
    return new PlannedActivity(r.getLong("id"), r.getInteger("plan_year"), r.getString("title"), r.getString("kind"),
        r.getString("target"), r.getString("notes"), r.getInteger("position"));
  }

  private static Long longOrNull(Row r, String column) {
    Integer v = r.getInteger(column);
    return v == null ? null : v.longValue();
  }

  private static List<Long> counts(Row r, String column) {
    Integer[] values = r.getArrayOfIntegers(column);
    return Arrays.stream(values).map(Integer::longValue).toList();
  }

  private static Integer[] ints(List<Long> values) {
    return values.stream().map(Long::intValue).toArray(Integer[]::new);
  }

  private static <T> Future<T> validated(java.util.function.Supplier<T> check) {
    try {
      return Future.succeededFuture(check.get());
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
  }
}
