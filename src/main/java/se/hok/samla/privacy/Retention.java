package se.hok.samla.privacy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.hok.samla.followup.FeedbackService;

/**
 * Erases participants' personal data a configurable number of days after their event has ended: name,
 * e-mail, phone, role, the free-text details of their needs, the comments of their feedback, their manage and
 * survey links and unsent mail. What stays is anonymous and is what follow-up counts: the organisation, the status,
 * which needs and diets there were, the feedback ratings.
 * Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of instances can run it side by side. The audit log's
 * rows go after a year ({@link AuditLog#deleteExpired}), claimed the same way.
 */
public final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  private static final int BATCH = 200;
  private static final long EVERY_MS = 3600_000L;

  private final Pool pool;
  private final int days;
  private final AuditLog audit;

  public Retention(Pool pool, int days) {
    this.pool = pool;
    this.days = days;
    this.audit = new AuditLog(pool);
  }

  /** Runs now and then every hour, with the deletion of audit rows older than a year. */
  public void schedule(Vertx vertx) {
    vertx.setTimer(5_000, t -> runLogged());
    vertx.setPeriodic(EVERY_MS, t -> runLogged());
  }

  private void runLogged() {
    runOnce().onSuccess(n -> {
      if (n > 0) {
        log.info("Erased the personal data of {} registrations whose events ended more than {} days ago", n, days);
      }
    }).onFailure(e -> log.warn("Retention run failed; it will try again", e));
    audit.deleteExpired().onSuccess(n -> {
      if (n > 0) {
        log.info("Deleted {} audit rows older than {} days", n, AuditLog.KEEP_DAYS);
      }
    }).onFailure(e -> log.warn("Deleting old audit rows failed; it will try again", e));
  }

  /** Erases everything that is due, batch by batch; returns how many registrations were erased. */
  public Future<Integer> runOnce() {
    return batch().compose(n -> n < BATCH ? Future.succeededFuture(n) : runOnce().map(rest -> n + rest));
  }

  private Future<Integer> batch() {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            with due as (
              select r.id from registration r join event e on e.id = r.event_id
              where r.erased_at is null and e.ends_at < now() - make_interval(days => $1)
              order by r.id limit $2
              for update of r skip locked)
            update registration r set name = 'Raderad', email = 'raderad+' || r.id || '@invalid', phone = null,
              role_title = null, consent_at = null, idempotency_key = null, erased_at = now(), updated_at = now()
            from due where r.id = due.id
            returning r.id""")
        .execute(Tuple.of(days, BATCH))
        .compose(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getUUID("id")));
          if (ids.isEmpty()) {
            return Future.succeededFuture(0);
          }
          Tuple idList = Tuple.of(ids.toArray(UUID[]::new));
          return conn.preparedQuery("update registration_need set detail = null where registration_id = any($1)").execute(idList)
              .compose(v -> conn.preparedQuery("delete from manage_token where registration_id = any($1)").execute(idList))
              .compose(v -> conn.preparedQuery("delete from outbox where registration_id = any($1) and sent_at is null").execute(idList))
              .compose(v -> FeedbackService.eraseComments(conn, ids))
              .map(ids.size());
        }));
  }
}
