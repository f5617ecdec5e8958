package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * All SQL of the mail package lives here, one statement per method, as the project's rule "SQL in one place per
 * feature" asks: the outbox (written, leased, settled, retried, resent, listed), the queueing of reminders and the
 * event title on the status page. The other classes decide when and why a statement runs; this one says how.
 *
 * <p>Static methods take the caller's {@link SqlClient}: they run on the connection of the caller's transaction,
 * never on the pool, so what they write exists if and only if the caller's change does. Instance methods are
 * single statements on the pool, each its own transaction.
 */
final class MailStore {
  /** How many events' organiser alerts one statement gathers at most. */
  private static final int ALERT_BATCH = 50;
  private final Pool pool;

  MailStore(Pool pool) {
    this.pool = pool;
  }

  /** An outbox row as the worker leases it. */
  record OutboxRow(long id, String kind, Long eventId, UUID registrationId, JsonObject payload, int attempts,
                   OffsetDateTime createdAt) {}

  /**
   * An outbox row as the organiser's status page shows it: the address it went to, else the registration's (none
   * for the organiser's "needs to book" e-mail until it has gone: it is written to the organiser, whoever it lists).
   * {@code participant}: the registration whose address the row shows, null when it shows none of a participant.
   */
  record StatusRow(long id, String kind, String recipient, UUID participant, int attempts, String lastError,
                   OffsetDateTime createdAt, OffsetDateTime sentAt, String outcome, OffsetDateTime failedAt) {}

  /** One outbox row, on the caller's connection. */
  static Future<Void> addToOutbox(SqlClient conn, String kind, Long eventId, UUID registrationId, JsonObject payload) {
    return conn.preparedQuery("insert into outbox (kind, event_id, registration_id, payload) values ($1, $2, $3, $4)")
        .execute(Tuple.of(kind, eventId, registrationId, payload))
        .mapEmpty();
  }

  /**
   * Queues the organiser's "needs to book" e-mails that are due, in one statement: for each event with needs not yet
   * alerted (organiser tasks not done, alerted_at null) and no such e-mail queued within {@code every}, the event row
   * is claimed with SKIP LOCKED (two instances never gather one event twice), its tasks are marked alerted and one
   * outbox row lists them per registration. Sign-ups only write their tasks, so no sign-up waits for another's alert.
   * Returns how many e-mails were queued.
   */
  Future<Integer> gatherOrganiserAlerts(Duration every) {
    return gatherOrganiserAlerts(pool, every);
  }

  /**
   * Every event's new organiser tasks into e-mails now, with no pause between two e-mails of an event, waiting for a
   * gathering in progress elsewhere (another instance, this one's timer) rather than passing its events by: the
   * events with new tasks are locked first, in one transaction with the gathering. When it returns, every task that
   * was new when it was called is in an e-mail. Returns how many e-mails were queued.
   */
  Future<Integer> gatherAllOrganiserAlertsNow() {
    return pool.withTransaction(conn -> conn.query("""
            select id from event
            where id in (select event_id from organiser_task where alerted_at is null and done_at is null)
            order by id for no key update""")
        .execute()
        .compose(locked -> gatherEveryOrganiserAlert(conn)));
  }

  private static Future<Integer> gatherEveryOrganiserAlert(SqlClient conn) {
    return gatherOrganiserAlerts(conn, Duration.ZERO).compose(n -> n < ALERT_BATCH ? Future.succeededFuture(n)
        : gatherEveryOrganiserAlert(conn).map(more -> n + more));
  }

  private static Future<Integer> gatherOrganiserAlerts(SqlClient client, Duration every) {
    return client.preparedQuery("""
            with due as (
              select e.id from event e
              where e.id in (select t.event_id from organiser_task t where t.alerted_at is null and t.done_at is null)
                and not exists (select 1 from outbox o where o.kind = 'organiser_alert' and o.event_id = e.id
                                  and o.created_at > now() - make_interval(secs => $1))
              order by e.id limit $2
              for no key update skip locked),
            taken as (
              update organiser_task t set alerted_at = now() from due
              where t.event_id = due.id and t.alerted_at is null and t.done_at is null
              returning t.event_id, t.registration_id, t.need_code),
            per_registration as (
              select event_id, registration_id, jsonb_agg(need_code order by need_code) as needs
              from taken group by event_id, registration_id)
            insert into outbox (kind, event_id, payload)
            select 'organiser_alert', event_id, jsonb_build_object('alerts',
              jsonb_agg(jsonb_build_object('registration', registration_id, 'needs', needs)))
            from per_registration group by event_id""")
        .execute(Tuple.of((double) every.toSeconds(), ALERT_BATCH))
        .map(rows -> rows.rowCount());
  }

