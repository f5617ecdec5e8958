package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues the reminder e-mail of each published event its set number of days before it starts, once: the event
 * row is claimed with SKIP LOCKED and marked in the same statement that writes the outbox rows, so two
 * instances never queue it twice (the statement is {@link MailStore#queueDueReminders}). Registrations confirmed
 * later get their ticket mail, which says the same.
 */
public final class Reminders {
  private static final Logger log = LoggerFactory.getLogger(Reminders.class);

  private final MailStore store;

  public Reminders(Pool pool) {
    this.store = new MailStore(pool);
  }

  public void schedule(Vertx vertx) {
    vertx.setPeriodic(60_000, t -> queueDue().onFailure(e -> log.warn("Could not queue reminders; will try again", e)));
  }

  /** Queues the reminders that are due; returns how many e-mails were queued. */
  Future<Integer> queueDue() {
    return store.queueDueReminders();
  }
}
