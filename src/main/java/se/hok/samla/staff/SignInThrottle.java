package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import se.hok.samla.config.Limits;
import se.hok.samla.web.ClientAddress;
import se.hok.samla.web.Lang;
import se.hok.samla.web.RateLimiter;
import se.hok.samla.web.TooManyRequestsException;

/**
 * The brake on guessing passwords, for the login page and the token endpoint alike. Every attempt takes a token from
 * two buckets – the account's (by the e-mail typed, whether or not it exists, so the answer reveals nothing) and
 * the client address's – before the password is even checked, so parallel guesses count too. A correct password
 * gives both tokens back: successful sign-ins cost nothing, but never refill what failures used up, so signing in to
 * one's own account between guesses at another does not help an attacker. With several bands per limit the wait
 * grows with the failures (a few a minute, fewer an hour, fewer a day). When an account's bucket first refuses, its
 * owner is told by e-mail, once until they next sign in.
 */
public final class SignInThrottle {
  static final String ACCOUNT = "signin-account";
  static final String CLIENT = "signin-client";

  private final RateLimiter limiter;
  private final Limits limits;
  private final StaffService staff;
  private final Pool pool;
  private final StaffMailQueue mails;

  public SignInThrottle(RateLimiter limiter, Limits limits, StaffService staff, Pool pool, StaffMailQueue mails) {
    this.limiter = limiter;
    this.limits = limits;
    this.staff = staff;
    this.pool = pool;
    this.mails = mails;
  }

  /**
   * The member with these credentials, as {@link StaffService#authenticate}, unless this client or account has failed
   * too often lately: then fails with {@link TooManyRequestsException} without looking at the password.
   */
  Future<Optional<StaffMember>> authenticate(RoutingContext ctx, String email, String password) {
    String client = ClientAddress.of(ctx);
    String account = account(email);
    Lang lang = Lang.of(ctx);
    return limiter.take(CLIENT, limits.signInPerClient(), client).compose(byClient -> {
      if (!byClient.allowed()) {
        return Future.failedFuture(tooMany(byClient.retryAfter()));
      }
      return limiter.take(ACCOUNT, limits.signInPerAccount(), account).compose(byAccount -> {
        if (!byAccount.allowed()) {
          // This attempt never happened: the client's token goes back, and the owner hears of the lock.
          return limiter.giveBack(CLIENT, limits.signInPerClient(), client)
              .compose(v -> tellOwnerOnce(account, lang))
              .compose(v -> Future.failedFuture(tooMany(byAccount.retryAfter())));
        }
        return staff.authenticate(email, password).compose(found -> found.isEmpty()
            ? Future.succeededFuture(found)
            : Future.join(limiter.giveBack(CLIENT, limits.signInPerClient(), client),
                    limiter.giveBack(ACCOUNT, limits.signInPerAccount(), account),
                    pool.preparedQuery("update staff_user set lockout_notified_at = null where id = $1 and lockout_notified_at is not null")
                        .execute(Tuple.of(found.get().id())))
                .map(found));
      });
    });
  }

  /** Verifies a signed-in member's current password (e.g. before a new one), counting failures like a sign-in. */
  Future<Boolean> verify(RoutingContext ctx, StaffMember member, String password) {
    return authenticate(ctx, member.email(), password).map(found -> found.filter(m -> m.id() == member.id()).isPresent());
  }

  /** After its owner has chosen a new password through a reset link, the account is no longer held back. */
  Future<Void> release(String email) {
    return limiter.forget(ACCOUNT, limits.signInPerAccount(), account(email));
  }

  /**
   * One e-mail to the owner of an existing, active account, the first time its bucket refuses; not again until a
   * successful sign-in clears the mark (and not more than once a day however often that happens).
   */
  private Future<Void> tellOwnerOnce(String account, Lang lang) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            update staff_user set lockout_notified_at = now()
            where lower(email) = $1 and active
              and (lockout_notified_at is null or lockout_notified_at < now() - interval '1 day')
            returning id""")
        .execute(Tuple.of(account))
        .compose(rows -> rows.size() == 0 ? Future.<Void>succeededFuture()
            : mails.add(conn, StaffMails.ACCOUNT_LOCKED, new JsonObject()
                .put("staffId", rows.iterator().next().getLong("id")).put("language", lang.code()))));
  }

  private static String account(String email) {
    return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
  }

  private static TooManyRequestsException tooMany(Duration wait) {
    return new TooManyRequestsException(wait, "signin.tooMany");
  }
}
