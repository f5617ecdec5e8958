package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an event's organiser has to arrange for the people registered: how many of each need (with the date to book
 * interpreters and the like by), the caterer's diet list, and the lead-time tasks. Read-only; counts, never needs
 * next to names, except a task's participant (the organiser must know whom the interpreter is for). The registration
 * package's SQL is here and in {@link RegistrationService}, which writes registrations and the tasks.
 */
public final class EventNeeds implements se.hok.samla.events.ParticipantCounts {
  private final Pool pool;

  public EventNeeds(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Map<Long, NeedsToBook>> needsToBook(java.util.Collection<Long> eventIds) {
    if (eventIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery("""
            select t.event_id, count(*) as n, min(t.book_by) as first_book_by
            from organiser_task t join registration r on r.id = t.registration_id
            where t.event_id = any($1) and t.done_at is null and r.status <> 'cancelled'
            group by t.event_id""")
        .execute(Tuple.of(eventIds.toArray(Long[]::new)))
        .map(rows -> {
          Map<Long, NeedsToBook> out = new java.util.HashMap<>();
          rows.forEach(r -> out.put(r.getLong("event_id"), new NeedsToBook(r.getLong("n"), r.getLocalDate("first_book_by"))));
          return out;
        });
  }

  /** The people the event-cancelled e-mail goes to (mail.MailStore#addToOutboxForEveryone), and those it cannot reach. */
  @Override
  public Future<ToTell> toTell(long eventId) {
    return pool.preparedQuery("""
            select count(*) filter (where status = 'confirmed' and (email is not null or contact_id is not null)) as confirmed,
                   count(*) filter (where status = 'waitlisted' and (email is not null or contact_id is not null)) as waitlisted,
                   count(*) filter (where email is null and contact_id is null) as without_email
            from registration where event_id = $1 and status in ('confirmed', 'waitlisted') and erased_at is null""")
        .execute(Tuple.of(eventId))
        .map(rows -> {
          io.vertx.sqlclient.Row r = rows.iterator().next();
          return new ToTell(r.getLong("confirmed"), r.getLong("waitlisted"), r.getLong("without_email"));
        });
  }

  /**
   * Counts per need, with the book-by date of those that have a lead time; confirmed and waitlisted only. {@code sessions}:
   * where the need is needed – per session chosen by people with the need, with its room.
   */
  public record NeedCount(String code, String labelSv, String labelEn, long count, LocalDate bookBy, long urgent,
                          List<SessionNeed> sessions) {
    public NeedCount(String code, String labelSv, String labelEn, long count, LocalDate bookBy, long urgent) {
      this(code, labelSv, labelEn, count, bookBy, urgent, List.of());
    }
  }

  /**
   * People with a need in one session: its title, its place as printed (or null), and whether its room – a room of the
   * venue with known facts – lacks what the need asks of a room (a hearing loop, a wheelchair place).
   */
  public record SessionNeed(long sessionId, String titleSv, String titleEn, String room, long count, boolean roomLacks) {}

  Future<List<NeedCount>> needsSummary(long eventId) {
    return pool.preparedQuery("""
            select n.code, n.label_sv, n.label_en, count(*) as n, min(t.book_by) as book_by,
                   count(*) filter (where t.urgent and t.done_at is null) as urgent
            from registration r
            join registration_need rn on rn.registration_id = r.id
            join need n on n.code = rn.need_code
            left join organiser_task t on t.registration_id = r.id and t.need_code = n.code
            where r.event_id = $1 and r.status <> 'cancelled'
            group by n.code, n.label_sv, n.label_en, n.sort_order order by n.sort_order""")
        .execute(Tuple.of(eventId))
        .compose(rows -> pool.preparedQuery("""
                select rn.need_code, s.id, s.title_sv, s.title_en, s.room, count(*) as n,
                  ro.id as room_id, ro.venue_id, ro.name as room_name, ro.hearing_loop, ro.step_free, ro.wheelchair_places
                from registration r
                join registration_need rn on rn.registration_id = r.id
                join registration_session rs on rs.registration_id = r.id
                join event_session s on s.id = rs.session_id
                left join room ro on ro.id = s.room_id
                where r.event_id = $1 and r.status <> 'cancelled'
                group by rn.need_code, s.id, s.title_sv, s.title_en, s.room, s.starts_at, ro.id
                order by s.starts_at, s.title_sv""")
            .execute(Tuple.of(eventId))
            .map(perSession -> {
              Map<String, List<SessionNeed>> where = new java.util.HashMap<>();
              perSession.forEach(x -> {
                se.hok.samla.events.Room room = x.getLong("room_id") == null ? null
                    : new se.hok.samla.events.Room(x.getLong("room_id"), x.getLong("venue_id"), x.getString("room_name"),
                        x.getBoolean("hearing_loop"), x.getBoolean("step_free"), x.getInteger("wheelchair_places"), null);
                String code = x.getString("need_code");
                where.computeIfAbsent(code, k -> new ArrayList<>()).add(new SessionNeed(x.getLong("id"),
                    x.getString("title_sv"), x.getString("title_en"), x.getString("room"), x.getLong("n"),
                    room != null && !room.meets(code)));
              });
              List<NeedCount> out = new ArrayList<>();
              rows.forEach(r -> out.add(new NeedCount(r.getString("code"), r.getString("label_sv"), r.getString("label_en"),
                  r.getLong("n"), r.getLocalDate("book_by"), r.getLong("urgent"),
                  List.copyOf(where.getOrDefault(r.getString("code"), List.of())))));
              return out;
            }));
  }

  /** For the caterer: how many of each diet, and the allergy details, never with names. Confirmed only. */
  public record DietList(Map<String, Long> counts, long total, List<String> allergies) {}

  Future<DietList> dietList(long eventId) {
    return pool.preparedQuery("""
            select d, count(*) from registration r, unnest(r.diet) d
            where r.event_id = $1 and r.status = 'confirmed' group by d order by d""")
        .execute(Tuple.of(eventId))
        .compose(dietRows -> pool.preparedQuery("""
                select rn.detail from registration r join registration_need rn on rn.registration_id = r.id
                where r.event_id = $1 and r.status = 'confirmed' and rn.need_code = 'specialkost' and rn.detail is not null
                order by random()""")
            .execute(Tuple.of(eventId))
            .compose(allergyRows -> pool.preparedQuery(
                    "select coalesce(sum(case when companion then 2 else 1 end), 0) from registration where event_id = $1 and status = 'confirmed'")
                .execute(Tuple.of(eventId))
                .map(total -> {
                  Map<String, Long> counts = new LinkedHashMap<>();
                  dietRows.forEach(r -> counts.put(r.getString(0), r.getLong(1)));
                  List<String> allergies = new ArrayList<>();
                  allergyRows.forEach(r -> allergies.add(r.getString(0)));
                  return new DietList(counts, total.iterator().next().getLong(0), allergies);
                })));
  }

  /**
   * Organiser tasks (needs with a lead time): open ones first, soonest deadline first. {@code state} null: all;
   * else only those in that state (one of {@link NeedTasks#STATES}). {@code sessionId} null: all; else only the tasks
   * of people who chose that session (a session of another event: none). Each task says where the need is needed:
   * the sessions its participant chose, with their rooms.
   */
  public record Task(long id, UUID registrationId, String needCode, String labelSv, String labelEn, LocalDate bookBy,
                     boolean urgent, String participant, String state, String note, String toldState,
                     List<TaskSession> sessions) {
    public boolean done() {
      return !"to_book".equals(state);
    }
  }

  /** A session a task's participant chose: its titles and its place as printed (the room's name), or null. */
  public record TaskSession(long sessionId, String titleSv, String titleEn, String room) {
    public String title(boolean english) {
      return english && titleEn != null && !titleEn.isBlank() ? titleEn : titleSv;
    }
  }

  public Future<List<Task>> tasks(long eventId, String state) {
    return tasks(eventId, state, null);
  }

  public Future<List<Task>> tasks(long eventId, String state, Long sessionId) {
    return pool.preparedQuery("""
            select t.id, t.registration_id, t.need_code, n.label_sv, n.label_en, t.book_by, t.urgent, r.name, t.state,
                   t.note, t.told_state
            from organiser_task t join need n on n.code = t.need_code join registration r on r.id = t.registration_id
            where t.event_id = $1 and r.status <> 'cancelled' and r.erased_at is null and ($2::text is null or t.state = $2)
              and ($3::bigint is null or exists (select 1 from registration_session rs join event_session s on s.id = rs.session_id
                                                  where rs.registration_id = r.id and rs.session_id = $3 and s.event_id = $1))
            order by t.done_at nulls first, t.book_by, n.sort_order, t.id""")
        .execute(Tuple.of(eventId, state, sessionId))
        .compose(rows -> pool.preparedQuery("""
                select rs.registration_id, s.id, s.title_sv, s.title_en, s.room
                from registration_session rs join event_session s on s.id = rs.session_id
                where s.event_id = $1 and rs.registration_id in (select registration_id from organiser_task where event_id = $1)
                order by s.starts_at, s.title_sv, s.id""")
            .execute(Tuple.of(eventId))
            .map(chosen -> {
              Map<UUID, List<TaskSession>> where = new java.util.HashMap<>();
              chosen.forEach(c -> where.computeIfAbsent(c.getUUID("registration_id"), k -> new ArrayList<>())
                  .add(new TaskSession(c.getLong("id"), c.getString("title_sv"), c.getString("title_en"),
                      c.getString("room") == null || c.getString("room").isBlank() ? null : c.getString("room"))));
              List<Task> out = new ArrayList<>();
              rows.forEach(r -> out.add(new Task(r.getLong("id"), r.getUUID("registration_id"), r.getString("need_code"),
                  r.getString("label_sv"), r.getString("label_en"), r.getLocalDate("book_by"), r.getBoolean("urgent"),
                  r.getString("name"), r.getString("state"), r.getString("note"), r.getString("told_state"),
                  List.copyOf(where.getOrDefault(r.getUUID("registration_id"), List.of())))));
              return out;
            }));
  }

  /** Whether {@code sessionId} is a session of the event (a filter naming another event's session is the caller's mistake). */
  Future<Boolean> isSessionOf(long eventId, long sessionId) {
    return pool.preparedQuery("select 1 from event_session where id = $1 and event_id = $2")
        .execute(Tuple.of(sessionId, eventId))
        .map(rows -> rows.size() > 0);
  }
}
