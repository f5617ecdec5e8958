package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.AbstractSession;
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
    return new SharedDataSessionImpl(random, timeout, DEFAULT_SESSIONID_LENGTH);
  }

  @Override
  public Session createSession(long timeout, int length) {
    return new SharedDataSessionImpl(random, timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    return pool.preparedQuery("select data from web_session where id = $1 and expires_at > now()")
        .execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          SharedDataSessionImpl session = new SharedDataSessionImpl(random);
          session.readFromBuffer(0, rows.iterator().next().getBuffer("data"));
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
    AbstractSession s = (AbstractSession) session;
    int expected = s.version();
    s.incrementVersion();
    Buffer data = Buffer.buffer();
    ((SharedDataSessionImpl) s).writeToBuffer(data);
    OffsetDateTime expires = OffsetDateTime.ofInstant(
        Instant.ofEpochMilli(s.lastAccessed() + s.timeout()), ZoneOffset.UTC);
    return pool.preparedQuery(
            "insert into web_session (id, data, version, expires_at, staff_user_id) values ($1, $2, $3, $4, $6) "
                + "on conflict (id) do update set data = excluded.data, version = excluded.version, "
                + "expires_at = excluded.expires_at, staff_user_id = excluded.staff_user_id where web_session.version = $5")
        .execute(Tuple.of(s.id(), data, s.version(), expires, expected, staffId.longValue()))
        .compose(rows -> rows.rowCount() == 1
            ? Future.succeededFuture()
            : Future.failedFuture("Session version mismatch"));
  }

  @Override
  public Future<Void> clear() {
    return pool.query("delete from web_session").execute().mapEmpty();
  }

  @Override
  public Future<Integer> size() {
    return pool.query("select count(*) from web_session").execute().map(rows -> rows.iterator().next().getInteger(0));
  }

  @Override
  public void close() {
    if (reaper != -1) {
      vertx.cancelTimer(reaper);
    }
  }
}
