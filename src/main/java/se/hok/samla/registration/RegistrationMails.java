package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The e-mails registration queues and forgets, as registration needs them from their owner, mail (Main hands in
 * {@code mail.Outbox.REGISTRATION_MAILS}, as it hands {@code EVENT_MAILS} to events). Every method runs on the
 * caller's connection, so a mail exists if and only if the change that wrote it does. Kept here so that mail may read
 * registrations to write its e-mails without registration depending on mail.
 */
public interface RegistrationMails {
  /** One e-mail of this kind about a registration. */
  Future<Void> add(SqlClient conn, String kind, Long eventId, UUID registrationId, JsonObject payload);

  /** One e-mail of this kind unless one was queued for the registration within {@code interval}; whether it was. */
  Future<Boolean> addUnlessQueuedWithin(SqlClient conn, String kind, long eventId, UUID registrationId, Duration interval);

  /** The e-mail to a contact person with the tickets and links of the people they signed up; whether it was queued. */
  Future<Boolean> addForContact(SqlClient conn, long eventId, UUID contactId, boolean always, Duration interval);

  /** Erasure: every e-mail of these registrations, sent or not. */
  Future<Void> forget(SqlClient conn, List<UUID> registrationIds);

  /** Erasure of group contacts: the e-mails written to them. */
  Future<Void> forgetContacts(SqlClient conn, List<UUID> contactIds);

  /** Retention: the record of e-mails settled longer ago than {@code age}; how many. */
  Future<Integer> forgetSettledBefore(SqlClient conn, Duration age);
}
