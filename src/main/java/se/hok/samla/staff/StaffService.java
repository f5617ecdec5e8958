package se.hok.samla.staff;

import com.password4j.Password;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.FieldChecks;
import se.hok.samla.web.Msg;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.Tokens;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Staff accounts, passwords (Argon2id) and API tokens. All SQL about staff lives here. */
public final class StaffService {
  private static final Logger log = LoggerFactory.getLogger(StaffService.class);
  static final Duration TOKEN_LIFETIME = Duration.ofDays(30);

  /**
   * How long a checked API token is believed without asking the database again. A door device sends a request per
   * scan; without this each one would write last_used_at. A role change, deactivation, revocation or sign-out clears
   * this instance's entries at once (and deletes the tokens), and every other instance's as soon as it hears of it
   * ({@link StaffChanges}); this time is what is left should that notice be lost.
   */
  static final Duration TOKEN_CACHE = Duration.ofSeconds(20);

  private final Vertx vertx;
  private final Pool pool;
  private final Cache<String, ApiCaller> tokens = Caffeine.newBuilder()
      .expireAfterWrite(TOKEN_CACHE).maximumSize(10_000).build();
  /** Verified against when the e-mail is unknown, so a wrong address takes as long as a wrong password. */
  private final String dummyHash;

  public StaffService(Vertx vertx, Pool pool) {
    this(vertx, pool, dummyHash());
  }

  /** @param dummyHash from {@link #dummyHash()}, made on a worker thread: an Argon2 hash takes a core for a while */
  public StaffService(Vertx vertx, Pool pool, String dummyHash) {
    this.vertx = vertx;
    this.pool = pool;
    this.dummyHash = dummyHash;
  }

  /** An Argon2id hash of no real password, for {@link #authenticate} to check unknown addresses against. Blocking. */
  public static String dummyHash() {
    return Password.hash("not-a-real-password").addRandomSalt().withArgon2().getResult();
  }

  /** The member with these credentials, if the password matches and the account is active. */
  Future<Optional<StaffMember>> authenticate(String email, String password) {
    if (email == null || password == null || password.length() > 1000) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("select id, email, name, role, active, password_hash from staff_user where lower(email) = lower($1)")
        .execute(Tuple.of(email.strip()))
        .compose(rows -> {
          Row row = rows.size() == 1 ? rows.iterator().next() : null;
          String hash = row == null ? dummyHash : row.getString("password_hash");
          return vertx.executeBlocking(() -> Password.check(password, hash).withArgon2())
              .map(ok -> ok && row != null && row.getBoolean("active") ? Optional.of(member(row)) : Optional.<StaffMember>empty());
        });
  }