  /**
   * One outbox row of this kind per registration still on the event (confirmed or waiting, not erased), on the
   * caller's connection; returns how many were written.
   */
  static Future<Integer> addToOutboxForEveryone(SqlClient conn, String kind, long eventId) {
    return conn.preparedQuery("""
            insert into outbox (kind, event_id, registration_id)
            select $1, event_id, id from registration
            where event_id = $2 and status in ('confirmed', 'waitlisted') and erased_at is null""")
        .execute(Tuple.of(kind, eventId))
        .map(rows -> rows.rowCount());
  }

  /** See {@link Outbox#noticeChanges}. */
  static Future<int[]> noticeChanges(SqlClient conn, long eventId, JsonObject everyone, JsonObject confirmed,
                                     JsonObject sessions, io.vertx.core.json.JsonArray notes, Duration delay) {
    return conn.preparedQuery("""
            with regs as (
              select r.id, r.status,
                $2::jsonb
                || case when r.status = 'confirmed' then $3::jsonb else '{}'::jsonb end
                || coalesce((select jsonb_object_agg('session:' || c.key, c.value) from jsonb_each($4::jsonb) c
                             join registration_session rs on rs.registration_id = r.id and rs.session_id = c.key::bigint),
                            '{}'::jsonb) as changes
              from registration r
              where r.event_id = $1 and r.status in ('confirmed', 'waitlisted') and r.erased_at is null
                and (r.email is not null or r.contact_id is not null)),
            told as (select id, status, changes from regs where changes <> '{}'::jsonb),
            merged as (
              update outbox o set
                payload = jsonb_build_object(
                  'changes', t.changes || coalesce(o.payload -> 'changes', '{}'::jsonb),
                  'notes', coalesce(o.payload -> 'notes', '[]'::jsonb) || $5::jsonb),
                available_at = now() + make_interval(secs => $6)
              from told t
              where o.registration_id = t.id and o.event_id = $1 and o.kind = 'event_changed'
                and o.sent_at is null and o.failed_at is null
                and (o.leased_until is null or o.leased_until <= now())
              returning o.registration_id),
            added as (
              insert into outbox (kind, event_id, registration_id, payload, available_at)
              select 'event_changed', $1, t.id, jsonb_build_object('changes', t.changes, 'notes', $5::jsonb),
                now() + make_interval(secs => $6)
              from told t where t.id not in (select registration_id from merged))
            select count(*) filter (where status = 'confirmed') as confirmed,
              count(*) filter (where status = 'waitlisted') as waitlisted
            from told""")
        .execute(Tuple.of(eventId, everyone, confirmed, sessions, notes, delay.toMillis() / 1000.0))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new int[] {r.getLong("confirmed").intValue(), r.getLong("waitlisted").intValue()};
        });
  }

  /** One outbox row unless one of this kind was queued for the registration within the interval; whether it was. */
  static Future<Boolean> addUnlessQueuedWithin(SqlClient conn, String kind, long eventId, UUID registrationId,
                                               Duration interval) {
    return conn.preparedQuery("""
            insert into outbox (kind, event_id, registration_id, payload)
            select $1, $2, $3, jsonb_build_object('requestedAt', now())
            where not exists (select 1 from outbox where registration_id = $3 and kind = $1
                                and created_at > now() - make_interval(secs => $4))""")
        .execute(Tuple.of(kind, eventId, registrationId, (double) interval.toSeconds()))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * The e-mail to a contact person about the people they signed up ({@code group_contact}, payload {@code contact}):
   * always when {@code always}, else unless one was queued for the contact within {@code interval}. The caller locks
   * the contact's row first. Returns whether it was queued.
   */
  static Future<Boolean> addForContact(SqlClient conn, long eventId, UUID contactId, boolean always, Duration interval) {
    return conn.preparedQuery("""
            insert into outbox (kind, event_id, payload)
            select 'group_contact', $1, jsonb_build_object('contact', $2::text, 'requestedAt', now())
            where $3 or not exists (select 1 from outbox where kind = 'group_contact' and payload ->> 'contact' = $2::text
                                      and created_at > now() - make_interval(secs => $4))""")
        .execute(Tuple.of(eventId, contactId.toString(), always, (double) interval.toSeconds()))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Every row of these registrations, sent or not; and their entries in the organiser's gathered alerts of their
   * events (an entry names a registration and the needs it stated), taken out of the list, the rest left as it is.
   * The alerts are rewritten after the registrations' organiser tasks are gone (see Erasure), so an alert being
   * gathered meanwhile has committed and is seen here.
   */
  static Future<Void> deleteOfRegistrations(SqlClient conn, List<UUID> registrationIds) {
    UUID[] ids = registrationIds.toArray(UUID[]::new);
    String[] idTexts = registrationIds.stream().map(UUID::toString).toArray(String[]::new);
    return conn.preparedQuery("delete from outbox where registration_id = any($1)")
        .execute(Tuple.tuple().addArrayOfUUID(ids))
        .compose(v -> conn.preparedQuery("""
                update outbox o set payload = jsonb_set(o.payload, '{alerts}', coalesce(
                  (select jsonb_agg(a.alert order by a.n) from jsonb_array_elements(o.payload -> 'alerts') with ordinality a (alert, n)
                   where not coalesce(a.alert ->> 'registration' = any($2), false)), '[]'::jsonb))
                where o.kind = 'organiser_alert' and jsonb_typeof(o.payload -> 'alerts') = 'array'
                  and o.event_id in (select event_id from registration where id = any($1))
                  and exists (select 1 from jsonb_array_elements(o.payload -> 'alerts') a (alert)
                              where a.alert ->> 'registration' = any($2))""")
            .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(idTexts)))
        .mapEmpty();
  }

  /** The e-mails to these group contacts, sent or not. */
  static Future<Void> deleteOfContacts(SqlClient conn, List<UUID> contactIds) {
    if (contactIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery("delete from outbox where kind = 'group_contact' and payload ->> 'contact' = any($1)")
        .execute(Tuple.tuple().addArrayOfString(contactIds.stream().map(UUID::toString).toArray(String[]::new)))
        .mapEmpty();
  }

  /** Rows settled longer ago than {@code age}: sent or skipped (sent_at), or given up (failed_at). */
  static Future<Integer> deleteSettledBefore(SqlClient conn, Duration age) {
    return conn.preparedQuery("""
            delete from outbox where (sent_at is not null or failed_at is not null)
              and coalesce(sent_at, failed_at) < now() - make_interval(secs => $1)""")
        .execute(Tuple.of((double) age.toSeconds()))
        .map(rows -> rows.rowCount());
  }

  /** The lease ($1 rows at most, for $2 seconds); its plan is pinned by MailLeaseTest. */
  static final String LEASE = """
      with picked as materialized (
        select id from outbox where sent_at is null and failed_at is null and available_at <= now()
        order by id limit $1 for update skip locked)
      update outbox o set available_at = now() + make_interval(secs => $2),
        leased_until = now() + make_interval(secs => $2), attempts = attempts + 1
      where o.id = any(array(select id from picked))
      returning o.id, o.kind, o.event_id, o.registration_id, o.payload, o.attempts, o.created_at""";

  /**
   * Leases up to {@code batch} due rows for {@code lease} and counts the attempt, in one statement. FOR UPDATE
   * SKIP LOCKED: two workers never take the same row; a worker that dies mid-send gives the row back when the
   * lease runs out. The rows are picked once, in a materialized CTE: as {@code id in (select … limit n for update skip
   * locked)} PostgreSQL 15 may run the subquery again for each row it updates and lease more than {@code batch} (seen
   * as 12 leased of a batch of 5 while yielding to sign-ups). The update finds them by {@code id = any(array(…))}, an
   * index probe per row: as a join with the CTE, the pool's generic plan (which guesses a tenth of the table for
   * {@code limit $1}) hashed the whole outbox for every lease (100–200 ms a lease in the rush benchmark, 164,000 rows).
   * The rows come back in id order. {@code leased_until} marks the attempt as in progress (see {@link #resend}).
   */
  Future<List<OutboxRow>> lease(int batch, Duration lease) {
    return pool.preparedQuery(LEASE)
        .execute(Tuple.of(batch, lease.toMillis() / 1000.0))
        .map(rows -> {
          List<OutboxRow> out = new ArrayList<>();
          for (Row r : rows) {
            Object payload = r.getValue("payload");
            out.add(new OutboxRow(r.getLong("id"), r.getString("kind"), r.getLong("event_id"), r.getUUID("registration_id"),
                payload instanceof JsonObject j ? j : new JsonObject(), r.getInteger("attempts"),
                r.getOffsetDateTime("created_at")));
          }
          out.sort(Comparator.comparingLong(OutboxRow::id));
          return out;
        });
  }

  /** Extends the leases of rows whose message is still on its way. */
  Future<Void> renewLeases(List<Long> ids, Duration lease) {
    return pool.preparedQuery("""
            update outbox set available_at = now() + make_interval(secs => $2),
              leased_until = now() + make_interval(secs => $2)
            where id = any($1) and sent_at is null and failed_at is null""")
        .execute(Tuple.of(ids.toArray(Long[]::new), lease.toMillis() / 1000.0))
        .mapEmpty();
  }

  /** Gives leased rows back, due at once; the interrupted attempt does not count. */
  Future<Void> releaseLeases(List<Long> ids) {
    return pool.preparedQuery("""
            update outbox set available_at = now(), leased_until = null, attempts = greatest(attempts - 1, 0)
            where id = any($1) and sent_at is null and failed_at is null""")
        .execute(Tuple.of(ids.toArray(Long[]::new)))
        .mapEmpty();
  }

  /** Settles a row for good: sent (with its Message-ID and recipient) or skipped (both null). */
  Future<Void> markSettled(long id, String outcome, String messageId, String recipient) {
    return pool.preparedQuery("update outbox set sent_at = now(), outcome = $2, message_id = $3, recipient = $4, "
            + "last_error = null, leased_until = null where id = $1")
        .execute(Tuple.of(id, outcome, messageId, recipient))
        .mapEmpty();
  }

  /**
   * Records a failed attempt: the row is due again after {@code retryIn}, or, when {@code giveUp}, marked failed
   * (for the organiser to see and resend) and not tried again. A row settled meanwhile (its lease had been given back
   * and another worker sent it) stays as it is.
   */
  Future<Void> markAttemptFailed(long id, String error, boolean giveUp, Duration retryIn) {
    return pool.preparedQuery("""
            update outbox set last_error = $2, leased_until = null,
              available_at = case when $3 then available_at else now() + make_interval(secs => $4) end,
              failed_at = case when $3 then now() else null end,
              outcome = case when $3 then 'failed' else null end
            where id = $1 and sent_at is null and failed_at is null""")
        .execute(Tuple.of(id, error, giveUp, retryIn.toMillis() / 1000.0))
        .mapEmpty();
  }

  /**
   * Queues the reminders that are due, in one statement: up to 20 due events are claimed with SKIP LOCKED and
   * marked as reminded while their confirmed registrations get an outbox row, so two instances never queue an
   * event twice. Returns how many e-mails were queued.
   */
  Future<Integer> queueDueReminders() {
    return pool.query("""
            with due as (
              select id from event
              where status = 'published' and reminder_queued_at is null and reminder_days > 0
                and starts_at > now() and starts_at - make_interval(days => reminder_days) <= now()
              order by starts_at limit 20
              for update skip locked),
            marked as (update event set reminder_queued_at = now() from due where event.id = due.id returning event.id)
            insert into outbox (kind, event_id, registration_id)
            select 'reminder', r.event_id, r.id from registration r join marked m on m.id = r.event_id
            where r.status = 'confirmed' and r.erased_at is null""")
        .execute()
        .map(rows -> rows.rowCount());
  }

  /** The event's Swedish title, or empty when there is no such event. */
  Future<Optional<String>> eventTitle(long eventId) {
    return pool.preparedQuery("select title_sv from event where id = $1").execute(Tuple.of(eventId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("title_sv")));
  }

  /** The event's e-mail for its organiser: failed first, then waiting, then settled; newest first; at most 500. */
  Future<List<StatusRow>> outboxOfEvent(long eventId) {
    return pool.preparedQuery("""
            select o.id, o.kind, shown.recipient,
              case when o.kind <> 'organiser_alert' and shown.recipient is not null then o.registration_id end as participant,
              o.attempts, o.last_error, o.created_at, o.sent_at, o.outcome, o.failed_at
            from outbox o left join registration r on r.id = o.registration_id
              -- Someone signed up by a contact person is written to at the contact's address, as is the contact's own mail.
              left join group_contact c on c.id::text = coalesce(r.contact_id::text, o.payload ->> 'contact')
              cross join lateral (select case when o.kind = 'organiser_alert' then o.recipient
                                         else coalesce(o.recipient, r.email, c.email) end as recipient) shown
            where o.event_id = $1
            order by (o.failed_at is null), (o.sent_at is not null), o.id desc limit 500""")
        .execute(Tuple.of(eventId))
        .map(rows -> {
          List<StatusRow> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new StatusRow(r.getLong("id"), r.getString("kind"), r.getString("recipient"), r.getUUID("participant"),
                r.getInteger("attempts"), r.getString("last_error"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("sent_at"), r.getString("outcome"), r.getOffsetDateTime("failed_at")));
          }
          return out;
        });
  }

  // ------------------------------------------------------------------------------------------------
  // Messages to participants
  // ------------------------------------------------------------------------------------------------

  /** Who a message goes to; {@code SESSION} with a session's id. */
  enum Audience {
    CONFIRMED("confirmed"), WAITLISTED("waitlisted"), SESSION("session"), CHECKED_IN("checked_in"),
    NOT_CHECKED_IN("not_checked_in");

    final String code;

    Audience(String code) {
      this.code = code;
    }

    static Audience parse(String code) {
      for (Audience a : values()) {
        if (a.code.equals(code)) {
          return a;
        }
      }
      return null;
    }
  }

  /**
   * The registrations of an audience, as an SQL condition on {@code r} ($1 the event, $2 the audience's code, $3 the
   * session): on the event, not erased, with an address; confirmed (of one session: holding it), waiting, checked in
   * (attended, not cancelled since), or confirmed and not checked in.
   */
  private static final String AUDIENCE = """
      r.event_id = $1 and r.erased_at is null and (r.email is not null or r.contact_id is not null) and case $2
        when 'confirmed' then r.status = 'confirmed'
        when 'waitlisted' then r.status = 'waitlisted'
        when 'session' then r.status = 'confirmed' and exists (
          select 1 from registration_session rs where rs.registration_id = r.id and rs.session_id = $3)
        when 'checked_in' then r.status <> 'cancelled' and exists (select 1 from attendance a where a.registration_id = r.id)
        when 'not_checked_in' then r.status = 'confirmed'
          and not exists (select 1 from attendance a where a.registration_id = r.id)
        else false end""";

  /** A message as its organiser wrote it; the English text is optional. */
  record Message(long id, long eventId, String audience, Long sessionId, String subjectSv, String bodySv,
                 String subjectEn, String bodyEn, int recipients, OffsetDateTime createdAt) {
    /** English for those who chose English, when the organiser wrote it in English too; else Swedish. */
    se.hok.samla.web.Lang lang(se.hok.samla.registration.Registration r) {
      boolean english = subjectEn != null && !subjectEn.isBlank() && bodyEn != null && !bodyEn.isBlank();
      return english && "en".equals(r.language()) ? se.hok.samla.web.Lang.EN : se.hok.samla.web.Lang.SV;
    }
  }

  /** A message and how its e-mails are doing: sent, waiting (or being sent), failed, not needed any more. */
  record MessageStatus(Message message, int sent, int waiting, int failed, int skipped) {}

  /** The outcome of sending a message: its id and how many it went to; {@code again}: the form was sent before. */
  record Queued(long id, int recipients, boolean again) {}

  /**
   * How many people each audience has now: "confirmed", "waitlisted", "checked_in", "not_checked_in" and
   * "session:ID" for each session of the event. Counts only, nobody's name.
   */
  Future<java.util.Map<String, Integer>> audienceSizes(long eventId) {
    return pool.preparedQuery("""
            select count(*) filter (where r.status = 'confirmed') as confirmed,
              count(*) filter (where r.status = 'waitlisted') as waitlisted,
              count(*) filter (where r.status <> 'cancelled' and a.registration_id is not null) as checked_in,
              count(*) filter (where r.status = 'confirmed' and a.registration_id is null) as not_checked_in,
              (select coalesce(jsonb_object_agg(s.id, (select count(*) from registration_session rs join registration x
                 on x.id = rs.registration_id where rs.session_id = s.id and x.status = 'confirmed' and x.erased_at is null
                 and (x.email is not null or x.contact_id is not null))), '{}'::jsonb) from event_session s where s.event_id = $1) as sessions
            from registration r left join attendance a on a.registration_id = r.id
            where r.event_id = $1 and r.erased_at is null and (r.email is not null or r.contact_id is not null)""")
        .execute(Tuple.of(eventId))
        .map(rows -> {
          Row r = rows.iterator().next();
          java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
          for (String a : List.of("confirmed", "waitlisted", "checked_in", "not_checked_in")) {
            out.put(a, r.getLong(a).intValue());
          }
          Object sessions = r.getValue("sessions");
          JsonObject bySession = sessions instanceof JsonObject j ? j : new JsonObject(String.valueOf(sessions));
          bySession.forEach(e -> out.put("session:" + e.getKey(), ((Number) e.getValue()).intValue()));
          return out;
        });
  }

  /**
   * Stores a message and writes one outbox row per person of its audience, in one transaction: each gets their own
   * e-mail (no one sees another's address), sent and retried like all mail. The form's key makes it once: a form sent
   * again gets the first sending's answer and nothing more is written. An audience with nobody in it stores nothing and
   * is a field error ({@code audience}). A session that is not the event's names nobody.
   */
  Future<Queued> queueMessage(long eventId, String key, Audience audience, Long sessionId, String subjectSv, String bodySv,
                              String subjectEn, String bodyEn, Long staffId) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            insert into participant_message (event_id, idempotency_key, audience, session_id, subject_sv, body_sv,
              subject_en, body_en, recipients, created_by)
            select $1, $2, $3, (select id from event_session where id = $4 and event_id = $1), $5, $6, $7, $8, 0, $9
            where exists (select 1 from event where id = $1)
            on conflict (event_id, idempotency_key) do nothing
            returning id""")
        .execute(Tuple.from(new Object[] {eventId, key, audience.code, sessionId, subjectSv, bodySv, subjectEn, bodyEn,
            staffId}))
        .compose(inserted -> {
          if (inserted.size() == 0) {
            return conn.preparedQuery("select id, recipients from participant_message where event_id = $1 and idempotency_key = $2")
                .execute(Tuple.of(eventId, key))
                .map(rows -> {
                  if (rows.size() == 0) {
                    throw new se.hok.samla.web.NotFoundException("event " + eventId);
                  }
                  Row first = rows.iterator().next();
                  return new Queued(first.getLong("id"), first.getInteger("recipients"), true);
                });
          }
          long id = inserted.iterator().next().getLong("id");
          return conn.preparedQuery("insert into outbox (kind, event_id, registration_id, payload) "
                  + "select 'message', $1, r.id, jsonb_build_object('message', $4::bigint) from registration r where "
                  + AUDIENCE)
              .execute(Tuple.of(eventId, audience.code, sessionId, id))
              .compose(rows -> {
                int n = rows.rowCount();
                if (n == 0) {
                  return Future.failedFuture(se.hok.samla.web.ValidationException.of("audience", "message.error.nobody"));
                }
                return conn.preparedQuery("update participant_message set recipients = $2 where id = $1")
                    .execute(Tuple.of(id, n)).map(new Queued(id, n, false));
              });
        }));
  }

  /** A session of the event, to write to its participants. */
  record SessionChoice(long id, String title, OffsetDateTime startsAt, OffsetDateTime endsAt) {}

  Future<List<SessionChoice>> sessions(long eventId) {
    return pool.preparedQuery("select id, title_sv, starts_at, ends_at from event_session where event_id = $1 order by starts_at, title_sv")
        .execute(Tuple.of(eventId))
        .map(rows -> {
          List<SessionChoice> out = new ArrayList<>();
          rows.forEach(r -> out.add(new SessionChoice(r.getLong("id"), r.getString("title_sv"), r.getOffsetDateTime("starts_at"),
              r.getOffsetDateTime("ends_at"))));
          return out;
        });
  }

  /** A message of the event, for the e-mail that brings it. */
  Future<Optional<Message>> message(long id) {
    return pool.preparedQuery("select * from participant_message where id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(message(rows.iterator().next())));
  }

  /** The event's messages, newest first, with how their e-mails are doing. */
  Future<List<MessageStatus>> messagesOfEvent(long eventId) {
    return pool.preparedQuery("""
            select m.*,
              count(o.id) filter (where o.outcome = 'sent') as sent,
              count(o.id) filter (where o.sent_at is null and o.failed_at is null) as waiting,
              count(o.id) filter (where o.failed_at is not null) as failed,
              count(o.id) filter (where o.outcome = 'skipped') as skipped
            from participant_message m
            left join outbox o on o.event_id = m.event_id and o.kind = 'message' and o.resend_of is null
              and o.payload ->> 'message' = m.id::text
            where m.event_id = $1
            group by m.id order by m.id desc limit 100""")
        .execute(Tuple.of(eventId))
        .map(rows -> {
          List<MessageStatus> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new MessageStatus(message(r), r.getLong("sent").intValue(), r.getLong("waiting").intValue(),
                r.getLong("failed").intValue(), r.getLong("skipped").intValue()));
          }
          return out;
        });
  }

  private static Message message(Row r) {
    return new Message(r.getLong("id"), r.getLong("event_id"), r.getString("audience"), r.getLong("session_id"),
        r.getString("subject_sv"), r.getString("body_sv"), r.getString("subject_en"), r.getString("body_en"),
        r.getInteger("recipients"), r.getOffsetDateTime("created_at"));
  }

  /** What "Skicka igen" did (see {@link #resend}). */
  enum Resend {
    /** The mail was waiting for its next attempt: it goes out now, still once. */
    DUE_NOW,
    /** The mail is being sent at this moment: nothing to do. */
    SENDING,
    /** The mail had failed or was not needed: a new copy is queued. */
    COPY,
    /** The mail had been sent already: a new copy is queued, and the page says so. */
    COPY_OF_SENT,
    /** A copy of this mail is already waiting (a second click): no other copy is made. */
    COPY_WAITING
  }

  /**
   * "Skicka igen" on a mail of the event; empty when the event has no such mail. A mail still waiting is made due
   * now rather than copied, so it goes out once; a mail that was sent or failed gets one new row (a new Message-ID:
   * it is a new message), and at most one unsent copy at a time however often the button is pressed
   * ({@code outbox_one_pending_resend}).
   */
  Future<Optional<Resend>> resend(long mailId, long eventId) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            select sent_at is not null as sent, failed_at is not null as failed,
              coalesce(leased_until > now(), false) as sending
            from outbox where id = $1 and event_id = $2 for update""")
        .execute(Tuple.of(mailId, eventId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<Resend>empty());
          }
          Row mail = rows.iterator().next();
          boolean sent = mail.getBoolean("sent");
          if (!sent && !mail.getBoolean("failed")) {
            return mail.getBoolean("sending") ? Future.succeededFuture(Optional.of(Resend.SENDING))
                : conn.preparedQuery("update outbox set available_at = now() where id = $1").execute(Tuple.of(mailId))
                    .map(Optional.of(Resend.DUE_NOW));
          }
          return conn.preparedQuery("""
                  insert into outbox (kind, event_id, registration_id, payload, resend_of)
                  select kind, event_id, registration_id, payload, id from outbox where id = $1
                  on conflict (resend_of) where sent_at is null and failed_at is null do nothing
                  returning id""")
              .execute(Tuple.of(mailId))
              .map(inserted -> Optional.of(inserted.size() == 0 ? Resend.COPY_WAITING
                  : sent ? Resend.COPY_OF_SENT : Resend.COPY));
        }));
  }
}
