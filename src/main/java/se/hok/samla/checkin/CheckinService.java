package se.hok.samla.checkin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.registration.RegistrationInput;
import se.hok.samla.registration.RegistrationService;
import se.hok.samla.tickets.TicketCode;
import se.hok.samla.tickets.TicketService;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.Msg;
import se.hok.samla.web.NotFoundException;

/**
 * Letting people in: a scanned code, a name picked from the list, or a walk-in becomes one admission, whatever
 * the number of devices scanning the same ticket at once. All SQL about check-in lives here.
 *
 * <p>A scan is one statement: it finds the registration (by the ticket's id and the exact code issued, so a forged
 * or altered code matches no ticket and is invalid), decides, admits (insert on the
 * one-admission index, so a concurrent second scan finds the first) and logs the scan. At a busy door the scans
 * that queue while statements run go together in the next statement ({@link ScanBatches}). The live counts are told
 * afterwards ({@link LiveCounts#changed}), not by a NOTIFY inside the statement: PostgreSQL serialises the commits
 * of notifying transactions, which cost a third of the door's throughput. A replay of the same idempotency key from
 * the same device answers with the first scan's result and changes nothing.
 *
 * <p>The server does not check a code's signature: it issued the codes and compares the whole code with the one
 * it stored, which a forger cannot know. An index probe costs less than an Ed25519 verification, and the first scan
 * of each ticket paid one. The signature is for door devices offline, which have no list of codes.
 */
public final class CheckinService {
  /** NOTIFY channel: payload is the event id whose counts changed. */
  public static final String CHANNEL = "samla_checkin";

  private final Pool pool;
  private final TicketService tickets;
  private final RegistrationService registrations;
  private final ScanBatches<Checked, Row> batches;

  /**
   * Scan statements running at once; more scans wait and go together in the next one. About the database's cores
   * (this machine's stand in: by default the database runs here): more statements than cores only queue for the CPU,
   * and fewer, larger batches cost it less (docs/benchmarks.md: one, two, four and eight measured on two cores).
   */
  private static final int STATEMENTS_AT_ONCE = Math.max(2, Runtime.getRuntime().availableProcessors());

  public CheckinService(Pool pool, TicketService tickets, RegistrationService registrations) {
    this(pool, tickets, registrations, STATEMENTS_AT_ONCE);
  }

  CheckinService(Pool pool, TicketService tickets, RegistrationService registrations, int statementsAtOnce) {
    this.pool = pool;
    this.tickets = tickets;
    this.registrations = registrations;
    // PgException: the database answered and refused the statement; anything else means it did not answer.
    this.batches = new ScanBatches<>(statementsAtOnce, 64, Checked::replayKey, this::scanAll, e -> e instanceof PgException);
  }

  /** What a door device asks. Exactly one of code / registrationId. {@code client}: its address, for the audit log. */
  public record Scan(long eventId, Long sessionId, String code, UUID registrationId, String deviceId, Long staffId,
                     OffsetDateTime scannedAt, String idempotencyKey, boolean admittedOffline, String method,
                     String client, boolean test) {
    public Scan(long eventId, Long sessionId, String code, UUID registrationId, String deviceId, Long staffId,
                OffsetDateTime scannedAt, String idempotencyKey, boolean admittedOffline, String method, String client) {
      this(eventId, sessionId, code, registrationId, deviceId, staffId, scannedAt, idempotencyKey, admittedOffline,
          method, client, false);
    }

    Scan withCode(String ticketCode) {
      return new Scan(eventId, sessionId, ticketCode, registrationId, deviceId, staffId, scannedAt, idempotencyKey,
          admittedOffline, method, client, test);
    }
  }

  /*
   * The door's hours: check-ins count from 12 hours before the event's start to 12 hours after its end (SCAN_SQL and
   * walkIn). A scan outside them is refused (too_early, too_late), whatever the ticket; a test scan (Scan.test) is
   * recorded as such and never admits anyone, at any time.
   */

  /**
   * A scanned code, or a ticket reference typed in the code field (the ticket e-mail tells people they may say it): a
   * reference is looked up and then checked as its ticket's code would be – the same answers (revoked, wrong event …),
   * and a reference that names no ticket is not recognised, like any other text that is not a code.
   */
  Future<ScanResult> scan(Scan s) {
    Long ticketId = ticketId(s.code());
    java.util.Optional<String> reference = ticketId == null ? TicketService.reference(s.code()) : java.util.Optional.empty();
    if (reference.isPresent()) {
      return tickets.codeOf(reference.get()).compose(code -> code.isPresent()
          ? checked(s.withCode(code.get()), ticketId(code.get()))
          : checked(s, null));
    }
    return checked(s, ticketId);
  }