  Future<Optional<StaffMember>> byId(long id) {
    return pool.preparedQuery("select id, email, name, role, active from staff_user where id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 1 ? Optional.of(member(rows.iterator().next())) : Optional.empty());
  }

  Future<List<StaffMember>> list() {
    return pool.query("select id, email, name, role, active from staff_user order by active desc, lower(name)")
        .execute()
        .map(rows -> {
          List<StaffMember> out = new ArrayList<>();
          rows.forEach(r -> out.add(member(r)));
          return out;
        });
  }

  /** Creates an account; the e-mail must be new. */
  Future<StaffMember> create(String email, String name, String password, String roleCode) {
    return Passwords.check(vertx, password, email, name).compose(weak -> create(email, name, password, roleCode, weak));
  }

  private Future<StaffMember> create(String email, String name, String password, String roleCode, Optional<Msg> weak) {
    FieldChecks checks = FieldChecks.forForm("staff");
    String cleanEmail = checks.email("email", email, true);
    String cleanName = checks.text("name", name, true, 200);
    Role role = Role.parse(roleCode);
    if (role == null) {
      checks.add("role", "error.staff.role");
    }
    weak.ifPresent(problem -> checks.add("password", problem.key(), problem.args()));
    try {
      checks.throwIfAny();
    } catch (se.hok.samla.web.ValidationException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> Password.hash(password).addRandomSalt().withArgon2().getResult())
        .compose(hash -> pool.preparedQuery(
                "insert into staff_user (email, name, password_hash, role) values ($1, $2, $3, $4) "
                    + "returning id, email, name, role, active")
            .execute(Tuple.of(cleanEmail, cleanName, hash, role.code())))
        .map(rows -> member(rows.iterator().next()))
        .recover(e -> isUniqueViolation(e)
            ? Future.failedFuture(new se.hok.samla.web.ValidationException(
                java.util.Map.of("email", Msg.of("error.staff.emailTaken"))))
            : Future.failedFuture(e));
  }

  /**
   * Forgets, here and on every instance, what is remembered of the member's API tokens (after they were deleted, or
   * the member's role or account changed).
   */
  void forgetTokensOf(long staffId) {
    dropTokensOf(staffId);
    StaffChanges.announce(pool, StaffChanges.member(staffId));
  }

  void dropTokensOf(long staffId) {
    tokens.asMap().values().removeIf(m -> m.member().id() == staffId);
  }

  void dropTokens(java.util.Set<Long> ids) {
    tokens.asMap().values().removeIf(c -> ids.contains(c.tokenId()));
  }

  void dropAllTokens() {
    tokens.invalidateAll();
  }

  /** Changes role and active flag; an admin cannot demote or deactivate themselves (someone must stay admin). */
  Future<Void> update(long actorId, long id, String roleCode, boolean active) {
    Role role = Role.parse(roleCode);
    if (role == null) {
      return Future.failedFuture(se.hok.samla.web.ValidationException.of("role", "error.staff.role"));
    }
    if (actorId == id && (role != Role.ADMIN || !active)) {
      return Future.failedFuture(new ConflictException("own_account", Msg.of("error.staff.ownAccount")));
    }
    return pool.preparedQuery("update staff_user set role = $2, active = $3 where id = $1")
        .execute(Tuple.of(id, role.code(), active))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            return Future.failedFuture(new NotFoundException("staff member"));
          }
          // A new role or a closed account takes effect at once, on every instance (here before the tokens go).
          dropTokensOf(id);
          if (!active) {
            return pool.preparedQuery("delete from api_token where staff_user_id = $1").execute(Tuple.of(id))
                .<Void>mapEmpty().onSuccess(v -> forgetTokensOf(id));
          }
          forgetTokensOf(id);
          return Future.succeededFuture();
        });
  }

  /**
   * Creates the first admin from SAMLA_ADMIN_EMAIL / SAMLA_ADMIN_PASSWORD when there is no admin yet.
   * Returns the password when one was generated (to print once), empty otherwise.
   */
  public Future<Optional<String>> bootstrapAdmin(String email, Optional<String> password) {
    return pool.query("select count(*) from staff_user where role = 'admin' and active").execute()
        .compose(rows -> {
          if (rows.iterator().next().getLong(0) > 0) {
            return Future.succeededFuture(Optional.empty());
          }
          String pw = password.orElseGet(StaffService::generatePassword);
          return vertx.executeBlocking(() -> Password.hash(pw).addRandomSalt().withArgon2().getResult())
              .compose(hash -> pool.preparedQuery(
                      "insert into staff_user (email, name, password_hash, role) values ($1, 'Administratör', $2, 'admin') "
                          + "on conflict (lower(email)) do update set password_hash = excluded.password_hash, role = 'admin', active = true")
                  .execute(Tuple.of(email, hash)))
              .map(r -> password.isPresent() ? Optional.<String>empty() : Optional.of(pw));
        });
  }

  /** A new API token with every right of this member; only its hash is stored. */
  Future<String> issueToken(long staffId) {
    return issueToken(staffId, TOKEN_LIFETIME);
  }

  /** A full token that expires sooner (or, in tests, already has). */
  Future<String> issueToken(long staffId, Duration lifetime) {
    return insertToken(staffId, lifetime, null, null);
  }

  /**
   * A door device's token: only the check-in operations of this one event ({@link EventAccess}), deleted when the
   * web sign-in {@code signIn} signs out ({@link #revokeSignIn}) or the account is closed.
   */
  public Future<String> issueDoorToken(long staffId, long eventId, String signIn, Duration lifetime) {
    return insertToken(staffId, lifetime, eventId, signIn);
  }

  private Future<String> insertToken(long staffId, Duration lifetime, Long doorEventId, String signIn) {
    String token = "samla_" + Tokens.random(32);
    OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(lifetime);
    return pool.preparedQuery("insert into api_token (staff_user_id, token_hash, expires_at, scope, event_id, sign_in) "
            + "values ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(staffId, Buffer.buffer(Tokens.sha256(token)), expires, doorEventId == null ? "full" : "door",
            doorEventId, signIn))
        .map(token);
  }

  /** An API token as its owner (or an admin) sees it: never the secret, which is not stored. */
  public record TokenInfo(long id, OffsetDateTime createdAt, OffsetDateTime lastUsedAt, OffsetDateTime expiresAt,
                          String scope, Long eventId, boolean thisSignIn) {
    public boolean door() {
      return "door".equals(scope);
    }
  }

  /** The member's tokens that still work, newest first; {@code signIn} marks those of the caller's own web sign-in. */
  Future<List<TokenInfo>> tokensOf(long staffId, String signIn) {
    return pool.preparedQuery("""
            select id, created_at, last_used_at, expires_at, scope, event_id, sign_in is not null and sign_in = $2 as mine
            from api_token where staff_user_id = $1 and expires_at > now() order by created_at desc, id desc limit 500""")
        .execute(Tuple.of(staffId, signIn))
        .map(rows -> {
          List<TokenInfo> out = new ArrayList<>();
          rows.forEach(r -> out.add(new TokenInfo(r.getLong("id"), r.getOffsetDateTime("created_at"),
              r.getOffsetDateTime("last_used_at"), r.getOffsetDateTime("expires_at"), r.getString("scope"),
              r.getLong("event_id"), Boolean.TRUE.equals(r.getBoolean("mine")))));
          return out;
        });
  }

  /** How many working tokens each member has (the admin's staff list). */
  Future<java.util.Map<Long, Long>> tokenCounts() {
    return pool.query("select staff_user_id, count(*) from api_token where expires_at > now() group by staff_user_id")
        .execute()
        .map(rows -> {
          java.util.Map<Long, Long> out = new java.util.HashMap<>();
          rows.forEach(r -> out.put(r.getLong(0), r.getLong(1)));
          return out;
        });
  }

  /** Revokes one token of this member; false when the member has no such token. Takes effect at once here. */
  Future<Boolean> revokeToken(long staffId, long tokenId) {
    return deleteTokens("delete from api_token where staff_user_id = $1 and id = $2 returning id", Tuple.of(staffId, tokenId))
        .map(n -> n > 0);
  }

  /** Revokes every token of this member. */
  Future<Integer> revokeAll(long staffId) {
    return deleteTokens("delete from api_token where staff_user_id = $1 returning id", Tuple.of(staffId));
  }

  /** Signing out ends the door tokens that sign-in issued. */
  Future<Integer> revokeSignIn(String signIn) {
    if (signIn == null) {
      return Future.succeededFuture(0);
    }
    return deleteTokens("delete from api_token where sign_in = $1 returning id", Tuple.of(signIn));
  }

  /** Someone taken off an event's staff loses the door tokens they had for it. */
  Future<Integer> revokeDoorTokens(long staffId, long eventId) {
    return deleteTokens("delete from api_token where staff_user_id = $1 and event_id = $2 returning id",
        Tuple.of(staffId, eventId));
  }

  /** Deletes tokens and forgets them at once, in this instance's cache and every other's ({@link StaffChanges}). */
  private Future<Integer> deleteTokens(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      java.util.Set<Long> ids = new java.util.HashSet<>();
      rows.forEach(r -> ids.add(r.getLong("id")));
      if (!ids.isEmpty()) {
        dropTokens(ids);
        StaffChanges.announce(pool, StaffChanges.tokens(ids));
      }
      return ids.size();
    });
  }

  /**
   * Deletes API tokens that have expired. Every opening of a door page issues one (16 hours), so without this they
   * would pile up for good. Expired tokens never authenticate anyway ({@link #byToken}); this only removes them.
   */
  Future<Integer> deleteExpiredTokens() {
    return pool.query("delete from api_token where expires_at < now()").execute().map(rows -> rows.rowCount());
  }

  /** Deletes expired API tokens now and then every hour. */
  public void scheduleTokenCleanup() {
    Runnable run = () -> deleteExpiredTokens().onFailure(e -> log.warn("Deleting expired API tokens failed; will try again", e));
    vertx.setTimer(5_000, t -> run.run());
    vertx.setPeriodic(3_600_000, t -> run.run());
  }

  /** Who a bearer token speaks for, and how far: empty for an unknown, expired or revoked token or a closed account. */
  Future<Optional<ApiCaller>> byToken(String token) {
    byte[] hash = Tokens.sha256(token);
    String key = java.util.HexFormat.of().formatHex(hash);
    ApiCaller cached = tokens.getIfPresent(key);
    if (cached != null) {
      return Future.succeededFuture(Optional.of(cached));
    }
    return pool.preparedQuery(
            "update api_token t set last_used_at = now() from staff_user u "
                + "where t.token_hash = $1 and t.expires_at > now() and u.id = t.staff_user_id and u.active "
                + "returning u.id, u.email, u.name, u.role, u.active, t.id as token_id, t.event_id")
        .execute(Tuple.of(Buffer.buffer(hash)))
        .map(rows -> {
          if (rows.size() != 1) {
            return Optional.<ApiCaller>empty();
          }
          Row r = rows.iterator().next();
          ApiCaller caller = new ApiCaller(member(r), r.getLong("token_id"), r.getLong("event_id"));
          tokens.put(key, caller);
          return Optional.of(caller);
        });
  }

  /** Active accounts that can work at an event (organisers, door staff, admins), for the event's staff page. */
  Future<List<StaffMember>> eventStaffCandidates() {
    return pool.query("select id, email, name, role, active from staff_user "
            + "where active and role in ('admin', 'organiser', 'checkin') order by lower(name), id")
        .execute()
        .map(rows -> {
          List<StaffMember> out = new ArrayList<>();
          rows.forEach(r -> out.add(member(r)));
          return out;
        });
  }

  static String generatePassword() {
    return Tokens.random(15);
  }

  private static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  private static StaffMember member(Row r) {
    return new StaffMember(r.getLong("id"), r.getString("email"), r.getString("name"),
        Role.parse(r.getString("role")), r.getBoolean("active"));
  }
}
