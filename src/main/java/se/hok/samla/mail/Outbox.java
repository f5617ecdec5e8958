package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;

/**
 * Writing to the outbox: always with the connection of the transaction that makes the change, so the mail
 * exists if and only if the change does. {@link MailWorker} sends what is written here. This is the other
 * packages' way in; the statements themselves are in {@link MailStore}.
 */
public final class Outbox {
  private Outbox() {}

  public static Future<Void> add(SqlClient conn, String kind, Long eventId, UUID registrationId, JsonObject payload) {
    return MailStore.addToOutbox(conn, kind, eventId, registrationId, payload);
  }

  /** A mail to a staff member (not about a registration): what it says is looked up when it is written. */
  public static Future<Void> addForStaff(SqlClient conn, String kind, JsonObject payload) {
    return MailStore.addToOutbox(conn, kind, null, null, payload);
  }

  /** One mail of this kind to everyone still registered for the event (confirmed or waiting). */
  public static Future<Integer> addForEveryone(SqlClient conn, String kind, long eventId) {
    return MailStore.addToOutboxForEveryone(conn, kind, eventId);
  }
}
