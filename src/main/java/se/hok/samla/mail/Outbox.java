package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import se.hok.samla.events.EventMails;
import se.hok.samla.registration.RegistrationMails;

/**
 * Writing to the outbox: always with the connection of the transaction that makes the change, so the mail
 * exists if and only if the change does. {@link MailWorker} sends what is written here. This is the other
 * packages' way in; the statements themselves are in {@link MailStore}.
 */
public final class Outbox {
  /** The e-mails of changes to events, as the events feature queues them (Main hands this in to EventService). */
  public static final EventMails EVENT_MAILS = new EventMails() {
    @Override
    public Future<Integer> toEveryone(SqlClient conn, String kind, long eventId) {
      return addForEveryone(conn, kind, eventId);
    }

    @Override
    public Future<int[]> noticeChanges(SqlClient conn, long eventId, JsonObject everyone, JsonObject confirmed,
                                       JsonObject sessions, JsonArray notes, Duration delay) {
      return Outbox.noticeChanges(conn, eventId, everyone, confirmed, sessions, notes, delay);
    }
  };

  /** The e-mails registration queues and forgets (Main hands this in to the registration feature). */
  public static final RegistrationMails REGISTRATION_MAILS = new RegistrationMails() {
    @Override
    public Future<Void> add(SqlClient conn, String kind, Long eventId, UUID registrationId, JsonObject payload) {
      return Outbox.add(conn, kind, eventId, registrationId, payload);
    }

    @Override
    public Future<Boolean> addUnlessQueuedWithin(SqlClient conn, String kind, long eventId, UUID registrationId,
                                                 Duration interval) {
      return Outbox.addUnlessQueuedWithin(conn, kind, eventId, registrationId, interval);
    }

    @Override
    public Future<Boolean> addForContact(SqlClient conn, long eventId, UUID contactId, boolean always, Duration interval) {
      return Outbox.addForContact(conn, eventId, contactId, always, interval);
    }

    @Override
    public Future<Void> forget(SqlClient conn, List<UUID> registrationIds) {
      return Outbox.forget(conn, registrationIds);
    }

    @Override
    public Future<Void> forgetContacts(SqlClient conn, List<UUID> contactIds) {
      return Outbox.forgetContacts(conn, contactIds);
    }

    @Override
    public Future<Integer> forgetSettledBefore(SqlClient conn, Duration age) {
      return Outbox.forgetSettledBefore(conn, age);
    }
  };

  private Outbox() {}

  public static Future<Void> add(SqlClient conn, String kind, Long eventId, UUID registrationId, JsonObject payload) {
    return MailStore.addToOutbox(conn, kind, eventId, registrationId, payload);
  }

  /** A mail to a staff member (not about a registration): what it says is looked up when it is written. */
  public static Future<Void> addForStaff(SqlClient conn, String kind, JsonObject payload) {
    return MailStore.addToOutbox(conn, kind, null, null, payload);
  }

  /**
   * One mail of this kind, unless one was queued for the registration within {@code interval}; payload
   * {@code requestedAt} is when it was asked for (the database's time). Returns whether it was queued. The caller
   * locks the registration row first when two requests at once must not both queue it.
   */
  public static Future<Boolean> addUnlessQueuedWithin(SqlClient conn, String kind, long eventId, UUID registrationId,
                                                       Duration interval) {
    return MailStore.addUnlessQueuedWithin(conn, kind, eventId, registrationId, interval);
  }

  /**
   * The one e-mail to a contact person with the tickets and manage links of the people they signed up: queued when the
   * group brought someone new ({@code always}), else – the same people signed up again – at most once per
   * {@code interval}. The caller locks the contact first. Returns whether it was queued.
   */
  public static Future<Boolean> addForContact(SqlClient conn, long eventId, UUID contactId, boolean always,
                                              Duration interval) {
    return MailStore.addForContact(conn, eventId, contactId, always, interval);
  }

  /**
   * Erasure: every outbox row of these registrations, sent or not (recipient, payload and errors with them), and their
   * entries in the organiser's gathered alerts. Run after their organiser tasks are deleted.
   */
  public static Future<Void> forget(SqlClient conn, List<UUID> registrationIds) {
    return MailStore.deleteOfRegistrations(conn, registrationIds);
  }

  /** Erasure of group contacts: the e-mails written to these contacts (deleted), sent or not. */
  public static Future<Void> forgetContacts(SqlClient conn, List<UUID> contactIds) {
    return MailStore.deleteOfContacts(conn, contactIds);
  }

  /** Retention: rows settled (sent, skipped or given up) longer ago than {@code age}; returns how many. */
  public static Future<Integer> forgetSettledBefore(SqlClient conn, Duration age) {
    return MailStore.deleteSettledBefore(conn, age);
  }

  /**
   * The "Ändrat" e-mail ({@code event_changed}) of a change to the event, on the caller's connection (the edit's
   * transaction, which holds the event row's lock, so edits of one event come here one at a time). Each registration
   * still on the event (confirmed or waiting, not erased, with an address) that a change concerns gets one: the changes
   * in {@code everyone} concern all of them, those in {@code confirmed} the confirmed only, a session's (keyed by its
   * id) those who chose it. Each change is stored with what it was before. A notice of the registration still waiting
   * (not leased by a worker at this moment) takes the new changes in (keeping the first "before" of each) and the
   * note, and waits {@code delay} again; else a new one waits {@code delay}. Returns how many confirmed and how many
   * waiting people are told.
   */
  static Future<int[]> noticeChanges(SqlClient conn, long eventId, JsonObject everyone, JsonObject confirmed,
                                            JsonObject sessions, JsonArray notes, Duration delay) {
    return MailStore.noticeChanges(conn, eventId, everyone, confirmed, sessions, notes, delay);
  }

  /** One mail of this kind to everyone still registered for the event (confirmed or waiting). */
  static Future<Integer> addForEveryone(SqlClient conn, String kind, long eventId) {
    return MailStore.addToOutboxForEveryone(conn, kind, eventId);
  }
}
