package se.hok.samla.privacy;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.staff.StaffMember;
import se.hok.samla.web.EventTimes;

/**
 * The record of who read participants' identities or needs: which person, which event, which list, with or without
 * needs, how many people, when, from which address, through a page or the API. All SQL about audit_log lives here.
 *
 * <p>Features call {@link #read} after they have read and before they answer: if the row cannot be written, the
 * request fails and nothing is shown. The door's scan statement writes its rows itself, in the same statement
 * ({@link #insertScanReads}), so that a scan pays no extra round trip. Rows are kept a year ({@link #deleteExpired}).
 */
public final class AuditLog {
  /** How long a row is kept. */
  public static final int KEEP_DAYS = 365;
  private static final int DELETE_BATCH = 1000;
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;

  /** The reads that are logged; the code is what the log shows. */
  public enum Read {
    REGISTRATIONS("registrations"),
    REGISTRATIONS_CSV("registrations_csv"),
    DIET_LIST("diet_list"),
    NEEDS_SUMMARY("needs_summary"),
    DOOR_SEARCH("door_search"),
    DOOR_SYNC("door_sync"),
    DOOR_SCAN("door_scan"),
    DOOR_CONFLICTS("door_conflicts"),
    FOLLOWUP_PARTICIPANTS_CSV("followup_participants_csv"),
    FOLLOWUP_PARTICIPANTS_XLSX("followup_participants_xlsx"),
    MAIL_STATUS("mail_status"),
    FEEDBACK_COMMENTS("feedback_comments"),
    FEEDBACK_CSV("feedback_csv"),
    ONLINE_ATTENDANCE("online_attendance"),
    /** The page that asks before an organiser removes a registration: one person's name and address. */
    REMOVAL_CONFIRMATION("removal_confirmation"),
    /** The organiser's tasks through the API: each need with a lead time and whom it is for. */
    NEED_TASKS("need_tasks");

    public final String code;

    Read(String code) {
      this.code = code;
    }
  }

  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  /**
   * Logs that the signed-in member (page or API) read {@code what} about the event: {@code people} persons, with or
   * without their needs.
   */
  public Future<Void> read(RoutingContext ctx, long eventId, Read what, boolean withNeeds, int people) {
    StaffMember member = StaffAuth.current(ctx);
    return pool.preparedQuery("insert into audit_log (staff_user_id, action, event_id, with_needs, people, client_address, via) "
            + "values ($1, $2, $3, $4, $5, $6, $7)")
        .execute(Tuple.from(new Object[] {member == null ? null : member.id(), what.code, eventId, withNeeds, people,
            clientAddress(ctx), via(ctx)}))
        .mapEmpty();
  }

  /**
   * The insert the door's scan statement (checkin/CheckinService) runs over its answered scans, so that the scans
   * that reveal at-door needs are logged in the same statement: one row each, with needs, one person, through the
   * API. {@code rows} is an SQL relation (with its filter) that has the columns staff_id, event_id and client.
   */
  public static String insertScanReads(String rows) {
    return "insert into audit_log (staff_user_id, action, event_id, with_needs, people, client_address, via) "
        + "select staff_id, '" + Read.DOOR_SCAN.code + "', event_id, true, 1, client, 'api' from " + rows;
  }

  /** The address the request came from (the proxy's, unless forwarded headers are trusted), at most 100 characters. */
  public static String clientAddress(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    String address = remote == null ? null : remote.hostAddress() != null ? remote.hostAddress() : remote.host();
    return address == null ? null : address.length() > 100 ? address.substring(0, 100) : address;
  }

  private static String via(RoutingContext ctx) {
    return ctx.request().path().startsWith("/api/") ? "api" : "page";
  }

  // ------------------------------------------------------------------------------------------------ the admin's view

  /** One row of the log, as the admin reads it. */
  public record Entry(long id, OffsetDateTime at, Long staffId, String staffName, String staffEmail, Long eventId,
                      String eventTitle, String action, boolean withNeeds, Integer people, String clientAddress,
                      String via) {}

  /** What to show: null fields do not filter; dates are Swedish days, both inclusive. */
  public record Filter(Long eventId, Long staffId, LocalDate from, LocalDate to) {}

  /** The matching rows, newest first, at most {@code limit}; and how many match in all. */
  public record Page(List<Entry> entries, long total) {}

  Future<Page> find(Filter f, int limit) {
    String where = """
        where ($1::bigint is null or a.event_id = $1) and ($2::bigint is null or a.staff_user_id = $2)
          and ($3::timestamptz is null or a.at >= $3) and ($4::timestamptz is null or a.at < $4)""";
    Tuple args = Tuple.of(f.eventId(), f.staffId(),
        f.from() == null ? null : f.from().atStartOfDay(STOCKHOLM).toOffsetDateTime(),
        f.to() == null ? null : f.to().plusDays(1).atStartOfDay(STOCKHOLM).toOffsetDateTime());
    return pool.preparedQuery("""
            select a.id, a.at, a.staff_user_id, u.name as staff_name, u.email as staff_email, a.event_id,
              e.title_sv as event_title, a.action, a.with_needs, a.people, a.client_address, a.via
            from audit_log a left join staff_user u on u.id = a.staff_user_id left join event e on e.id = a.event_id
            """ + where + " order by a.at desc, a.id desc limit " + limit)
        .execute(args)
        .compose(rows -> pool.preparedQuery("select count(*) from audit_log a " + where).execute(args).map(count -> {
          List<Entry> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Entry(r.getLong("id"), r.getOffsetDateTime("at"), r.getLong("staff_user_id"),
                r.getString("staff_name"), r.getString("staff_email"), r.getLong("event_id"), r.getString("event_title"),
                r.getString("action"), r.getBoolean("with_needs"), r.getInteger("people"), r.getString("client_address"),
                r.getString("via")));
          }
          return new Page(out, count.iterator().next().getLong(0));
        }));
  }

  /** A choice for a filter: the events and the people that appear in the log. */
  public record Choice(long id, String label) {}

  Future<List<Choice>> events() {
    return choices("""
        select e.id, e.title_sv || ' (' || to_char(e.starts_at at time zone 'Europe/Stockholm', 'YYYY-MM-DD') || ')'
        from event e where exists (select 1 from audit_log a where a.event_id = e.id) order by e.starts_at desc, e.id""");
  }

  Future<List<Choice>> people() {
    return choices("""
        select u.id, u.name || ' <' || u.email || '>' from staff_user u
        where exists (select 1 from audit_log a where a.staff_user_id = u.id) order by lower(u.name), u.id""");
  }

  private Future<List<Choice>> choices(String sql) {
    return pool.query(sql).execute().map(rows -> {
      List<Choice> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Choice(r.getLong(0), r.getString(1))));
      return out;
    });
  }

  // ------------------------------------------------------------------------------------------------ keeping a year

  /**
   * Deletes rows older than a year, a batch at a time. Rows are claimed with SKIP LOCKED, so instances running this
   * at once share the work and never wait for each other. Returns how many were deleted.
   */
  public Future<Integer> deleteExpired() {
    return pool.preparedQuery("""
            delete from audit_log where id in (
              select id from audit_log where at < now() - make_interval(days => $1)
              order by id limit $2 for update skip locked)""")
        .execute(Tuple.of(KEEP_DAYS, DELETE_BATCH))
        .compose(rows -> rows.rowCount() < DELETE_BATCH ? Future.succeededFuture(rows.rowCount())
            : deleteExpired().map(rest -> rows.rowCount() + rest));
  }
}
