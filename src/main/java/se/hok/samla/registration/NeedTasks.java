package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import se.hok.samla.web.FieldChecks;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.ValidationException;

/**
 * The outcome of an organiser task (a need with a lead time): to book, booked, could not be arranged (with a note),
 * not needed any more. When a need is booked or cannot be arranged, the participant is told in one e-mail
 * ({@code need_outcome}, through the outbox, in the same transaction as the change); each outcome is told once, so a
 * double-clicked form, a re-sent API call or "booked → to book → booked" sends nothing more. A change of outcome
 * (booked, then it fell through) is news and is told.
 */
public final class NeedTasks {
  /** The states, in the order the organiser meets them. */
  public static final List<String> STATES = List.of("to_book", "booked", "unavailable", "not_needed");
  /** The states the participant is told of. */
  static final List<String> TOLD = List.of("booked", "unavailable");
  static final int NOTE_MAX = 1000;

  private final Pool pool;
  private final RegistrationMails mails;

  public NeedTasks(Pool pool, RegistrationMails mails) {
    this.pool = pool;
    this.mails = mails;
  }

  /** The task as changed: its state and whether an e-mail to the participant was queued by this change. */
  public record Changed(long id, String state, String note, boolean participantTold) {}

  /**
   * Sets a task of the event to {@code state}, with the organiser's note ({@code null} or blank: none). A task of
   * another event, or of a cancelled or erased registration, is not found. {@code stateField} and {@code noteField}
   * name the fields in errors.
   */
  Future<Changed> set(long eventId, long taskId, String state, String note, String stateField, String noteField) {
    FieldChecks checks = new FieldChecks();
    if (state == null || !STATES.contains(state)) {
      checks.add(stateField, "error.task.state");
    }
    String text = checks.text(noteField, note, false, NOTE_MAX);
    if (!checks.ok()) {
      try {
        checks.throwIfAny();
      } catch (ValidationException e) {
        return Future.failedFuture(e);
      }
    }
    return pool.withTransaction(conn -> conn.preparedQuery("""
            select t.id, t.registration_id, t.need_code, t.told_state, r.email
            from organiser_task t join registration r on r.id = t.registration_id
            where t.id = $1 and t.event_id = $2 and r.status <> 'cancelled' and r.erased_at is null
            for update of t""")
        .execute(Tuple.of(taskId, eventId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new NotFoundException("task"));
          }
          Row t = rows.iterator().next();
          UUID registrationId = t.getUUID("registration_id");
          boolean tell = TOLD.contains(state) && !state.equals(t.getString("told_state")) && t.getString("email") != null;
          return conn.preparedQuery("""
                  update organiser_task set state = $2, note = $3,
                    done_at = case when $2 = 'to_book' then null else coalesce(done_at, now()) end,
                    state_changed_at = now(), told_state = case when $4 then $2 else told_state end
                  where id = $1""")
              .execute(Tuple.of(taskId, state, text, tell))
              .compose(v -> tell
                  ? mails.add(conn, "need_outcome", eventId, registrationId,
                      new JsonObject().put("need", t.getString("need_code")).put("state", state))
                  : Future.<Void>succeededFuture())
              .map(v -> new Changed(taskId, state, text, tell));
        }));
  }
}