  private Future<ScanResult> checked(Scan s, Long ticketId) {
    return batches.submit(new Checked(s, ticketId))
        .compose(r -> {
          if (!r.getBoolean("desk_ok")) {
            return Future.failedFuture(new NotFoundException(s.sessionId() == null ? "event" : "session"));
          }
          ScanResult result = ScanResult.from(r);
          if (result.firstCheckinAt() == null && "already_checked_in".equals(result.result())) {
            // The first admission committed while this statement ran (two devices, one ticket, same instant):
            // the statement's snapshot could not see it, so read it now.
            return first(result.registrationId(), s.sessionId()).map(result::withFirst);
          }
          return Future.succeededFuture(result);
        });
  }

  /** The most scans one statement has carried (see {@link ScanBatches}). */
  int largestBatch() {
    return batches.largestBatch();
  }

  /** The ticket a code names, if it is well-formed; whether it is the code issued is the statement's question. */
  private static Long ticketId(String code) {
    return TicketCode.decode(code).map(TicketCode.Payload::ticketId).orElse(null);
  }

  /** A scan and the ticket its code names (null: no code, or not a ticket code at all). */
  private record Checked(Scan scan, Long ticketId) {
    /** Replays of one idempotency key from one device never share a statement (see ScanBatches). */
    Object replayKey() {
      return scan.idempotencyKey() == null ? null : List.of(scan.deviceId(), scan.idempotencyKey());
    }
  }

  /** One statement for a batch of scans; the rows come back in the batch's order. */
  private Future<List<Row>> scanAll(List<Checked> batch) {
    int n = batch.size();
    Integer[] nth = new Integer[n];
    Long[] event = new Long[n];
    Long[] session = new Long[n];
    Long[] ticket = new Long[n];
    String[] code = new String[n];
    UUID[] registration = new UUID[n];
    String[] device = new String[n];
    Long[] staff = new Long[n];
    OffsetDateTime[] scannedAt = new OffsetDateTime[n];
    String[] key = new String[n];
    Boolean[] offline = new Boolean[n];
    String[] method = new String[n];
    String[] client = new String[n];
    Boolean[] test = new Boolean[n];
    for (int i = 0; i < n; i++) {
      Checked c = batch.get(i);
      Scan s = c.scan();
      nth[i] = i;
      event[i] = s.eventId();
      session[i] = s.sessionId();
      ticket[i] = c.ticketId();
      code[i] = c.ticketId() == null ? null : s.code();
      registration[i] = s.code() == null ? s.registrationId() : null;
      device[i] = s.deviceId();
      staff[i] = s.staffId();
      scannedAt[i] = s.scannedAt();
      key[i] = s.idempotencyKey();
      offline[i] = s.admittedOffline();
      method[i] = s.method();
      client[i] = s.client();
      test[i] = s.test();
    }
    return pool.preparedQuery(SCAN_SQL)
        .execute(Tuple.tuple().addValue(nth).addValue(event).addValue(session).addValue(ticket).addValue(code)
            .addValue(registration).addValue(device).addValue(staff).addValue(scannedAt).addValue(key)
            .addValue(offline).addValue(method).addValue(client).addValue(test))
        .map(rows -> {
          Row[] ordered = new Row[n];
          for (Row r : rows) {
            ordered[r.getInteger("n")] = r;
          }
          return List.of(ordered);
        });
  }

