package se.hok.samla.checkin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
 * <p>A scan is one statement: it finds the registration (by the ticket's id, whose signature was checked before
 * with the event's cached key, so a forged code never reaches the database), decides, admits (insert on the
 * one-admission index, so a concurrent second scan finds the first) and logs the scan. The live counts are told
 * afterwards ({@link LiveCounts#changed}), not by a NOTIFY inside the statement: PostgreSQL serialises the commits
 * of notifying transactions, which cost a third of the door's throughput. A replay of the same idempotency key from the same
 * device answers with the first scan's result and changes nothing.
 */
public final class CheckinService {
  /** NOTIFY channel: payload is the event id whose counts changed. */
  public static final String CHANNEL = "samla_checkin";

  private final Pool pool;
  private final TicketService tickets;
  private final RegistrationService registrations;

  public CheckinService(Pool pool, TicketService tickets, RegistrationService registrations) {
    this.pool = pool;
    this.tickets = tickets;
    this.registrations = registrations;
  }

  /** What a door device asks. Exactly one of code / registrationId. */
  public record Scan(long eventId, Long sessionId, String code, UUID registrationId, String deviceId, Long staffId,
                     OffsetDateTime scannedAt, String idempotencyKey, boolean admittedOffline, String method) {}

  public Future<ScanResult> scan(Scan s) {
    Future<Optional<TicketCode.Payload>> payload = s.code() == null
        ? Future.succeededFuture(Optional.empty())
        : tickets.authentic(s.code());
    return payload.compose(p -> pool.preparedQuery(SCAN_SQL)
            .execute(Tuple.tuple()
                .addLong(s.eventId())
                .addLong(s.sessionId())
                .addLong(p.map(TicketCode.Payload::ticketId).orElse(null))
                .addString(p.isPresent() ? s.code() : null)
                .addUUID(s.code() == null ? s.registrationId() : null)
                .addString(s.deviceId())
                .addLong(s.staffId())
                .addOffsetDateTime(s.scannedAt())
                .addString(s.idempotencyKey())
                .addBoolean(s.admittedOffline())
                .addString(s.method())))
        .compose(rows -> {
          Row r = rows.iterator().next();
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

  private static final String SCAN_SQL = """
      with desk as (
        select e.id from event e
        where e.id = $1 and ($2::bigint is null or exists (select 1 from event_session es where es.id = $2 and es.event_id = e.id))),
      prior as (
        select s.result from checkin_scan s
        where $9::text is not null and s.device_id = $6 and s.idempotency_key = $9),
      tk as (select t.id, t.registration_id, t.revoked_at, t.reference from ticket t where t.id = $3 and t.code = $4),
      reg as (
        select r.id, r.event_id, r.status, r.name, r.companion, o.name as organisation,
          e.title_sv, e.title_en, e.status as event_status,
          coalesce((select reference from tk),
                   (select t.reference from ticket t where t.registration_id = r.id and t.revoked_at is null)) as reference,
          (select coalesce(json_agg(json_build_object('code', n.code, 'sv', n.label_sv, 'en', n.label_en) order by n.sort_order), '[]')
             from registration_need rn join need n on n.code = rn.need_code
             where rn.registration_id = r.id and n.at_door) as needs
        from registration r join event e on e.id = r.event_id left join organisation o on o.id = r.organisation_id
        where r.id = coalesce($5::uuid, (select registration_id from tk))),
      verdict as (
        select case
          when reg.id is null then 'invalid'
          when reg.event_id <> $1 then 'wrong_event'
          when reg.status = 'cancelled' or reg.event_status = 'cancelled' then 'cancelled'
          when reg.status = 'waitlisted' then 'waitlisted'
          when $3::bigint is not null and (select revoked_at from tk) is not null then 'revoked'
          when $2::bigint is not null and not exists (
            select 1 from registration_session rs where rs.registration_id = reg.id and rs.session_id = $2) then 'not_in_session'
          else 'admit' end as v
        from (values (1)) one left join reg on true),
      ins as (
        insert into checkin (event_id, session_id, registration_id, ticket_id, checked_in_at, device_id, staff_user_id, method, offline)
        select $1, $2, reg.id, (select id from tk), coalesce(least($8::timestamptz, now()), now()), $6, $7, $11, $10
        from reg, verdict
        where verdict.v = 'admit' and exists (select 1 from desk) and not exists (select 1 from prior)
        on conflict (registration_id, coalesce(session_id, 0)) where undone_at is null do nothing
        returning id, checked_in_at, device_id),
      earlier as (
        -- (select id from reg), not a join: the planner then looks up both columns of checkin_once, not the second alone.
        select c.id, c.checked_in_at, c.device_id from checkin c
        where c.registration_id = (select id from reg) and coalesce(c.session_id, 0) = coalesce($2::bigint, 0)
          and c.undone_at is null),
      outcome as (
        select coalesce((select result from prior),
          case when verdict.v <> 'admit' then verdict.v
               when exists (select 1 from ins) then 'ok'
               else 'already_checked_in' end) as result
        from verdict),
      logged as (
        insert into checkin_scan (event_id, session_id, registration_id, ticket_id, checkin_id, device_id, staff_user_id,
          scanned_at, result, offline, conflict, idempotency_key)
        select $1, $2, (select id from reg), (select id from tk), (select id from ins), $6, $7,
          coalesce(least($8::timestamptz, now()), now()), outcome.result, $10,
          $10 and outcome.result = 'already_checked_in' and coalesce((select device_id from earlier), $6) <> $6, $9
        from outcome
        where exists (select 1 from desk) and not exists (select 1 from prior)
        on conflict (device_id, idempotency_key) where idempotency_key is not null do nothing
        returning id)
      select exists (select 1 from desk) as desk_ok, outcome.result,
        reg.id as registration_id, reg.event_id, reg.name, reg.organisation, reg.companion, reg.reference, reg.needs,
        reg.title_sv, reg.title_en,
        coalesce((select id from ins), (select id from earlier)) as checkin_id,
        coalesce((select checked_in_at from ins), (select checked_in_at from earlier)) as first_at,
        coalesce((select device_id from ins), (select device_id from earlier)) as first_device,
        (select count(*) from logged) as written
      from outcome left join reg on true""";

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

  /** Undoes an admission (a mistaken click, the wrong person). Already undone is fine; unknown is 404. */
  public Future<Long> undo(long checkinId, Long staffId) {
    return pool.preparedQuery("""
            with u as (
              update checkin set undone_at = now(), undone_by = $2 where id = $1 and undone_at is null returning event_id)
            select c.event_id, (select count(*) from u) as n from checkin c where c.id = $1""")
        .execute(Tuple.tuple().addLong(checkinId).addLong(staffId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new NotFoundException("checkin " + checkinId))
            : Future.succeededFuture(rows.iterator().next().getLong("event_id")));
  }

  /** Checked in / expected / walk-ins for the event and each of its sessions. */
  public Future<JsonObject> counts(long eventId) {
    return pool.preparedQuery("""
            select e.id,
              (select count(*) from registration r where r.event_id = e.id and r.status = 'confirmed') as expected,
              (select count(*) from checkin c where c.event_id = e.id and c.session_id is null and c.undone_at is null) as checked_in,
              (select count(*) from checkin c join registration r on r.id = c.registration_id
                 where c.event_id = e.id and c.session_id is null and c.undone_at is null and r.source = 'walk_in') as walk_ins,
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
              .put("conflicts", r.getLong("conflicts"))
              .put("sessions", jsonArray(r.getValue("sessions"))));
        });
  }

  /** People to let in by hand: by name, organisation or ticket reference (with or without HÖK- and dashes). */
  public Future<List<JsonObject>> search(long eventId, Long sessionId, String query) {
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
   * not, with the name to show), the revoked ones, and who is already in. Names only, no needs: the device
   * keeps this in memory.
   */
  public Future<JsonObject> sync(long eventId) {
    return counts(eventId).compose(counts -> tickets.publicKey(eventId).compose(key -> pool.preparedQuery("""
            select t.id, t.registration_id, t.reference, r.name, o.name as organisation, r.companion, r.status,
              t.revoked_at is null and r.status = 'confirmed' and e.status <> 'cancelled' as valid,
              (select coalesce(json_agg(rs.session_id), '[]') from registration_session rs where rs.registration_id = r.id) as sessions
            from ticket t join registration r on r.id = t.registration_id join event e on e.id = t.event_id
            left join organisation o on o.id = r.organisation_id
            where t.event_id = $1""")
        .execute(Tuple.of(eventId))
        .compose(ticketRows -> pool.preparedQuery("""
                select registration_id, session_id, checked_in_at, device_id from checkin
                where event_id = $1 and undone_at is null""")
            .execute(Tuple.of(eventId))
            .map(checkinRows -> {
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
                    .put("sessions", jsonArray(r.getValue("sessions"))));
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
                  .put("counts", counts);
            }))));
  }

  /** A json(b) column as the PG client hands it over: already a JsonArray, or its text; null as empty. */
  static JsonArray jsonArray(Object value) {
    return value == null ? new JsonArray() : value instanceof JsonArray a ? a : new JsonArray(String.valueOf(value));
  }

  private static String iso(OffsetDateTime t) {
    return t == null ? null : t.toString();
  }

  /** Tickets admitted on a device while offline that had already been admitted elsewhere: for the organiser. */
  public Future<List<JsonObject>> conflicts(long eventId) {
    return pool.preparedQuery("""
            select s.scanned_at, s.device_id, r.name, c.checked_in_at as first_at, c.device_id as first_device
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
                .put("firstDevice", r.getString("first_device")));
          }
          return out;
        });
  }

  /**
   * Registers someone at the door and lets them in at once, if a seat is free: a walk-in never goes to the
   * waiting list ahead of, or behind, people already waiting. They get the ticket e-mail like everyone else.
   */
  public Future<ScanResult> walkIn(long eventId, Long sessionId, RegistrationInput input, String deviceId, Long staffId,
                                   String idempotencyKey) {
    try {
      input.validate(new se.hok.samla.web.FieldChecks());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // Asked first so that a full event (the usual case late at the door) registers nobody and mails nobody; the
    // seat itself is still claimed by the registration, and the rare loser of a race is removed again below.
    return pool.preparedQuery("""
            select e.capacity - e.seats_taken >= $2
              and not exists (select 1 from registration w where w.event_id = e.id and w.status = 'waitlisted') as room
            from event e where e.id = $1""")
        .execute(Tuple.of(eventId, input.companion() ? 2 : 1))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new NotFoundException("event " + eventId));
          }
          return rows.iterator().next().getBoolean("room")
              ? Future.<Void>succeededFuture()
              : Future.<Void>failedFuture(new ConflictException("event_full", Msg.of("checkin.walkIn.full")));
        })
        .compose(v -> registrations.register(eventId, input, idempotencyKey, RegistrationService.Source.WALK_IN))
        .compose(r -> {
          if (r.duplicate()) {
            return Future.failedFuture(new ConflictException("already_registered", Msg.of("checkin.walkIn.duplicate")));
          }
          if (!"confirmed".equals(r.status())) {
            return registrations.remove(eventId, r.id())
                .compose(v -> Future.failedFuture(new ConflictException("event_full", Msg.of("checkin.walkIn.full"))));
          }
          return scan(new Scan(eventId, null, null, r.id(), deviceId, staffId, null,
              idempotencyKey == null ? null : "walk-in:" + idempotencyKey, false, "walk_in"))
              .compose(admitted -> sessionId == null
                  ? Future.succeededFuture(admitted)
                  : scan(new Scan(eventId, sessionId, null, r.id(), deviceId, staffId, null, null, false, "walk_in")));
        });
  }
}
