package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The mail package's SQL, one statement per method, so the rule "SQL in one place per feature" holds for mail
 * and the other classes only decide when and why a statement runs.
 *
 * <p>Static methods take the caller's {@link SqlClient}: they run on the connection of the caller's transaction,
 * never on the pool, so what they write exists if and only if the caller's change does.
 */
final class MailStore {
  private MailStore() {}

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
}
