package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;

/**
 * Queues an e-mail to a staff member on the connection of the transaction that makes the change, so the mail exists
 * if and only if the change does. The outbox belongs to the mail feature; Main hands its {@code Outbox::addForStaff}
 * in, so that staff, which every other feature uses, does not use the mail feature.
 */
@FunctionalInterface
public interface StaffMailQueue {
  Future<Void> add(SqlClient conn, String kind, JsonObject payload);
}
