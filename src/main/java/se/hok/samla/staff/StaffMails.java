package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Tokens;

/**
 * What the e-mails to staff members say about them, looked up when the mail is written (as every Samla e-mail is):
 * a reset link is made here, at that moment, so its token exists in plain text only in the e-mail itself.
 */
public final class StaffMails implements StaffNotices {
  /** Outbox kinds. */
  public static final String PASSWORD_RESET = "password_reset";
  public static final String ACCOUNT_LOCKED = "account_locked";

  private final Pool pool;
  private final String publicUrl;

  public StaffMails(Pool pool, String publicUrl) {
    this.pool = pool;
    this.publicUrl = publicUrl;
  }

  @Override
  public Future<Optional<StaffNotices.Notice>> notice(String kind, JsonObject payload) {
    return switch (kind) {
      case PASSWORD_RESET -> resetLink(payload.getLong("resetId"));
      case ACCOUNT_LOCKED -> locked(payload.getLong("staffId"), Lang.parse(payload.getString("language"), Lang.SV));
      default -> Future.failedFuture(new IllegalArgumentException("No staff e-mail of kind " + kind));
    };
  }

  /**
   * A fresh link for a reset that is still open (not used, asked for within a day, account active); it replaces the
   * token of any earlier rendering of the same mail and works for {@link PasswordResets#LINK_LIFETIME}.
   */
  private Future<Optional<StaffNotices.Notice>> resetLink(Long resetId) {
    if (resetId == null) {
      return Future.succeededFuture(Optional.empty());
    }
    String token = Tokens.random(32);
    return pool.preparedQuery("""
            update password_reset r set token_hash = $2, expires_at = now() + make_interval(secs => $3)
            from staff_user u
            where r.id = $1 and u.id = r.staff_user_id and u.active and r.used_at is null
              and r.created_at > now() - interval '1 day'
            returning u.email, u.name, r.language, r.requested_by is not null as by_admin""")
        .execute(Tuple.of(resetId, Buffer.buffer(Tokens.sha256(token)), (double) PasswordResets.LINK_LIFETIME.toSeconds()))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new StaffNotices.Notice(r.getString("email"), r.getString("name"),
              Lang.parse(r.getString("language"), Lang.SV), publicUrl + PasswordPages.RESET_PATH + token,
              r.getBoolean("by_admin")));
        });
  }

  private Future<Optional<StaffNotices.Notice>> locked(Long staffId, Lang lang) {
    if (staffId == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("select email, name from staff_user where id = $1 and active").execute(Tuple.of(staffId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new StaffNotices.Notice(
            rows.iterator().next().getString("email"), rows.iterator().next().getString("name"), lang,
            publicUrl + PasswordPages.FORGOT_PATH, false)));
  }
}
