package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Writing to the outbox: always with the connection of the transaction that makes the change, so the mail
 * exists if and only if the change does. {@link MailWorker} sends what is written here.
 */
public final class Outbox {
  private Outbox() {}

  public static Future<Void> add(SqlClient conn, String kind, Long eventId, UUID registrationId, JsonObject payload) {
    return conn.preparedQuery("insert into outbox (kind, event_id, registration_id, payload) values ($1, $2, $3, $4)")
        .execute(Tuple.of(kind, eventId, registrationId, payload))
        .mapEmpty();
  }

  /** One mail of this kind to everyone still registered for the event (confirmed or waiting). */
  public static Future<Integer> addForEveryone(SqlClient conn, String kind, long eventId) {
    return conn.preparedQuery("""
            insert into outbox (kind, event_id, registration_id)
            select $1, event_id, id from registration
            where event_id = $2 and status in ('confirmed', 'waitlisted') and erased_at is null""")
        .execute(Tuple.of(kind, eventId))
        .map(rows -> rows.rowCount());
  }
}
