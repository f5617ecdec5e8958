package se.hok.samla.staff;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.ValidationException;

/**
 * Who works at an event: its organisers and its door staff. All SQL about event_staff lives here; the access rules
 * built on it are in {@link EventAccess}.
 *
 * <p>Colleagues are organiser accounts (or admins); door staff are check-in accounts or organisers at the door. An
 * event always keeps one organiser who can act: removing or demoting the last one is a field error.
 */
public final class EventStaff {
  /** What a person does at one event. */
  public enum Duty {
    ORGANISER, DOOR;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Duty parse(String code) {
      for (Duty d : values()) {
        if (d.code().equals(code)) {
          return d;
        }
      }
      return null;
    }
  }

  /** One person on an event's staff. {@code canAct}: their account is active and its role fits the duty. */
  public record Member(long staffId, String name, String email, Role accountRole, boolean active, Duty duty,
                       OffsetDateTime addedAt, String addedBy) {
    public String dutyCode() {
      return duty.code();
    }

    public String accountRoleCode() {
      return accountRole.code();
    }
  }

  private record Key(long staffId, long eventId) {}

  private final Pool pool;
  private final StaffService staff;
  /**
   * Duties as last read, for {@link StaffService#TOKEN_CACHE}: a door device asks for each scan. A change clears the
   * entry at once, here and on every other instance ({@link StaffChanges}).
   */
  private final Cache<Key, Optional<Duty>> duties = Caffeine.newBuilder()
      .expireAfterWrite(StaffService.TOKEN_CACHE).maximumSize(100_000).build();

  public EventStaff(Pool pool, StaffService staff) {
    this.pool = pool;
    this.staff = staff;
  }

  /** Makes whoever creates an event its organiser, in the transaction that creates it. */
  public static Future<Void> addCreator(SqlConnection conn, long eventId, long staffId) {
    return conn.preparedQuery("insert into event_staff (event_id, staff_user_id, role, added_by) values ($1, $2, 'organiser', $2) "
            + "on conflict do nothing")
        .execute(Tuple.of(eventId, staffId)).mapEmpty();
  }

  /** Forgets the person's duty at the event, here and on every instance. */
  private void forgetDuty(long staffId, long eventId) {
    dropDuty(staffId, eventId);
    StaffChanges.announce(pool, StaffChanges.duty(staffId, eventId));
  }

  void dropDuty(long staffId, long eventId) {
    duties.invalidate(new Key(staffId, eventId));
  }

  void dropAllDuties() {
    duties.invalidateAll();
  }

  /** This person's duty at this event, if any. */
  Future<Optional<Duty>> duty(long staffId, long eventId) {
    Key key = new Key(staffId, eventId);
    Optional<Duty> cached = duties.getIfPresent(key);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return pool.preparedQuery("select role from event_staff where event_id = $1 and staff_user_id = $2")
        .execute(Tuple.of(eventId, staffId))
        .map(rows -> {
          Optional<Duty> duty = rows.size() == 0 ? Optional.empty()
              : Optional.ofNullable(Duty.parse(rows.iterator().next().getString(0)));
          duties.put(key, duty);
          return duty;
        });
  }

