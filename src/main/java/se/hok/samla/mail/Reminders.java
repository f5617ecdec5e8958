package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues the reminder e-mail of each published event its set number of days before it starts, once: the event
 * row is claimed with SKIP LOCKED and marked in the same statement that writes the outbox rows, so two
 * instances never queue it twice. Registrations confirmed later get their ticket mail, which says the same.
 */
public final class Reminders {
  private static final Logger log = LoggerFactory.getLogger(Reminders.class);

  private final Pool pool;

  public Reminders(Pool pool) {
    this.pool = pool;
  }

  public void schedule(Vertx vertx) {
    vertx.setPeriodic(60_000, t -> queueDue().onFailure(e -> log.warn("Could not queue reminders; will try again", e)));
  }

  /** Queues the reminders that are due; returns how many e-mails were queued. */
  public Future<Integer> queueDue() {
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
