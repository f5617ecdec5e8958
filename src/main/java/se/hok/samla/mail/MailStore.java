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
import java.util.UUID;

/**
 * The mail package's SQL, one statement per method, so the rule "SQL in one place per feature" holds for mail
 * and the other classes only decide when and why a statement runs.
 *
 * <p>Static methods take the caller's {@link SqlClient}: they run on the connection of the caller's transaction,
 * never on the pool, so what they write exists if and only if the caller's change does. Instance methods are
 * single statements on the pool, each its own transaction.
 */
final class MailStore {
  private final Pool pool;

  MailStore(Pool pool) {
    this.pool = pool;
  }

  /** An outbox row as the worker leases it. */
  record OutboxRow(long id, String kind, Long eventId, UUID registrationId, JsonObject payload, int attempts,
                   OffsetDateTime createdAt) {}

  /** One outbox row, on the caller's connection. */
  static Future<Void> addToOutbox(SqlClient conn, String kind, Long eventId, UUID registrationId, JsonObject payload) {
    return conn.preparedQuery("insert into outbox (kind, event_id, registration_id, payload) values ($1, $2, $3, $4)")
        .execute(Tuple.of(kind, eventId, registrationId, payload))
        .mapEmpty();
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

  /**
   * Leases up to {@code batch} due rows for {@code lease} and counts the attempt, in one statement. FOR UPDATE
   * SKIP LOCKED: two workers never take the same row; a worker that dies mid-send gives the row back when the
   * lease runs out. The rows come back in id order.
   */
  Future<List<OutboxRow>> lease(int batch, Duration lease) {
    return pool.preparedQuery("""
            update outbox set available_at = now() + make_interval(secs => $2), attempts = attempts + 1
            where id in (
              select id from outbox where sent_at is null and failed_at is null and available_at <= now()
              order by id limit $1 for update skip locked)
            returning id, kind, event_id, registration_id, payload, attempts, created_at""")
        .execute(Tuple.of(batch, (double) lease.toSeconds()))
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

  /** Settles a row for good: sent (with its Message-ID and recipient) or skipped (both null). */
  Future<Void> markSettled(long id, String outcome, String messageId, String recipient) {
    return pool.preparedQuery("update outbox set sent_at = now(), outcome = $2, message_id = $3, recipient = $4, "
            + "last_error = null where id = $1")
        .execute(Tuple.of(id, outcome, messageId, recipient))
        .mapEmpty();
  }

  /**
   * Records a failed attempt: the row is due again after {@code retryIn}, or, when {@code giveUp}, marked failed
   * (for the organiser to see and resend) and not tried again.
   */
  Future<Void> markAttemptFailed(long id, String error, boolean giveUp, Duration retryIn) {
    return pool.preparedQuery("""
            update outbox set last_error = $2,
              available_at = case when $3 then available_at else now() + make_interval(secs => $4) end,
              failed_at = case when $3 then now() else null end,
              outcome = case when $3 then 'failed' else null end
            where id = $1""")
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
}
