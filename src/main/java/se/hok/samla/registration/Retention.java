package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.registration.RegistrationService;

/**
 * Erases participants' personal data ({@link Erasure}, keeping what the follow-up counts) when it is due: a configurable
 * number of days after their event has ended, and right after an organiser removed the registration, once no e-mail of
 * it is waiting any more (the cancellation has gone, or given up). Also forgets what is kept only for a while: outbox
 * rows settled more than {@link #SENT_MAIL_DAYS} days ago (the addresses they went to), idempotency keys older than
 * {@link #REQUEST_KEY_HOURS} hours, and manage links that no longer work.
 * Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of instances can run it side by side. The audit log's
 * rows go after a year ({@link AuditLog#deleteExpired}), claimed the same way.
 */
public final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  private static final int BATCH = 200;
  private static final long EVERY_MS = 3600_000L;
  /** How long the record of a sent e-mail (with the address it went to) is kept. */
  static final int SENT_MAIL_DAYS = 30;
  /** How long an Idempotency-Key is a retry marker; a retry later than this is a new request. */
  static final int REQUEST_KEY_HOURS = 24;

  private final Pool pool;
  private final int days;
  private final AuditLog audit;
  private final java.time.Clock clock;
  private final RegistrationMails mails;

  public Retention(Pool pool, int days, RegistrationMails mails) {
    this(pool, days, java.time.Clock.systemUTC(), mails);
  }

  /** {@code clock} says when "now" is for the events' ends (Samla's clock, as sign-up and follow-up use it). */
  public Retention(Pool pool, int days, java.time.Clock clock, RegistrationMails mails) {
    this.pool = pool;
    this.mails = mails;
    this.days = days;
    this.audit = new AuditLog(pool);
    this.clock = clock;
  }

  /** Runs now and then every hour, with the deletion of audit rows older than a year. */
  public void schedule(Vertx vertx) {
    vertx.setTimer(5_000, t -> runLogged());
    vertx.setPeriodic(EVERY_MS, t -> runLogged());
  }

  private void runLogged() {
    runOnce().onSuccess(n -> {
      if (n > 0) {
        log.info("Erased the personal data of {} registrations (events ended more than {} days ago, or removed by an organiser)", n, days);
      }
    }).onFailure(e -> log.warn("Retention run failed; it will try again", e));
    audit.deleteExpired().onSuccess(n -> {
      if (n > 0) {
        log.info("Deleted {} audit rows older than {} days", n, AuditLog.KEEP_DAYS);
      }
    }).onFailure(e -> log.warn("Deleting old audit rows failed; it will try again", e));
  }

  /** Erases everything that is due, batch by batch, then forgets what is kept only for a while; returns how many registrations were erased. */
  public Future<Integer> runOnce() {
    return erase().compose(n -> forget().map(n));
  }

  private Future<Integer> erase() {
    return batch().compose(n -> n < BATCH ? Future.succeededFuture(n) : erase().map(rest -> n + rest));
  }

  private Future<Integer> batch() {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            select r.id from registration r join event e on e.id = r.event_id
            where r.erased_at is null
              and (e.ends_at < $3::timestamptz - make_interval(days => $1)
                   or (r.erase_requested_at is not null and not exists (
                         select 1 from outbox o where o.registration_id = r.id and o.sent_at is null and o.failed_at is null)))
            order by r.id limit $2
            for update of r skip locked""")
        .execute(Tuple.of(days, BATCH, java.time.OffsetDateTime.now(clock)))
        .compose(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getUUID("id")));
          return Erasure.erase(conn, mails, ids, Erasure.Extent.KEEP_COUNTS).map(ids.size());
        }));
  }

  private Future<Void> forget() {
    return pool.withTransaction(conn -> mails.forgetSettledBefore(conn, Duration.ofDays(SENT_MAIL_DAYS))
        .compose(v -> conn.preparedQuery("delete from registration_request where created_at < now() - make_interval(hours => $1)")
            .execute(Tuple.of(REQUEST_KEY_HOURS)))
        .compose(v -> conn.preparedQuery("""
                delete from manage_token t using registration r, event e
                where r.id = t.registration_id and e.id = r.event_id and e.ends_at < now() - make_interval(days => $1)""")
            .execute(Tuple.of(RegistrationService.LINK_DAYS_AFTER_EVENT)))
        .mapEmpty());
  }
}