  /*
   * Each scan (row of i) finds its registration (by the ticket's id, whose signature was checked before, or by the
   * id picked from the list), decides, admits on the one-admission index and is logged. Lookups are lateral so each
   * is an index probe per scan, whatever the planner guesses of the batch's size ({@code limit 1} keeps the planner
 * from flattening them into joins that read whole tables); v is computed once, not once per use of its verdict. Of two scans of one person in one
   * batch (a code and a pick from the list at once), only the first tries to admit; the other is already checked
   * in, by the first. Rows committed by other statements meanwhile are found by the unique index: the insert does
   * nothing, and the answer is already_checked_in (the caller then reads who was first). A device's time is believed
   * only within the event's day (its start minus 12 hours to its end plus 12 hours; a time still to come is taken as
   * now). Outside it – an offline queue replayed from a device with a wrong clock, or a made-up time – the scan is
   * recorded at the server's time, flagged as a conflict for the organiser, and the time claimed is kept (claimed_at).
   * A scan whose answer shows at-door needs (ok or already_checked_in, with needs) is written to the audit log by the
   * same statement (AuditLog.insertScanReads), so auditing costs the door no extra round trip.
   */
  private static final String SCAN_SQL = """
      with i as (
        select * from unnest($1::int[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::uuid[], $7::text[],
                             $8::bigint[], $9::timestamptz[], $10::text[], $11::boolean[], $12::text[], $13::text[],
                             $14::boolean[])
          as i(n, event_id, session_id, ticket_id, code, reg_uuid, device_id, staff_id, scanned_at, idem, offline, method,
               client, test)),
      d as (
        select i.*,
          ev.id is not null and (i.session_id is null or exists (
            select 1 from event_session es where es.id = i.session_id and es.event_id = ev.id)) as desk_ok,
          coalesce(ev.time_doubted, false) as time_doubted,
          case when ev.time_doubted then now() else coalesce(least(i.scanned_at, now()), now()) end as effective_at,
          (select s.result from checkin_scan s
            where i.idem is not null and s.device_id = i.device_id and s.idempotency_key = i.idem) as prior,
          ev.door_opens, ev.door_closes, tk.id as tk_id, tk.revoked_at as tk_revoked, r.*
        from i
        left join lateral (
          select e.id, i.scanned_at not between e.starts_at - interval '12 hours' and e.ends_at + interval '12 hours' as time_doubted,
            e.starts_at - interval '12 hours' as door_opens, e.ends_at + interval '12 hours' as door_closes
          from event e where e.id = i.event_id) ev on true
        left join lateral (
          select t.id, t.registration_id, t.revoked_at, t.reference from ticket t
          where t.id = i.ticket_id and t.code = i.code limit 1) tk on true
        left join lateral (
          select r.id as reg_id, r.event_id as reg_event, r.status as reg_status, r.name, r.companion,
            o.name as organisation, e.title_sv, e.title_en, e.status as event_status,
            coalesce(tk.reference,
                     (select t.reference from ticket t where t.registration_id = r.id and t.revoked_at is null)) as reference,
            (select coalesce(json_agg(json_build_object('code', n.code, 'sv', n.label_sv, 'en', n.label_en) order by n.sort_order), '[]')
               from registration_need rn join need n on n.code = rn.need_code
               where rn.registration_id = r.id and n.at_door) as needs
          from registration r join event e on e.id = r.event_id left join organisation o on o.id = r.organisation_id
          where r.id = coalesce(i.reg_uuid, tk.registration_id) limit 1) r on true),
      v as materialized (
        select x.*, case
          when x.test then 'test'
          when x.would_be in ('invalid', 'wrong_event') then x.would_be
          when x.effective_at < x.door_opens then 'too_early'
          when x.effective_at > x.door_closes then 'too_late'
          else x.would_be end as verdict
        from (select d.*, case
          when d.reg_id is null then 'invalid'
          when d.reg_event <> d.event_id then 'wrong_event'
          when d.reg_status = 'cancelled' or d.event_status = 'cancelled' then 'cancelled'
          when d.reg_status = 'waitlisted' then 'waitlisted'
          when d.ticket_id is not null and d.tk_revoked is not null then 'revoked'
          when d.session_id is not null and not exists (
            select 1 from registration_session rs where rs.registration_id = d.reg_id and rs.session_id = d.session_id) then 'not_in_session'
          else 'admit' end as would_be
        from d) x),
      c as (
        select v.*, v.verdict = 'admit' and v.desk_ok and v.prior is null and row_number() over (
            partition by v.reg_id, coalesce(v.session_id, 0), v.verdict = 'admit' and v.desk_ok and v.prior is null
            order by v.n) = 1 as admits
        from v),
      ins as (
        insert into checkin (event_id, session_id, registration_id, ticket_id, checked_in_at, device_id, staff_user_id, method, offline)
        select c.event_id, c.session_id, c.reg_id, c.tk_id, c.effective_at, c.device_id,
          c.staff_id, c.method, c.offline
        from c where c.admits
        on conflict (registration_id, coalesce(session_id, 0)) where undone_at is null do nothing
        returning id, registration_id, coalesce(session_id, 0) as sess, checked_in_at, device_id),
      o as (
        select c.*,
          case when c.admits then ins.id end as ins_id,
          coalesce(c.prior, case when c.verdict <> 'admit' then c.verdict
                                 when c.admits and ins.id is not null then 'ok'
                                 else 'already_checked_in' end) as result,
          coalesce(ins.id, earlier.id) as first_id,
          coalesce(ins.checked_in_at, earlier.checked_in_at) as first_at,
          coalesce(ins.device_id, earlier.device_id) as first_device
        from c
        left join ins on ins.registration_id = c.reg_id and ins.sess = coalesce(c.session_id, 0)
        left join lateral (
          select ch.id, ch.checked_in_at, ch.device_id from checkin ch
          where ch.registration_id = c.reg_id and coalesce(ch.session_id, 0) = coalesce(c.session_id, 0)
            and ch.undone_at is null limit 1) earlier on true),
      logged as (
        insert into checkin_scan (event_id, session_id, registration_id, ticket_id, checkin_id, device_id, staff_user_id,
          scanned_at, result, offline, conflict, idempotency_key, claimed_at)
        select o.event_id, o.session_id, o.reg_id, o.tk_id, o.ins_id, o.device_id, o.staff_id,
          o.effective_at, o.result, o.offline,
          (o.time_doubted and o.result not in ('too_early', 'too_late', 'test'))
            or (o.offline and o.result = 'already_checked_in' and coalesce(o.first_device, o.device_id) <> o.device_id),
          o.idem, case when o.time_doubted then o.scanned_at end
        from o where o.desk_ok and o.prior is null
        on conflict (device_id, idempotency_key) where idempotency_key is not null do nothing),
      audited as (
        """ + AuditLog.insertScanReads("o where o.desk_ok and o.result in ('ok', 'already_checked_in') "
            + "and json_array_length(o.needs) > 0") + """
      )
      select o.n, o.desk_ok, o.result, o.reg_id as registration_id, o.reg_event as event_id, o.name, o.organisation,
        o.companion, o.reference, o.needs, o.title_sv, o.title_en, o.first_id as checkin_id, o.first_at, o.first_device,
        o.would_be, o.door_opens, o.door_closes
      from o""";

