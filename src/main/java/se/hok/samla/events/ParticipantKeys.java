package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;

/**
 * The pseudonymous participant keys that let the follow-up count the same person across the years of an action-plan
 * period without keeping who they are: HMAC-SHA-256 of the normalised e-mail address (lower case, trimmed) under a
 * secret of the period ({@code plan_period_secret}), computed inside PostgreSQL by the function {@code participant_key}
 * (sql/V23), so the secret never leaves the database in normal work. The sign-up writes the key with the registration
 * (registration.RegistrationService, one column of its insert); retention erases the address and leaves the key;
 * the person's own erasure deletes it (registration.Erasure); closing the period deletes the secret and every key of it
 * ({@link ActionPlan#close}). The column is registration's, but what is in it is the plan's: this class keeps it in
 * step when periods, events or secrets change.
 */
final class ParticipantKeys {
  /** HMAC's block size for SHA-256; the key K is 32 random bytes, padded with zeros to the block. */
  private static final int BLOCK = 64;
  private static final int KEY_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ParticipantKeys() {}

  /** A new secret for an open period that has none (made once; a second instance's insert changes nothing). */
  static Future<Void> createSecret(SqlClient db, long periodId) {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    byte[] inner = new byte[BLOCK];
    byte[] outer = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      byte k = i < KEY_BYTES ? key[i] : 0;
      inner[i] = (byte) (k ^ 0x36);
      outer[i] = (byte) (k ^ 0x5c);
    }
    java.util.Arrays.fill(key, (byte) 0);
    return db.preparedQuery("""
            insert into plan_period_secret (period_id, inner_pad, outer_pad)
            select id, $2, $3 from plan_period where id = $1 and closed_at is null
            on conflict (period_id) do nothing""")
        .execute(Tuple.of(periodId, Buffer.buffer(inner), Buffer.buffer(outer)))
        .mapEmpty();
  }

  /** Every open period gets its secret (periods made by the migration have none yet). */
  static Future<Void> createMissingSecrets(SqlClient db) {
    return db.query("""
            select p.id from plan_period p
            where p.closed_at is null and not exists (select 1 from plan_period_secret s where s.period_id = p.id)""")
        .execute()
        .compose(rows -> {
          Future<Void> chain = Future.succeededFuture();
          for (var row : rows) {
            long id = row.getLong(0);
            chain = chain.compose(v -> createSecret(db, id));
          }
          return chain;
        });
  }

  /**
   * Brings every key in step with the periods: registrations that still have their address get the key of their
   * event's period (none without a period), and registrations of events in a closed period have none. Returns how many
   * registrations changed. Run at start (keys for registrations made before a period existed: the backfill), after a
   * period is made or changed, and hourly with retention (a sign-up that raced with the closing of its period).
   */
  static Future<Integer> refresh(SqlClient db) {
    return db.query("""
            update registration r set participant_key = participant_key(r.event_id, r.email)
            where r.erased_at is null and r.email is not null
              and r.participant_key is distinct from participant_key(r.event_id, r.email)""")
        .execute()
        .compose(computed -> db.query("""
                update registration r set participant_key = null
                from event_plan_period ep join plan_period p on p.id = ep.period_id
                where ep.event_id = r.event_id and p.closed_at is not null and r.participant_key is not null""")
            .execute()
            .map(forgotten -> computed.rowCount() + forgotten.rowCount()));
  }

  /** The keys of one event's registrations that still have their address, after the event moved in time or plan. */
  static Future<Void> refreshEvent(SqlClient db, long eventId) {
    return db.preparedQuery("""
            update registration set participant_key = participant_key(event_id, email)
            where event_id = $1 and erased_at is null and email is not null
              and participant_key is distinct from participant_key(event_id, email)""")
        .execute(Tuple.of(eventId))
        .mapEmpty();
  }

  /** Deletes the keys of a period's registrations (closing it); returns how many there were. */
  static Future<Integer> forget(SqlClient db, long periodId) {
    return db.preparedQuery("""
            update registration r set participant_key = null
            from event_plan_period ep
            where ep.event_id = r.event_id and ep.period_id = $1 and r.participant_key is not null""")
        .execute(Tuple.of(periodId))
        .map(rows -> rows.rowCount());
  }
}
