package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;

/**
 * The e-mails a change to an event queues, on the connection of the transaction that makes the change (so the mail
 * exists if and only if the change does). The outbox belongs to the mail feature, which renders these mails from the
 * event and so uses this one: it implements this interface ({@code Outbox.EVENT_MAILS}) and Main hands it in.
 */
public interface EventMails {
  /** One mail of this kind to everyone still registered for the event (confirmed or waiting); returns how many. */
  Future<Integer> toEveryone(SqlClient conn, String kind, long eventId);

  /**
   * The "Ändrat" e-mail of a change to the event (see {@link ChangeNotices}): the changes in {@code everyone} concern
   * all still registered, those in {@code confirmed} the confirmed only, a session's (keyed by its id) those who chose
   * it; a notice still waiting takes the new changes in and waits {@code delay} again. Returns how many confirmed and
   * how many waiting people are told.
   */
  Future<int[]> noticeChanges(SqlClient conn, long eventId, JsonObject everyone, JsonObject confirmed,
                              JsonObject sessions, JsonArray notes, Duration delay);
}