  private Future<ScanResult.First> first(UUID registrationId, Long sessionId) {
    return pool.preparedQuery("""
            select id, checked_in_at, device_id from checkin
            where registration_id = $1 and coalesce(session_id, 0) = coalesce($2::bigint, 0) and undone_at is null""")
        .execute(Tuple.tuple().addUUID(registrationId).addLong(sessionId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new ScanResult.First(r.getLong("id"), r.getOffsetDateTime("checked_in_at"), r.getString("device_id"));
        });
  }

  /** The event of a check-in, or null when there is no such check-in (for the access check of an undo). */
  Future<Long> eventOfCheckin(long checkinId) {
    return pool.preparedQuery("select event_id from checkin where id = $1").execute(Tuple.of(checkinId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
  }

  /** Undoes an admission (a mistaken click, the wrong person). Already undone is fine; unknown is 404. */
  Future<Long> undo(long checkinId, Long staffId) {
    return pool.preparedQuery("""
            with u as (
              update checkin set undone_at = now(), undone_by = $2 where id = $1 and undone_at is null returning event_id)
            select c.event_id, (select count(*) from u) as n from checkin c where c.id = $1""")
        .execute(Tuple.tuple().addLong(checkinId).addLong(staffId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new NotFoundException("checkin " + checkinId))
            : Future.succeededFuture(rows.iterator().next().getLong("event_id")));
  }

  /** Checked in / expected / walk-ins (of them, let in beyond capacity) for the event and each of its sessions. */
  Future<JsonObject> counts(long eventId) {
    return pool.preparedQuery("""
            select e.id,
              (select count(*) from registration r where r.event_id = e.id and r.status = 'confirmed') as expected,
              (select count(*) from checkin c where c.event_id = e.id and c.session_id is null and c.undone_at is null) as checked_in,
              (select count(*) from checkin c join registration r on r.id = c.registration_id
                 where c.event_id = e.id and c.session_id is null and c.undone_at is null and r.source = 'walk_in') as walk_ins,
              (select count(*) from checkin c join registration r on r.id = c.registration_id
                 where c.event_id = e.id and c.session_id is null and c.undone_at is null and r.over_capacity) as over_capacity,
              (select count(*) from checkin_scan s where s.event_id = e.id and s.conflict) as conflicts,
              (select coalesce(json_agg(json_build_object('id', s.id, 'title', s.title_sv, 'titleEn', s.title_en,
                 'startsAt', s.starts_at,
                 'expected', (select count(*) from registration_session rs join registration r on r.id = rs.registration_id
                              where rs.session_id = s.id and r.status = 'confirmed'),
                 'checkedIn', (select count(*) from checkin c where c.session_id = s.id and c.undone_at is null))
                 order by s.starts_at, s.id), '[]')
               from event_session s where s.event_id = e.id) as sessions
            from event e where e.id = $1""")
        .execute(Tuple.of(eventId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new NotFoundException("event " + eventId));
          }
          Row r = rows.iterator().next();
          return Future.succeededFuture(new JsonObject()
              .put("eventId", eventId)
              .put("expected", r.getLong("expected"))
              .put("checkedIn", r.getLong("checked_in"))
              .put("walkIns", r.getLong("walk_ins"))
              .put("overCapacity", r.getLong("over_capacity"))
              .put("conflicts", r.getLong("conflicts"))
              .put("sessions", jsonArray(r.getValue("sessions"))));
        });
  }

