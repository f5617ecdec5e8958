package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Tokens;
import se.hok.samla.web.ValidationException;

/**
 * New passwords: chosen by a signed-in member (current password required), or through a single-use link that is
 * valid for an hour, asked for on "Glömt lösenordet?" or sent by an admin. Either way the person's other web
 * sessions and all their API tokens end at once, so whoever knew the old password is out everywhere. All SQL about
 * resets and password changes lives here.
 */
public final class PasswordResets {
  static final Duration LINK_LIFETIME = Duration.ofHours(1);

  /** The person a valid reset link is for. */
  public record Holder(long staffId, String email, String name) {}

  private final Vertx vertx;
  private final Pool pool;
  private final StaffService staff;
  private final StaffMailQueue mails;

  public PasswordResets(Vertx vertx, Pool pool, StaffService staff, StaffMailQueue mails) {
    this.vertx = vertx;
    this.pool = pool;
    this.staff = staff;
    this.mails = mails;
  }

  /**
   * Queues a reset e-mail for the active account with this address, if there is one; nothing otherwise (the
   * caller's answer is the same either way). {@code requestedBy}: the admin who sent it, or null.
   */
  Future<Void> request(String email, Lang lang, Long requestedBy) {
    if (email == null || email.isBlank() || email.length() > 254) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(conn -> conn.preparedQuery("""
            insert into password_reset (staff_user_id, requested_by, language)
            select id, $2, $3 from staff_user where lower(email) = lower($1) and active
            returning id""")
        .execute(Tuple.of(email.strip(), requestedBy, lang.code()))
        .compose(rows -> rows.size() == 0 ? Future.<Void>succeededFuture()
            : mails.add(conn, StaffMails.PASSWORD_RESET,
                new JsonObject().put("resetId", rows.iterator().next().getLong("id")))));
  }

  /** The e-mail address of an account, for an admin sending a reset link; empty when there is no such account. */
  Future<Optional<String>> emailOf(long staffId) {
    return pool.preparedQuery("select email from staff_user where id = $1 and active").execute(Tuple.of(staffId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("email")));
  }

  /** Who the link is for, while it is unused, unexpired and the account active. */
  Future<Optional<Holder>> holder(String token) {
    if (!plausible(token)) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("""
            select u.id, u.email, u.name from password_reset r join staff_user u on u.id = r.staff_user_id
            where r.token_hash = $1 and r.used_at is null and r.expires_at > now() and u.active""")
        .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token))))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(holder(rows.iterator().next())));
  }

  /**
   * Sets the new password through the link: the link is used up in the same transaction (two tabs cannot both use
   * it), every other open reset of the person is dropped, and their sessions and API tokens end. Empty when the link
   * is not valid (any more); a weak password fails with a {@link ValidationException} and leaves the link unused.
   */
  Future<Optional<Holder>> reset(String token, String password) {
    return holder(token).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      Holder h = found.get();
      return acceptable(password, h.email(), h.name())
          .compose(ok -> Passwords.hash(vertx, password))
          .compose(hash -> pool.withTransaction(conn -> conn.preparedQuery("""
                  update password_reset set used_at = now()
                  where token_hash = $1 and used_at is null and expires_at > now() and staff_user_id = $2
                  returning id""")
              .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token)), h.staffId()))
              .compose(used -> used.size() == 0 ? Future.succeededFuture(Optional.<Holder>empty())
                  : setPassword(conn, h.staffId(), hash, null)
                      .compose(v -> conn.preparedQuery("delete from password_reset where staff_user_id = $1 and used_at is null")
                          .execute(Tuple.of(h.staffId())))
                      .map(Optional.of(h)))))
          .onSuccess(done -> done.ifPresent(d -> staff.forgetTokensOf(d.staffId())));
    });
  }

  /**
   * A signed-in member's new password (their current one already verified): their other web sessions (all but
   * {@code keepSession}) and all their API tokens end.
   */
  Future<Void> change(StaffMember member, String password, String keepSession) {
    return acceptable(password, member.email(), member.name())
        .compose(ok -> Passwords.hash(vertx, password))
        .compose(hash -> pool.withTransaction(conn -> setPassword(conn, member.id(), hash, keepSession)))
        .onSuccess(v -> staff.forgetTokensOf(member.id()));
  }

  private Future<Void> acceptable(String password, String email, String name) {
    return Passwords.check(vertx, password, email, name).compose(problem -> problem.isEmpty()
        ? Future.succeededFuture()
        : Future.failedFuture(new ValidationException(java.util.Map.of("password", problem.get()))));
  }

  private static Future<Void> setPassword(SqlConnection conn, long staffId, String hash, String keepSession) {
    return conn.preparedQuery("update staff_user set password_hash = $2, lockout_notified_at = null where id = $1")
        .execute(Tuple.of(staffId, hash))
        .compose(v -> conn.preparedQuery("delete from web_session where staff_user_id = $1 and id is distinct from $2")
            .execute(Tuple.of(staffId, keepSession)))
        .compose(v -> conn.preparedQuery("delete from api_token where staff_user_id = $1").execute(Tuple.of(staffId)))
        .mapEmpty();
  }

  /** Reset links are 43 URL-safe characters; anything else is not looked up. */
  private static boolean plausible(String token) {
    return token != null && token.length() == 43 && token.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
  }

  private static Holder holder(Row r) {
    return new Holder(r.getLong("id"), r.getString("email"), r.getString("name"));
  }
}
