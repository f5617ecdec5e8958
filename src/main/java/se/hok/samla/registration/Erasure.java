package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import se.hok.samla.followup.FeedbackService;

/**
 * What erasing a registration means, in one place, for the three ways it happens: the person's own erasure (manage
 * link), an organiser's removal and the retention job (both through {@link Retention}). Runs on the caller's
 * connection, inside the caller's transaction.
 *
 * <p>Afterwards nothing names the person: the registration keeps no name ("Raderad"), no address (a non-address
 * {@code raderad+ID@invalid}, which keeps the one-registration-per-address index satisfied), no phone, role or
 * consent; the free-text details of needs, the organiser's notes on its tasks and the feedback comments are gone; its manage and survey links, its
 * idempotency keys and every outbox row (recipient, payload and last error with them, sent or not) are deleted, and
 * so are their entries (registration and need codes) in the organiser's gathered "needs to book" e-mails. What
 * may stay is anonymous: the organisation, status and times, sessions, the ticket (its reference and signed code name
 * nobody), check-ins, the feedback rating – and, for the counts, which needs and diets there were
 * ({@link Extent#KEEP_COUNTS}), which then cannot be joined to any address, because none is left, and the
 * participant key (events.ParticipantKeys), a keyed hash that lets the follow-up count the person across the years of
 * the plan period without knowing who they are, until the period is closed. The person's own erasure
 * ({@link Extent#ALL}) deletes the key too: they asked to be forgotten, so they are not counted again.
 */
final class Erasure {
  private Erasure() {}

  /** How much goes besides the personal data. */
  public enum Extent {
    /**
     * The person asked: what they stated about themselves (needs, diet, the organiser's tasks for them) goes too, and
     * so does their participant key.
     */
    ALL,
    /**
     * Retention and an organiser's removal: which needs and diets there were stays, for the follow-up counts, and so
     * does the participant key.
     */
    KEEP_COUNTS
  }

  static Future<Void> erase(SqlClient conn, RegistrationMails mails, List<UUID> registrationIds, Extent extent) {
    if (registrationIds.isEmpty()) {
      return Future.succeededFuture();
    }
    Tuple ids = Tuple.tuple().addArrayOfUUID(registrationIds.toArray(UUID[]::new));
    boolean all = extent == Extent.ALL;
    return conn.preparedQuery("""
            update registration set name = 'Raderad', email = 'raderad+' || id || '@invalid', phone = null,
              role_title = null, consent_at = null, diet = case when $2 then '{}' else diet end,
              participant_key = case when $2 then null else participant_key end,
              erased_at = coalesce(erased_at, now()), updated_at = now()
            where id = any($1)""")
        .execute(Tuple.tuple().addArrayOfUUID(registrationIds.toArray(UUID[]::new)).addBoolean(all))
        .compose(v -> conn.preparedQuery(all
            ? "delete from registration_need where registration_id = any($1)"
            : "update registration_need set detail = null where registration_id = any($1) and detail is not null")
            .execute(ids))
        // A task's note is the organiser's free text about the person ("tolken Anna bokad åt Karin"): it goes even
        // when the task stays for the counts.
        .compose(v -> conn.preparedQuery(all
            ? "delete from organiser_task where registration_id = any($1)"
            : "update organiser_task set note = null where registration_id = any($1) and note is not null")
            .execute(ids))
        .compose(v -> conn.preparedQuery("delete from manage_token where registration_id = any($1)").execute(ids))
        .compose(v -> conn.preparedQuery("delete from registration_request where registration_id = any($1)").execute(ids))
        .compose(v -> mails.forget(conn, registrationIds))
        .compose(v -> FeedbackService.eraseComments(conn, registrationIds))
        .compose(v -> forgetContacts(conn, mails, ids));
  }

  /**
   * Unties the registrations from the contact person who signed them up; a contact left with nobody to manage is
   * deleted (name and address), with the e-mails written to it (through the outbox's owner, mail).
   */
  private static Future<Void> forgetContacts(SqlClient conn, RegistrationMails mails, Tuple ids) {
    return conn.preparedQuery("""
            with was as (
              select distinct contact_id from registration where id = any($1) and contact_id is not null),
            untied as (
              update registration set contact_id = null where id = any($1) and contact_id is not null returning id),
            unused as (
              select w.contact_id from was w
              where not exists (select 1 from registration x where x.contact_id = w.contact_id and not (x.id = any($1))))
            delete from group_contact c using unused u where c.id = u.contact_id returning c.id""")
        .execute(ids)
        .compose(rows -> {
          List<UUID> deleted = new ArrayList<>();
          rows.forEach(r -> deleted.add(r.getUUID("id")));
          return mails.forgetContacts(conn, deleted);
        });
  }
}