  /** Every event this person works at, with their duty there. */
  Future<Map<Long, Duty>> eventsOf(long staffId) {
    return pool.preparedQuery("select event_id, role from event_staff where staff_user_id = $1")
        .execute(Tuple.of(staffId))
        .map(rows -> {
          Map<Long, Duty> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getLong(0), Duty.parse(r.getString(1))));
          return out;
        });
  }

  /** The event's staff: organisers first, then door staff, by name. */
  Future<List<Member>> list(long eventId) {
    return pool.preparedQuery("""
            select u.id, u.name, u.email, u.role as account_role, u.active, es.role, es.added_at, b.name as added_by
            from event_staff es join staff_user u on u.id = es.staff_user_id
            left join staff_user b on b.id = es.added_by
            where es.event_id = $1
            order by es.role = 'organiser' desc, lower(u.name), u.id""")
        .execute(Tuple.of(eventId))
        .map(rows -> {
          List<Member> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Member(r.getLong("id"), r.getString("name"), r.getString("email"),
                Role.parse(r.getString("account_role")), r.getBoolean("active"), Duty.parse(r.getString("role")),
                r.getOffsetDateTime("added_at"), r.getString("added_by")));
          }
          return out;
        });
  }

  /**
   * Puts a person on the event's staff with this duty, or changes their duty. Field errors: {@code role} (not a
   * duty), {@code staffId} (no such account, closed, a viewer, a door account as organiser, the last organiser made
   * door staff). An unknown event is a 404.
   */
  Future<Void> assign(long eventId, long staffId, String dutyCode, long actorId) {
    Duty duty = Duty.parse(dutyCode);
    if (duty == null) {
      return Future.failedFuture(ValidationException.of("role", "error.eventStaff.role"));
    }
    return pool.withTransaction(conn -> lockEvent(conn, eventId)
        .compose(v -> conn.preparedQuery("select role, active from staff_user where id = $1").execute(Tuple.of(staffId)))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw ValidationException.of("staffId", "error.eventStaff.unknown");
          }
          Row account = rows.iterator().next();
          Role role = Role.parse(account.getString("role"));
          if (!account.getBoolean("active")) {
            throw ValidationException.of("staffId", "error.eventStaff.inactive");
          }
          if (role == Role.VIEWER) {
            throw ValidationException.of("staffId", "error.eventStaff.viewer");
          }
          if (duty == Duty.ORGANISER && role == Role.CHECKIN) {
            throw ValidationException.of("staffId", "error.eventStaff.notOrganiser");
          }
          return duty == Duty.DOOR ? keepsAnOrganiser(conn, eventId, staffId) : Future.<Void>succeededFuture();
        })
        .compose(v -> conn.preparedQuery("""
                insert into event_staff (event_id, staff_user_id, role, added_by) values ($1, $2, $3, $4)
                on conflict (event_id, staff_user_id) do update set role = excluded.role, added_by = excluded.added_by
                where event_staff.role <> excluded.role""")
            .execute(Tuple.of(eventId, staffId, duty.code(), actorId)))
        .<Void>mapEmpty())
        .onSuccess(v -> forgetDuty(staffId, eventId));
  }

  /**
   * Takes a person off the event's staff (already off is fine) and ends the door tokens they had for it. Refused
   * with a field error {@code staffId} when they are the last organiser who can act.
   */
  Future<Void> remove(long eventId, long staffId) {
    return pool.withTransaction(conn -> lockEvent(conn, eventId)
        .compose(v -> keepsAnOrganiser(conn, eventId, staffId))
        .compose(v -> conn.preparedQuery("delete from event_staff where event_id = $1 and staff_user_id = $2")
            .execute(Tuple.of(eventId, staffId)))
        .<Void>mapEmpty())
        .onSuccess(v -> forgetDuty(staffId, eventId))
        .compose(v -> staff.revokeDoorTokens(staffId, eventId))
        .mapEmpty();
  }

  /** The event's row lock serialises changes to its staff, so two organisers cannot remove each other at once. */
  private static Future<Void> lockEvent(SqlConnection conn, long eventId) {
    return conn.preparedQuery("select id from event where id = $1 for update").execute(Tuple.of(eventId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new NotFoundException("event " + eventId))
            : Future.succeededFuture());
  }

  /**
   * Fails when {@code staffId} is an organiser who can act (active, an organiser or admin account) and no other
   * such organiser would be left: someone must be able to manage the event.
   */
  private static Future<Void> keepsAnOrganiser(SqlConnection conn, long eventId, long staffId) {
    return conn.preparedQuery("""
            select
              exists (select 1 from event_staff es join staff_user u on u.id = es.staff_user_id
                      where es.event_id = $1 and es.staff_user_id = $2 and es.role = 'organiser'
                        and u.active and u.role in ('organiser', 'admin')) as acting,
              exists (select 1 from event_staff es join staff_user u on u.id = es.staff_user_id
                      where es.event_id = $1 and es.staff_user_id <> $2 and es.role = 'organiser'
                        and u.active and u.role in ('organiser', 'admin')) as others""")
        .execute(Tuple.of(eventId, staffId))
        .compose(rows -> {
          Row r = rows.iterator().next();
          return r.getBoolean("acting") && !r.getBoolean("others")
              ? Future.failedFuture(ValidationException.of("staffId", "error.eventStaff.lastOrganiser"))
              : Future.succeededFuture();
        });
  }
}
