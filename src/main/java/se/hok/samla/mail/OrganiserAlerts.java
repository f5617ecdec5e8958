package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The organiser's "needs to book" e-mails, gathered: a sign-up or change only writes its organiser tasks; every few
 * seconds the new tasks of each event become one e-mail, at most one per event per {@code every}
 * (SAMLA_ORGANISER_ALERT_MINUTES), so 30 sign-ups with interpreter needs make one or two e-mails, not 30. The first
 * new need of a quiet event is told within seconds. The statement is {@link MailStore#gatherOrganiserAlerts}.
 */
public final class OrganiserAlerts {
  private static final Logger log = LoggerFactory.getLogger(OrganiserAlerts.class);
  private static final long PERIOD_MS = 5_000;

  private final MailStore store;
  private final Duration every;

  public OrganiserAlerts(Pool pool, Duration every) {
    this.store = new MailStore(pool);
    this.every = every;
  }

  public void schedule(Vertx vertx) {
    vertx.setPeriodic(PERIOD_MS, t -> gatherDue().onFailure(e -> log.warn("Could not gather organiser alerts; will try again", e)));
  }

  /** Queues the alerts that are due; returns how many e-mails were queued. */
  Future<Integer> gatherDue() {
    return store.gatherOrganiserAlerts(every);
  }

  /**
   * Queues every new task of every event now, whatever the pause between two e-mails, and waits for a gathering in
   * progress elsewhere (another instance, or the timer) instead of passing it by: when it returns, every task that
   * was new when it was called is in an e-mail. What a test runs so as not to depend on when the timer fires.
   */
  public Future<Integer> gatherAllNow() {
    return store.gatherAllOrganiserAlertsNow();
  }
}