  /** People to let in by hand: by name, organisation or ticket reference (with or without HÖK- and dashes). */
  Future<List<JsonObject>> search(long eventId, Long sessionId, String query) {
    String q = query == null ? "" : query.strip();
    if (q.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    String ref = q.toUpperCase(java.util.Locale.ROOT).replace("HÖK", "").replace("-", "").replace(" ", "");
    return pool.preparedQuery("""
            select r.id, r.name, r.status, r.companion, o.name as organisation, t.reference,
              (select c.checked_in_at from checkin c where c.registration_id = r.id
                 and coalesce(c.session_id, 0) = coalesce($2::bigint, 0) and c.undone_at is null) as checked_in_at
            from registration r
            left join organisation o on o.id = r.organisation_id
            left join ticket t on t.registration_id = r.id and t.revoked_at is null
            where r.event_id = $1 and r.erased_at is null
              and (r.name ilike $3 or o.name ilike $3
                   or (length($4) >= 4 and replace(replace(t.reference, 'HÖK-', ''), '-', '') like '%' || $4 || '%'))
            order by r.status = 'confirmed' desc, r.name
            limit 25""")
        .execute(Tuple.tuple().addLong(eventId).addLong(sessionId).addString(like).addString(ref))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new JsonObject()
                .put("registrationId", r.getUUID("id").toString())
                .put("name", r.getString("name"))
                .put("organisation", r.getString("organisation"))
                .put("reference", r.getString("reference"))
                .put("status", r.getString("status"))
                .put("companion", r.getBoolean("companion"))
                .put("checkedInAt", iso(r.getOffsetDateTime("checked_in_at"))));
          }
          return out;
        });
  }

  /**
   * What a device needs to keep working offline: the event's public key, every ticket of the event (valid or
   * not, with the name and the at-door needs to show, as an online scan would), the revoked ones, who is already in,
   * the door's hours and the conflicts found so far (for the door page, live). The device keeps this in memory only.
   */
  public Future<JsonObject> sync(long eventId) {
    return counts(eventId).compose(counts -> tickets.publicKey(eventId).compose(key -> pool.preparedQuery("""
            select t.id, t.registration_id, t.reference, r.name, o.name as organisation, r.companion, r.status,
              t.revoked_at is null and r.status = 'confirmed' and e.status <> 'cancelled' as valid,
              (select coalesce(json_agg(rs.session_id), '[]') from registration_session rs where rs.registration_id = r.id) as sessions,
              (select coalesce(json_agg(json_build_object('code', n.code, 'sv', n.label_sv, 'en', n.label_en) order by n.sort_order), '[]')
                 from registration_need rn join need n on n.code = rn.need_code
                 where rn.registration_id = r.id and n.at_door) as needs
            from ticket t join registration r on r.id = t.registration_id join event e on e.id = t.event_id
            left join organisation o on o.id = r.organisation_id
            where t.event_id = $1""")
        .execute(Tuple.of(eventId))
        .compose(ticketRows -> Future.all(pool.preparedQuery("""
                select registration_id, session_id, checked_in_at, device_id from checkin
                where event_id = $1 and undone_at is null""")
            .execute(Tuple.of(eventId)), conflicts(eventId), pool.preparedQuery("""
                select starts_at - interval '12 hours' as door_opens, ends_at + interval '12 hours' as door_closes
                from event where id = $1""").execute(Tuple.of(eventId)))
            .map(all3 -> {
              io.vertx.sqlclient.RowSet<Row> checkinRows = all3.resultAt(0);
              List<JsonObject> conflicts = all3.resultAt(1);
              Row hours = all3.<io.vertx.sqlclient.RowSet<Row>>resultAt(2).iterator().next();
              JsonArray all = new JsonArray();
              JsonArray revoked = new JsonArray();
              for (Row r : ticketRows) {
                all.add(new JsonObject()
                    .put("ticketId", r.getLong("id"))
                    .put("registrationId", r.getUUID("registration_id").toString())
                    .put("reference", r.getString("reference"))
                    .put("name", r.getString("name"))
                    .put("organisation", r.getString("organisation"))
                    .put("companion", r.getBoolean("companion"))
                    .put("status", r.getString("status"))
                    .put("valid", r.getBoolean("valid"))
                    .put("sessions", jsonArray(r.getValue("sessions")))
                    .put("needs", jsonArray(r.getValue("needs"))));
                if (!r.getBoolean("valid")) {
                  revoked.add(r.getLong("id"));
                }
              }
              JsonArray in = new JsonArray();
              for (Row c : checkinRows) {
                in.add(new JsonObject()
                    .put("registrationId", c.getUUID("registration_id").toString())
                    .put("sessionId", c.getLong("session_id"))
                    .put("at", c.getOffsetDateTime("checked_in_at").toString())
                    .put("deviceId", c.getString("device_id")));
              }
              return new JsonObject()
                  .put("eventId", eventId)
                  .put("algorithm", "Ed25519")
                  .put("publicKey", key)
                  .put("syncedAt", OffsetDateTime.now().toString())
                  .put("tickets", all)
                  .put("revoked", revoked)
                  .put("checkedIn", in)
                  .put("counts", counts)
                  .put("doorOpens", hours.getOffsetDateTime("door_opens").toString())
                  .put("doorCloses", hours.getOffsetDateTime("door_closes").toString())
                  .put("conflicts", new JsonArray(List.copyOf(conflicts)));
            }))));
  }

  /** A need door staff can note for a walk-in: those shown at the door (not the companion, asked on its own). */
  public record DoorNeed(String code, String labelSv, String labelEn) {}

  Future<List<DoorNeed>> atDoorNeeds() {
    return pool.query("select code, label_sv, label_en from need where active and at_door and code <> 'ledsagare' "
            + "order by sort_order, code")
        .execute()
        .map(rows -> {
          List<DoorNeed> out = new ArrayList<>();
          rows.forEach(r -> out.add(new DoorNeed(r.getString("code"), r.getString("label_sv"), r.getString("label_en"))));
          return out;
        });
  }

  /** A json(b) column as the PG client hands it over: already a JsonArray, or its text; null as empty. */
  static JsonArray jsonArray(Object value) {
    return value == null ? new JsonArray() : value instanceof JsonArray a ? a : new JsonArray(String.valueOf(value));
  }

  private static String iso(OffsetDateTime t) {
    return t == null ? null : t.toString();
  }

  /**
   * For the organiser: tickets admitted on a device while offline that had already been admitted elsewhere, and scans
   * whose device time was not believable (claimedAt: the time the device gave; the scan was recorded at the server's).
   */
  Future<List<JsonObject>> conflicts(long eventId) {
    return pool.preparedQuery("""
            select s.scanned_at, s.device_id, s.claimed_at, r.name, c.checked_in_at as first_at, c.device_id as first_device
            from checkin_scan s
            left join registration r on r.id = s.registration_id
            left join checkin c on c.registration_id = s.registration_id
              and coalesce(c.session_id, 0) = coalesce(s.session_id, 0) and c.undone_at is null
            where s.event_id = $1 and s.conflict
            order by s.scanned_at""")
        .execute(Tuple.of(eventId))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new JsonObject()
                .put("name", r.getString("name"))
                .put("scannedAt", iso(r.getOffsetDateTime("scanned_at")))
                .put("deviceId", r.getString("device_id"))
                .put("firstAt", iso(r.getOffsetDateTime("first_at")))
                .put("firstDevice", r.getString("first_device"))
                .put("claimedAt", iso(r.getOffsetDateTime("claimed_at"))));
          }
          return out;
        });
  }

  // ------------------------------------------------------------------------------------------------
  // Online meetings: attendance ticked on a list, or matched from the meeting tool's participant list
  // ------------------------------------------------------------------------------------------------

  /**
   * One person of an online meeting's attendance list: {@code how} is how they were let in ("online", "scan", "manual",
   * "walk_in") or null when they were not; only online admissions can be changed on the list.
   */
  public record Attendee(UUID registrationId, String name, String organisation, String how) {
    public boolean present() {
      return how != null;
    }

    public boolean online() {
      return "online".equals(how);
    }
  }

  /** Everyone with a seat (confirmed, not erased), by name, and whether and how they came in (to the event itself). */
  Future<List<Attendee>> attendanceList(long eventId) {
    return pool.preparedQuery("""
            select r.id, r.name, o.name as organisation,
              (select c.method from checkin c where c.registration_id = r.id and c.session_id is null and c.undone_at is null) as how
            from registration r left join organisation o on o.id = r.organisation_id
            where r.event_id = $1 and r.status = 'confirmed' and r.erased_at is null
            order by lower(r.name), r.id""")
        .execute(Tuple.of(eventId))
        .map(rows -> {
          List<Attendee> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Attendee(r.getUUID("id"), r.getString("name"), r.getString("organisation"),
              r.getString("how"))));
          return out;
        });
  }

  /** What a change of the online attendance did: how many were let in and how many taken off. */
  public record OnlineChange(int admitted, int undone) {}

  /**
   * The ticked list of an online meeting: those ticked are let in (method {@code online}, once: the one-admission index
   * makes a second tick or a second device nothing), those unticked that had been ticked online are taken off
   * (undone, kept in the history). Admissions at the door are not changed here. Only confirmed registrations of this
   * event count; any other id is ignored. The time recorded is when it was ticked, within the event's time.
   */
  Future<OnlineChange> recordOnline(long eventId, List<UUID> present, List<UUID> absent, Long staffId) {
    return pool.withTransaction(conn -> conn.preparedQuery(ADMIT_ONLINE)
        .execute(Tuple.tuple().addLong(eventId).addArrayOfUUID(present.toArray(UUID[]::new)).addLong(staffId))
        .compose(admitted -> conn.preparedQuery("""
                update checkin set undone_at = now(), undone_by = $3
                where event_id = $1 and registration_id = any($2) and session_id is null and undone_at is null
                  and method = 'online'""")
            .execute(Tuple.tuple().addLong(eventId).addArrayOfUUID(absent.toArray(UUID[]::new)).addLong(staffId))
            .map(undone -> new OnlineChange(admitted.iterator().next().getLong(0).intValue(), undone.rowCount()))));
  }

  /** What matching a participant list did: let in, already in, and the addresses that matched nobody with a seat. */
  public record Matched(int admitted, int alreadyIn, List<String> unmatched) {}

  /**
   * The meeting tool's participant list, matched by e-mail address (any letter case) against the event's confirmed
   * registrations: those found are let in online (as on the ticked list); the addresses that match nobody with a seat
   * are given back as they were in the file (they are the caller's own data; which of them are registered otherwise,
   * e.g. on the waiting list, is not said).
   */
  Future<Matched> matchOnline(long eventId, java.util.Set<String> emails, Long staffId) {
    List<String> lower = emails.stream().map(e -> e.toLowerCase(java.util.Locale.ROOT)).distinct().toList();
    return pool.withTransaction(conn -> conn.preparedQuery("""
            select r.id, lower(r.email) as email,
              exists (select 1 from checkin c where c.registration_id = r.id and c.session_id is null and c.undone_at is null) as inside
            from registration r
            where r.event_id = $1 and r.status = 'confirmed' and r.erased_at is null and lower(r.email) = any($2)""")
        .execute(Tuple.tuple().addLong(eventId).addArrayOfString(lower.toArray(String[]::new)))
        .compose(rows -> {
          List<UUID> toAdmit = new ArrayList<>();
          java.util.Set<String> found = new java.util.HashSet<>();
          int already = 0;
          for (Row r : rows) {
            found.add(r.getString("email"));
            if (r.getBoolean("inside")) {
              already++;
            } else {
              toAdmit.add(r.getUUID("id"));
            }
          }
          List<String> unmatched = emails.stream().filter(e -> !found.contains(e.toLowerCase(java.util.Locale.ROOT)))
              .sorted().toList();
          int alreadyIn = already;
          return conn.preparedQuery(ADMIT_ONLINE)
              .execute(Tuple.tuple().addLong(eventId).addArrayOfUUID(toAdmit.toArray(UUID[]::new)).addLong(staffId))
              .map(admitted -> new Matched(admitted.iterator().next().getLong(0).intValue(), alreadyIn, unmatched));
        }));
  }

  /** Lets the confirmed registrations among $2 into event $1 online, by staff $3; returns how many came in now. */
  private static final String ADMIT_ONLINE = """
      with e as (select id, starts_at, ends_at from event where id = $1),
      ins as (
        insert into checkin (event_id, registration_id, checked_in_at, device_id, staff_user_id, method)
        select r.event_id, r.id, greatest(e.starts_at, least(now(), e.ends_at)), 'online', $3, 'online'
        from registration r join e on e.id = r.event_id
        where r.id = any($2) and r.status = 'confirmed' and r.erased_at is null
        on conflict (registration_id, coalesce(session_id, 0)) where undone_at is null do nothing
        returning 1)
      select count(*) from ins""";

  /**
   * Registers someone at the door and lets them in at once, if a seat is free: a walk-in never goes to the
   * waiting list ahead of, or behind, people already waiting. They get the ticket e-mail like everyone else (if they
   * gave an address). When the event is full on paper, {@code overCapacity} ("Släpp in ändå") lets them in anyway as
   * long as seats are held by people who have not come (no-shows), one walk-in per such seat: they take no seat, so
   * the waiting list is not touched, and they count as over-capacity walk-ins. The count asked here only answers a
   * full event early; the seat is let in the registration's own transaction, with the event row locked, so two door
   * devices pressing "Släpp in ändå" at the same instant for the last no-show's seat let in one person and the other
   * is refused ({@code no_show_seats_taken}). Only within the door's hours (12 hours before the start to 12 after the end).
   * At-door needs given at the door are shown in the answer, and that read is audited like a scan's.
   */
  Future<ScanResult> walkIn(long eventId, Long sessionId, RegistrationInput input, String deviceId, Long staffId,
                                   String idempotencyKey, boolean overCapacity, String client) {
    try {
      input.validate(new se.hok.samla.web.FieldChecks(), false);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    int seats = input.companion() ? 2 : 1;
    // Asked first so that a full event (the usual case late at the door) registers nobody and mails nobody; the
    // seat itself is still claimed by the registration, and the rare loser of a race is removed again below.
    return pool.preparedQuery("""
            select e.capacity - e.seats_taken >= $2
                and not """ + RegistrationService.anyoneWaiting("e.id", null) + """
                as room,
              -- Seats held by people who have not come, less those already given to walk-ins beyond capacity.
              """ + RegistrationService.NO_SHOW_SEATS + """
               as no_show_seats,
              now() < e.starts_at - interval '12 hours' as too_early, now() > e.ends_at + interval '12 hours' as too_late
            from event e where e.id = $1""")
        .execute(Tuple.of(eventId, seats))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new NotFoundException("event " + eventId));
          }
          Row row = rows.iterator().next();
          if (row.getBoolean("too_early") || row.getBoolean("too_late")) {
            String when = row.getBoolean("too_early") ? "too_early" : "too_late";
            return Future.failedFuture(new ConflictException(when, Msg.of("checkin.walkIn." + when)));
          }
          if (row.getBoolean("room")) {
            return Future.succeededFuture(RegistrationService.Source.WALK_IN);
          }
          boolean noShows = row.getLong("no_show_seats") >= seats;
          if (overCapacity && noShows) {
            return Future.succeededFuture(RegistrationService.Source.WALK_IN_OVER_CAPACITY);
          }
          // Full: door staff may let them in anyway while seats are held by people who have not come.
          return Future.failedFuture(noShows
              ? new ConflictException("event_full_no_shows", Msg.of("checkin.walkIn.fullNoShows", row.getLong("no_show_seats")))
              : new ConflictException("event_full", Msg.of("checkin.walkIn.full")));
        })
        .compose(source -> registrations.register(eventId, input, idempotencyKey, source)
            .compose(r -> {
              if (r.duplicate()) {
                return Future.failedFuture(new ConflictException("already_registered", Msg.of("checkin.walkIn.duplicate")));
              }
              if (!"confirmed".equals(r.status())) {
                return registrations.remove(eventId, r.id())
                    .compose(v -> Future.failedFuture(new ConflictException("event_full", Msg.of("checkin.walkIn.full"))));
              }
              // The scans show the at-door needs given at the door: audited through the client's address, as any scan.
              return scan(new Scan(eventId, null, null, r.id(), deviceId, staffId, null,
                  idempotencyKey == null ? null : "walk-in:" + idempotencyKey, false, "walk_in", client))
                  .compose(admitted -> sessionId == null
                      ? Future.succeededFuture(admitted)
                      : scan(new Scan(eventId, sessionId, null, r.id(), deviceId, staffId, null, null, false, "walk_in", client)));
            }));
  }
}
