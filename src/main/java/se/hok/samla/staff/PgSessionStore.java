package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.ext.web.sstore.impl.SharedDataSessionImpl;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Staff web sessions kept in PostgreSQL, so any instance can serve any request and a restart signs nobody out.
 * Uses Vert.x's own session serialisation; a write with a stale version is refused, as in the built-in stores.
 * Only sessions of signed-in staff are stored, with whose they are (so a new password can end the others).
 *
 * <p>A session that has a row is only ever updated, never inserted again: once its row is gone (signed out, ended by
 * a new password, expired) it stays gone. Vert.x writes a session back after each request that used it, when the
 * answer's headers go out and without waiting; a request still in flight when the same browser signs out (a page
 * the user left behind by clicking "Logga ut", or one a thief sends with a stolen cookie) would otherwise write the
 * row back after the sign-out had deleted it, and the cookie would work again.
 */
public final class PgSessionStore implements SessionStore {
  private static final long REAP_INTERVAL_MS = 10 * 60 * 1000;

  private final Pool pool;
  private Vertx vertx;
  private VertxContextPRNG random;
  private long reaper = -1;

  public PgSessionStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    this.vertx = vertx;
    this.random = VertxContextPRNG.current(vertx);
    this.reaper = vertx.setPeriodic(REAP_INTERVAL_MS, id ->
        pool.query("delete from web_session where expires_at < now()").execute());
    return this;
  }

  @Override
  public long retryTimeout() {
    return 0;
  }

  @Override
  public Session createSession(long timeout) {
    return new PgSession(random, timeout, DEFAULT_SESSIONID_LENGTH);
  }

  @Override
  public Session createSession(long timeout, int length) {
    return new PgSession(random, timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    return pool.preparedQuery("select data from web_session where id = $1 and expires_at > now()")
        .execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          PgSession session = new PgSession(random);
          session.readFromBuffer(0, rows.iterator().next().getBuffer("data"));
          session.stored = true;
          return session;
        });
  }

  @Override
  public Future<Void> delete(String id) {
    return pool.preparedQuery("delete from web_session where id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  @Override
  public Future<Void> put(Session session) {
    if (!(session.get(StaffAuth.SESSION_STAFF_ID) instanceof Number staffId)) {
      // Nobody is signed in: nothing worth a row (and one that was signed in has been destroyed or regenerated).
      return Future.succeededFuture();
    }
    PgSession s = (PgSession) session;
    int expected = s.version();
    s.incrementVersion();
    Buffer data = Buffer.buffer();
    s.writeToBuffer(data);
    OffsetDateTime expires = OffsetDateTime.ofInstant(
        Instant.ofEpochMilli(s.lastAccessed() + s.timeout()), ZoneOffset.UTC);
    Tuple values = Tuple.of(s.id(), data, s.version(), expires, expected, staffId.longValue());
    // Under a new id (a sign-in, or a new password), the session is new: its row is made.
    Future<Boolean> written = !s.stored || s.isRegenerated()
        ? pool.preparedQuery(
                "insert into web_session (id, data, version, expires_at, staff_user_id) values ($1, $2, $3, $4, $6) "
                    + "on conflict (id) do update set data = excluded.data, version = excluded.version, "
                    + "expires_at = excluded.expires_at, staff_user_id = excluded.staff_user_id where web_session.version = $5")
            .execute(values)
            .map(rows -> rows.rowCount() == 1)
        // A row gone meanwhile means the session has ended: the write of a request that began before is dropped.
        : pool.preparedQuery("""
                with written as (
                  update web_session set data = $2, version = $3, expires_at = $4, staff_user_id = $6
                  where id = $1 and version = $5 returning 1)
                select exists (select 1 from written) or not exists (select 1 from web_session where id = $1) as done""")
            .execute(values)
            .map(rows -> rows.iterator().next().getBoolean("done"));
    return written.compose(done -> {
      if (!done) {
        return Future.failedFuture("Session version mismatch");
      }
      s.stored = true;
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> clear() {
    return pool.query("delete from web_session").execute().mapEmpty();
  }

  @Override
  public Future<Integer> size() {
    return pool.query("select count(*) from web_session").execute().map(rows -> rows.iterator().next().getInteger(0));
  }

  /** Vert.x's session, and whether it has a row (read from one, or written): such a session is only updated. */
  private static final class PgSession extends SharedDataSessionImpl {
    private boolean stored;

    PgSession(VertxContextPRNG random) {
      super(random);
    }

    PgSession(VertxContextPRNG random, long timeout, int length) {
      super(random, timeout, length);
    }
  }

  @Override
  public void close() {
    if (reaper != -1) {
      vertx.cancelTimer(reaper);
    }
  }
}
